from django.apps import AppConfig


class FOIConfig(AppConfig):
    name = "residenthub.foi"
    label = "foi"
