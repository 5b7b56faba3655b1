from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "residenthub.core"
    label = "core"
    verbose_name = "Core"
