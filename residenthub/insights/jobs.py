"""Background jobs: the nightly roll-ups with catch-up, journey counting, and sending due reports."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

log = logging.getLogger(__name__)


@shared_task(name="residenthub.insights.jobs.nightly")
def nightly() -> str:
    """Roll-ups up to today (catching up any missed days), then the journeys in progress."""
    from . import rollup

    built = rollup.catch_up()
    journeys = scan_journeys()
    return f"rollups {built}, journeys {journeys}"


def scan_journeys() -> int:
    """Record form journeys in progress from live sessions (only the draft's random key and the
    service code are kept). Journeys submitted before a scan are counted from their case."""
    from django.contrib.sessions.models import Session

    from .actions import record_journeys

    seen: list[tuple[str, str]] = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        try:
            data = session.get_decoded()
        except Exception:  # noqa: BLE001, S112 - a corrupt or foreign session is skipped, never fatal
            continue
        for code, draft in (data.get("drafts") or {}).items():
            if isinstance(draft, dict) and draft.get("key") and (draft.get("done") or draft.get("answers")):
                seen.append((str(draft["key"])[:64], str(code)[:80]))
    return record_journeys(seen)


def due_period(definition, today: dt.date) -> str | None:
    """The period a report is due for today, or None: monthly on the 1st (last month), weekly on
    Mondays (the week before)."""
    if definition.frequency == "monthly" and today.day == 1:
        return f"{today - dt.timedelta(days=1):%Y-%m}"
    if definition.frequency == "weekly" and today.weekday() == 0:
        start = today - dt.timedelta(days=7)
        return f"{start.isoformat()}..{(today - dt.timedelta(days=1)).isoformat()}"
    return None


@shared_task(name="residenthub.insights.jobs.send_due_reports")
def send_due_reports(today: str | None = None) -> int:
    """Run and email each active report whose period has come, once per period."""
    from . import actions, reports
    from .models import ReportDefinition, ReportRun

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    sent = 0
    for definition in ReportDefinition.objects.filter(active=True):
        period = due_period(definition, day)
        if (
            period is None
            or ReportRun.objects.filter(definition=definition, period=period).exclude(sent_to=[]).exists()
        ):
            continue
        try:
            pdf, csv_text, pages, seconds = reports.render(definition, period)
        except reports.ReportError as exc:
            log.warning("report %s for %s not made: %s", definition.name, period, exc)
            continue
        run = actions.archive_run(definition, period, pdf, csv_text, pages=pages, seconds=seconds)
        if actions.send_run(run):
            sent += 1
    return sent
