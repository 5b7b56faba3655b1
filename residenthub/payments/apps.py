from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "residenthub.payments"
    label = "payments"
    verbose_name = "Payments"
