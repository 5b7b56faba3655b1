from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo council (``hub load_demo``): the one place allowed to import every app (ADR 0060)."""

    name = "residenthub.demo"
    label = "demo"
    verbose_name = "Demo data"
