from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "residenthub.feedback"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "How did we do?"

    def ready(self) -> None:
        from residenthub.cases.signals import case_closed

        from . import jobs

        def _closed(sender, case, **kwargs):
            jobs.ask.delay(case.pk)

        case_closed.connect(_closed, dispatch_uid="feedback.ask", weak=False)
