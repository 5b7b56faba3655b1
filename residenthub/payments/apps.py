from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "residenthub.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self):
        from residenthub.portal import hooks as portal_hooks
        from residenthub.services.signals import catalogue_loaded

        from . import journey

        catalogue_loaded.connect(_catalogue_loaded, dispatch_uid="payments.catalogue_loaded")
        # The resident journey (portal, a layer below) shows the fee and sends the resident to pay.
        portal_hooks.check_context.register(journey.check_context)
        portal_hooks.after_submission.register(journey.after_submission)


def _catalogue_loaded(sender, services, **kwargs):
    """The catalogue was loaded (same transaction): keep each service's fee, or none (ADR 0111)."""
    from .actions import sync_fees

    sync_fees(services)
