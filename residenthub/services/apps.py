from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "residenthub.services"
    label = "services"
