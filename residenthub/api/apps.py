from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "residenthub.api"
    label = "api"
