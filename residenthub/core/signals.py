"""Signals higher apps listen to, so that core need not know about them (docs/architecture.md).

``calendar_changed`` is sent once the transaction that added, changed or removed a closure day has
committed. Cases and information requests recalculate their open due dates on it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from .models import ClosureDay

calendar_changed = Signal()


@receiver(post_save, sender=ClosureDay, dispatch_uid="core.closure_saved")
@receiver(post_delete, sender=ClosureDay, dispatch_uid="core.closure_deleted")
def _closure_changed(sender, raw: bool = False, **kwargs) -> None:
    """However a closure day was written (an action, the admin, a fixture), the calendar moved."""
    if raw:
        return
    from .calendar import forget_closure_days

    forget_closure_days()
    transaction.on_commit(lambda: calendar_changed.send(sender=ClosureDay))
