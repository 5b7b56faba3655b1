from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "residenthub.letters"
    default_auto_field = "django.db.models.BigAutoField"
