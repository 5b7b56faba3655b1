from django.apps import AppConfig


class FOIConfig(AppConfig):
    name = "residenthub.foi"
    label = "foi"

    def ready(self):
        from residenthub.identity import hooks as identity_hooks

        from . import queries, signals  # noqa: F401

        # The resident 360 page (identity, which foi reads for subject access) lists their requests.
        identity_hooks.timeline_items.register(queries.person_timeline_items)
