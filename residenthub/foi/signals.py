"""Listeners: web-form cases of mirrored services become requests; closure days move open clocks."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from residenthub.cases.signals import case_created
from residenthub.core.models import ClosureDay


@receiver(case_created, dispatch_uid="foi.case_created")
def _case_created(sender, case, **kwargs):
    from .actions import create_from_case

    create_from_case(case)


@receiver(post_save, sender=ClosureDay, dispatch_uid="foi.closure_saved")
@receiver(post_delete, sender=ClosureDay, dispatch_uid="foi.closure_deleted")
def _closure_changed(sender, **kwargs):
    from django.db import transaction

    from .actions import recalculate_open_requests

    transaction.on_commit(recalculate_open_requests)
