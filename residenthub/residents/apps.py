from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residenthub.residents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from residenthub.identity import hooks as identity_hooks
        from residenthub.portal import hooks as portal_hooks

        from . import queries

        # The portal's forms start from the signed-in resident's account (portal is a layer below).
        portal_hooks.contact_prefill.register(queries.contact_prefill)
        portal_hooks.address_answer.register(queries.address_answer)
        # The resident 360 page (identity, which this app reads) shows the account and the flags.
        identity_hooks.preferences.register(queries.preferences)
        identity_hooks.flags.register(queries.flags)
        identity_hooks.flag_kinds.register(queries.flag_kinds)
