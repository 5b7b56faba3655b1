from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "residenthub.cases"
    label = "cases"
