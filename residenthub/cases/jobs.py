"""Background jobs of the cases app."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .models import Attachment

ABANDONED_AFTER = dt.timedelta(days=2)


@shared_task(name="residenthub.cases.jobs.purge_abandoned_uploads")
def purge_abandoned_uploads() -> int:
    """Delete files uploaded to forms that were never sent (data minimisation).

    A draft lives as long as its session (a day); after two days nobody can send it any more.
    """
    abandoned = Attachment.objects.filter(case__isnull=True, uploaded_at__lt=timezone.now() - ABANDONED_AFTER)
    count = 0
    for attachment in abandoned:
        attachment.file.delete(save=False)
        attachment.delete()
        count += 1
    return count


def _staff_email(recipients: list[str], subject: str, body: str, case) -> int:
    from residenthub.core import outbox

    for address in sorted(set(filter(None, recipients))):
        outbox.queue_email(address, subject, body, case=case)
    return len(set(filter(None, recipients)))


def _case_url(case) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL + reverse("backoffice:case", args=[case.reference])


@shared_task(name="residenthub.cases.jobs.run_clocks")
def run_clocks(now=None) -> dict[str, int]:
    """The scheduled clock work (hourly): escalations, reminders and automatic workflow steps.

    - remind the assigned officer when the service's share of the target time has passed;
    - alert the team leaders when a case passes its due date;
    - remind residents of cases waiting for them, and close those the workflow says to close
      after N days (never a case flagged urgent).
    """
    from django.db import transaction

    from residenthub.accounts.queries import team_alert_addresses
    from residenthub.core.calendar import working_days_between

    from . import actions
    from .models import Case, CaseEvent, Priority

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
            with transaction.atomic():
                _staff_email(
                    [case.assigned_to.email],
                    f"Reminder: {case.reference} is due on {case.due_date:%-d %B}",
                    f"{case.service.name} case {case.reference} is due on {case.due_date:%-d %B %Y}.\n\n"
                    f"{_case_url(case)}\n",
                    case,
                )
                Case.objects.filter(pk=case.pk).update(reminder_sent_at=now)
                CaseEvent.objects.create(
                    case=case, kind=CaseEvent.Kind.ESCALATION, text="Reminder sent to the assigned officer."
                )
            counts["reminders"] += 1

    for case in open_cases.filter(
        on_hold_since__isnull=True, breach_alert_sent_at__isnull=True, due_date__lt=today
    ):
        with transaction.atomic():
            _staff_email(
                team_alert_addresses(case.team),
                f"Overdue: {case.reference} was due on {case.due_date:%-d %B}",
                f"{case.service.name} case {case.reference} passed its due date "
                f"({case.due_date:%-d %B %Y}).\n\n{_case_url(case)}\n",
                case,
            )
            Case.objects.filter(pk=case.pk).update(breach_alert_sent_at=now)
            CaseEvent.objects.create(
                case=case, kind=CaseEvent.Kind.ESCALATION, text="Overdue: the team leader has been alerted."
            )
        counts["breaches"] += 1

    for case in open_cases.filter(on_hold_since__isnull=False):
        status = case.status_definition
        days_waiting = (now - case.status_entered_at).days
        if status.after_days and status.move_to and days_waiting >= status.after_days:
            if case.priority == Priority.URGENT:
                continue  # a flagged case is never closed automatically
            actions.transition(
                case,
                status.move_to,
                by=None,
                automatic=True,
                reason=f"No reply after {status.after_days} days.",
            )
            counts["auto_moves"] += 1
        elif (
            status.remind_after_days
            and days_waiting >= status.remind_after_days
            and not case.hold_reminder_sent_at
        ):
            from .notifications import notify_resident

            with transaction.atomic():
                notify_resident(
                    case,
                    "public_update",
                    text="We are still waiting for the information we asked you for. "
                    "Please reply so we can carry on with your request.",
                )
                Case.objects.filter(pk=case.pk).update(hold_reminder_sent_at=now)
            counts["hold_reminders"] += 1
    return counts


@shared_task(name="residenthub.cases.jobs.recalculate_due_dates")
def recalculate_due_dates() -> int:
    """After the calendar changed (a closure day added or removed): every open case's due date again."""
    from .actions import recalculated_due_date
    from .models import Case
    from .queries import forget_team_counts

    changed = 0
    teams = set()
    for case in Case.objects.filter(is_open=True).select_related("service").iterator():
        due = recalculated_due_date(case)
        if due != case.due_date:
            Case.objects.filter(pk=case.pk).update(due_date=due)
            teams.add(case.team_id)
            changed += 1
    forget_team_counts(*teams)
    return changed
