from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "residenthub.triage"
    label = "triage"
