"""Background jobs: send letters to Notify, and retry the ones that failed."""

from __future__ import annotations

from celery import shared_task

from . import actions
from .models import Letter


@shared_task(name="residenthub.letters.jobs.send_letter")
def send_letter(letter_id: int) -> str:
    return actions.send_now(letter_id)


@shared_task(name="residenthub.letters.jobs.send_pending_letters")
def send_pending_letters(limit: int = 200) -> int:
    """Retry letters still waiting for Notify (run by beat every 15 minutes)."""
    pending = list(Letter.objects.filter(status=Letter.Status.PENDING).values_list("pk", flat=True)[:limit])
    for pk in pending:
        actions.send_now(pk)
    return len(pending)
