from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "residenthub.identity"
    label = "identity"
