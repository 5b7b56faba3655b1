from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "residenthub.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from . import signals  # noqa: F401 - closure days send calendar_changed
