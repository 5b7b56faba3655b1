from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "residenthub.cases"
    label = "cases"

    def ready(self):
        from residenthub.core.signals import calendar_changed
        from residenthub.services.questions import register_upload_store

        calendar_changed.connect(_calendar_changed, dispatch_uid="cases.calendar_changed")
        register_upload_store(_Uploads())


class _Uploads:
    """The form engine's uploads (services.questions) are case attachments, kept by cases.actions."""

    def pending(self, session_key: str) -> int:
        from .models import Attachment

        return Attachment.objects.filter(session_key=session_key, case__isnull=True).count()

    def store(self, upload, *, session_key: str, content_type: str) -> int:
        from .actions import store_upload

        return store_upload(upload, session_key=session_key, content_type=content_type)


def _calendar_changed(sender, **kwargs):
    """A closure day was added or removed (after commit): every open case's due date again, in a job."""
    from .jobs import recalculate_due_dates

    recalculate_due_dates.delay()
