"""The nightly sweep (Celery beat, hourly: it sweeps once a day, the first run after
``RETENTION_SWEEP_HOUR``)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from residenthub.core.actions import Actor

from . import actions
from .models import SweepRun


def sweep_due(now=None) -> bool:
    now = timezone.localtime(now or timezone.now())
    if now.hour < settings.RETENTION_SWEEP_HOUR:
        return False
    start = now.replace(hour=settings.RETENTION_SWEEP_HOUR, minute=0, second=0, microsecond=0)
    return not SweepRun.objects.filter(dry_run=False, started_at__gte=start, error="").exists()


@shared_task(name="residenthub.retention.jobs.nightly_sweep")
def nightly_sweep(force: bool = False) -> str:
    if not force and not sweep_due():
        return "not due"
    run = actions.sweep(by=Actor.system("retention"))
    return f"swept {run.total_done} rows, {run.total_held} held"
