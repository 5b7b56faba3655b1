from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "residenthub.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self):
        from residenthub.services.signals import catalogue_loaded

        catalogue_loaded.connect(_catalogue_loaded, dispatch_uid="payments.catalogue_loaded")


def _catalogue_loaded(sender, services, **kwargs):
    """The catalogue was loaded (same transaction): keep each service's fee, or none (ADR 0111)."""
    from .actions import sync_fees

    sync_fees(services)
