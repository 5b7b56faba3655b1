from django.apps import AppConfig


class MinutesConfig(AppConfig):
    name = "residenthub.minutes"
    label = "minutes"
    verbose_name = "Meeting minutes"
