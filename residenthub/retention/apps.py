from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "residenthub.retention"
    label = "retention"
    verbose_name = "Retention and erasure"

    def ready(self) -> None:
        # Every app's personal_data.py declares its models (like admin.autodiscover).
        from residenthub.core import personal_data_registry as registry

        registry.autodiscover()
