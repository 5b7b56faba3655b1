from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residenthub.residents"
    default_auto_field = "django.db.models.BigAutoField"
