from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "residenthub.cases"
    label = "cases"

    def ready(self):
        from residenthub.core.signals import calendar_changed

        calendar_changed.connect(_calendar_changed, dispatch_uid="cases.calendar_changed")


def _calendar_changed(sender, **kwargs):
    """A closure day was added or removed (after commit): every open case's due date again, in a job."""
    from .jobs import recalculate_due_dates

    recalculate_due_dates.delay()
