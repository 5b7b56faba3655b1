"""Background jobs of the cases app."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

ABANDONED_AFTER = dt.timedelta(days=2)


@shared_task(name="residenthub.cases.jobs.purge_abandoned_uploads")
def purge_abandoned_uploads() -> int:
    """Delete files uploaded to forms that were never sent (data minimisation).

    A draft lives as long as its session (a day); after two days nobody can send it any more.
    """
    from .actions import purge_abandoned_uploads as purge

    return purge(timezone.now() - ABANDONED_AFTER)


@shared_task(name="residenthub.cases.jobs.run_clocks")
def run_clocks(now=None) -> dict[str, int]:
    """The scheduled clock work (every 15 minutes, CELERY_BEAT_SCHEDULE): escalations, reminders and
    automatic workflow steps, each through an action (timeline, audit, version, tracking page).

    - remind the assigned officer when the service's share of the target time has passed;
    - alert the team leaders when a case passes its due date;
    - remind residents of cases waiting for them, and close those the workflow says to close
      after N days (never a case flagged urgent).
    """
    from residenthub.core.calendar import working_days_between

    from . import actions
    from .models import Case, Priority

    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"reminders": 0, "breaches": 0, "hold_reminders": 0, "auto_moves": 0}
    open_cases = Case.objects.filter(is_open=True).select_related("service", "assigned_to", "team")

    for case in open_cases.filter(
        on_hold_since__isnull=True, reminder_sent_at__isnull=True, assigned_to__isnull=False
    ):
        target = case.service.target_working_days
        elapsed = working_days_between(timezone.localdate(case.created_at), today) - case.paused_working_days
        if elapsed >= target * case.service.remind_at_share and today <= case.due_date:
            counts["reminders"] += actions.remind_officer(case, now=now)

    for case in open_cases.filter(
        on_hold_since__isnull=True, breach_alert_sent_at__isnull=True, due_date__lt=today
    ):
        counts["breaches"] += actions.alert_overdue(case, now=now)

    for case in open_cases.filter(on_hold_since__isnull=False):
        status = case.status_definition
        days_waiting = (now - case.status_entered_at).days
        if status.after_days and status.move_to and days_waiting >= status.after_days:
            if case.priority == Priority.URGENT:
                continue  # a flagged case is never closed automatically
            actions.transition(
                case,
                status.move_to,
                by=actions.CLOCK,
                automatic=True,
                reason=f"No reply after {status.after_days} days.",
            )
            counts["auto_moves"] += 1
        elif (
            status.remind_after_days
            and days_waiting >= status.remind_after_days
            and not case.hold_reminder_sent_at
        ):
            counts["hold_reminders"] += actions.remind_resident(case, now=now)
    return counts


@shared_task(name="residenthub.cases.jobs.recalculate_due_dates")
def recalculate_due_dates() -> int:
    """After the calendar changed (a closure day added or removed): every open case's due date again."""
    from .actions import recalculate_due_dates as recalculate

    return recalculate()
