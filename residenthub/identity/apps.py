from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "residenthub.identity"
    label = "identity"
    verbose_name = "Single resident view"

    def ready(self) -> None:
        from residenthub.cases.signals import case_created

        from . import signals

        case_created.connect(signals.on_case_created, dispatch_uid="identity-point-of-entry")
