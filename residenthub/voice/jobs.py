"""Background jobs of the phone front door."""

from __future__ import annotations

from celery import shared_task

from . import actions


@shared_task(name="residenthub.voice.jobs.purge_recordings")
def purge_recordings() -> int:
    return actions.purge_recordings()
