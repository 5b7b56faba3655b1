from django.apps import AppConfig


class FOIConfig(AppConfig):
    name = "residenthub.foi"
    label = "foi"

    def ready(self):
        from . import signals  # noqa: F401
