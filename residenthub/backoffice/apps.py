from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "residenthub.backoffice"
    label = "backoffice"
