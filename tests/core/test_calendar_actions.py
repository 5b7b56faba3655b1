"""Closure days: written through core.calendar_actions, and however they are written every open due
date moves, of cases and of information requests alike (core.signals.calendar_changed)."""

import datetime as dt

import pytest
from django.utils import timezone

from residenthub.cases.models import Case
from residenthub.core import calendar_actions
from residenthub.core.actions import ActionError
from residenthub.core.calendar import add_working_days, is_working_day
from residenthub.core.models import AuditEntry, ClosureDay
from residenthub.foi import actions as foi_actions
from residenthub.foi.models import InformationRequest

pytestmark = pytest.mark.django_db
ALL_UK = ("ENG", "WLS", "SCT", "NIR")  # the regions of the FOI clock


def _next_weekday() -> dt.date:
    """The next day that is a working day everywhere in the UK: on 2026-11-27 the next Monday was St
    Andrew's Day, already a holiday on the UK-wide FOI clock, so closing it moved nothing."""
    day = timezone.localdate() + dt.timedelta(days=1)
    while not is_working_day(day, ALL_UK):
        day += dt.timedelta(days=1)
    return day


def test_adding_a_closure_day_moves_cases_and_requests(
    make_case, highways_officer, django_capture_on_commit_callbacks
):
    case = make_case()
    request = foi_actions.log_request(
        kind="foi", subject="Spending", body="How much?", received_on=timezone.localdate(), requester_name="A"
    )
    day = _next_weekday()
    with django_capture_on_commit_callbacks(execute=True):
        calendar_actions.add_closure_day(day, "Training day", by=highways_officer)
    moved = Case.objects.get(pk=case.pk)
    assert moved.due_date == add_working_days(
        timezone.localdate(case.created_at), case.service.target_working_days
    )
    assert moved.due_date > case.due_date and moved.version > case.version
    assert InformationRequest.objects.get(pk=request.pk).due_date > request.due_date
    assert AuditEntry.objects.filter(action="core.closure_day.added").exists()
    assert AuditEntry.objects.filter(action="case.due_date_recalculated", object_id=str(case.pk)).exists()


def test_a_closure_day_written_any_other_way_still_moves_them(make_case, django_capture_on_commit_callbacks):
    case = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        ClosureDay.objects.create(date=_next_weekday(), reason="Written by hand")
    assert Case.objects.get(pk=case.pk).due_date > case.due_date


def test_bad_closure_days_are_refused(highways_officer):
    with pytest.raises(ActionError):
        calendar_actions.add_closure_day(_next_weekday(), "  ", by=highways_officer)
    with pytest.raises(ActionError):
        calendar_actions.add_closure_day(_next_weekday(), "Closed", by=None)  # not staff
    calendar_actions.add_closure_day(_next_weekday(), "Closed", by=highways_officer)
    with pytest.raises(ActionError):
        calendar_actions.add_closure_day(_next_weekday(), "Again", by=highways_officer)
