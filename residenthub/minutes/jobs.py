"""Background jobs: process a recording, remind action owners, delete recordings past retention."""

from __future__ import annotations

from celery import shared_task

from . import actions
from .models import Recording


@shared_task(name="residenthub.minutes.jobs.process_recording")
def process_recording(recording_id: int) -> None:
    recording = Recording.objects.select_related("meeting").filter(pk=recording_id).first()
    if recording is None or recording.status in {Recording.Status.DONE, Recording.Status.DELETED}:
        return
    actions.process_recording(recording)


@shared_task(name="residenthub.minutes.jobs.send_reminders")
def send_reminders() -> int:
    return actions.send_reminders()


@shared_task(name="residenthub.minutes.jobs.purge_recordings")
def purge_recordings() -> int:
    return actions.purge_recordings()
