"""Listeners: web-form cases of mirrored services become requests; closure days move open clocks."""

from __future__ import annotations

from django.dispatch import receiver

from residenthub.cases.signals import case_created
from residenthub.core.signals import calendar_changed


@receiver(case_created, dispatch_uid="foi.case_created")
def _case_created(sender, case, **kwargs):
    from .actions import create_from_case

    create_from_case(case)


@receiver(calendar_changed, dispatch_uid="foi.calendar_changed")
def _calendar_changed(sender, **kwargs):
    """Sent after the closure day's transaction committed: move every open request's due date."""
    from .actions import recalculate_open_requests

    recalculate_open_requests()
