from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "residenthub.api"
    label = "api"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from residenthub.cases.models import CaseEvent

        from .webhooks import on_event

        post_save.connect(on_event, sender=CaseEvent, dispatch_uid="api-webhooks")
