"""Background jobs: the daily reconciliation and its finance export, and checking unfinished payments."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import actions, govuk_pay
from .models import ReconciliationRun
from .queries import finance_csv

logger = logging.getLogger(__name__)
RUN_AFTER_HOUR = 6  # GOV.UK Pay's settlement data for a day is complete by the next morning


def reconcile_day(day: dt.date) -> ReconciliationRun:
    """Reconcile ``day`` and write its finance CSV to PAYMENTS_EXPORT_DIR (finance-YYYY-MM-DD.csv)."""
    run = actions.reconcile(day)
    folder = settings.PAYMENTS_EXPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"finance-{day.isoformat()}.csv").write_text(finance_csv(day), encoding="utf-8")
    return run


@shared_task(name="residenthub.payments.jobs.reconcile_yesterday")
def reconcile_yesterday() -> str:
    """Beat runs this hourly; it reconciles yesterday once, the first time after 06:00."""
    now = timezone.localtime()
    day = now.date() - dt.timedelta(days=1)
    if now.hour < RUN_AFTER_HOUR or not govuk_pay.configured():
        return "not yet"
    if ReconciliationRun.objects.filter(date=day, finished_at__isnull=False).exists():
        return "done already"
    run = reconcile_day(day)
    return f"{run.matched} matched, {run.mismatches} mismatches"


@shared_task(name="residenthub.payments.jobs.check_unfinished")
def check_unfinished() -> int:
    if not govuk_pay.configured():
        return 0
    return actions.check_unfinished()
