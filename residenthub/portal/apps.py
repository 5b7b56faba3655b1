from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "residenthub.portal"
    label = "portal"
