"""Sweeps apply the schedule through the declarations: delete, anonymise, respect holds, report."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from residenthub.cases.models import Case
from residenthub.core.actions import Actor
from residenthub.retention import actions, jobs
from residenthub.retention.models import LegalHold, SweepRun
from residenthub.triage.models import TriageRecord

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("retention")


def _triage(days_old: int, text: str = "My bin was missed") -> TriageRecord:
    record = TriageRecord.objects.create(text=text, outcome="suggested")
    TriageRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - dt.timedelta(days=days_old))
    return record


def _closed(make_case, days_ago: int, code="report-pothole", **kwargs) -> Case:
    case = make_case(code, **kwargs)
    Case.objects.filter(pk=case.pk).update(
        is_open=False, status="closed", closed_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return Case.objects.get(pk=case.pk)


def test_dry_run_counts_and_changes_nothing(catalogue):
    old = [_triage(400) for _ in range(3)]
    _triage(10)
    run = actions.sweep(dry_run=True, by=SYSTEM, classes=["triage-message"])
    assert run.dry_run and run.counts["triage-message"]["due"] == 3
    assert run.counts["triage-message"]["done"] == 0
    assert TriageRecord.objects.filter(pk__in=[r.pk for r in old]).count() == 3


def test_sweep_deletes_old_triage_messages_and_reports_how_many(catalogue):
    old = [_triage(400) for _ in range(4)]
    recent = _triage(30)
    run = actions.sweep(by=SYSTEM)
    assert run.counts["triage-message"] == {
        "title": "Front door messages (triage)",
        "action": "delete",
        "period": "1 year",
        "due": 4,
        "done": 4,
        "held": 0,
        "models": {"triage.TriageRecord": 4},
    }
    assert not TriageRecord.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert TriageRecord.objects.filter(pk=recent.pk).exists()
    assert run.error == "" and run.finished_at


def test_cases_are_anonymised_after_their_service_period_unless_held(make_case):
    pothole = _closed(make_case, 800, name="Ann Other", email="ann@example.com")  # 2-year rule (LGSL 557)
    young = _closed(make_case, 300, name="Bob Young", email="bob@example.com")
    housing = _closed(make_case, 800, "housing-repair", name="Cat Home", email="cat@example.com")  # 6 years
    held = _closed(make_case, 800, name="Dee Held", email="dee@example.com")
    LegalHold.objects.create(kind="litigation", reason="Trip claim", case=held)
    run = actions.sweep(by=SYSTEM, classes=["case"])
    assert run.counts["case"]["done"] == 1 and run.counts["case"]["held"] == 1
    assert run.held == {"Litigation hold": 1}
    pothole.refresh_from_db()
    assert pothole.contact_email == "" and pothole.contact_name == "" and pothole.answers == {}
    assert pothole.service.code == "report-pothole" and pothole.closed_at
    for case, email in ((young, "bob@example.com"), (housing, "cat@example.com"), (held, "dee@example.com")):
        case.refresh_from_db()
        assert case.contact_email == email
    # A second run finds nothing left to do.
    again = actions.sweep(by=SYSTEM, classes=["case"])
    assert again.counts["case"]["done"] == 0


def test_an_open_complaint_holds_its_case(make_case):
    from residenthub.foi.models import InformationRequest

    case = _closed(make_case, 800, email="eve@example.com")
    today = timezone.localdate()
    InformationRequest.objects.create(
        reference="FOI-HOLD1", kind="complaint", status="logged", subject="s", body="b", case=case,
        received_on=today, clock_start=today, due_date=today,
    )  # fmt: skip
    run = actions.sweep(by=SYSTEM, classes=["case"])
    assert run.held == {"Open complaint": 1}
    case.refresh_from_db()
    assert case.contact_email == "eve@example.com"


def test_the_command_sweeps_and_dry_runs(catalogue):
    _triage(400)
    out = io.StringIO()
    call_command("retention", "sweep", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and "triage-message" in out.getvalue()
    assert TriageRecord.objects.count() == 1
    out = io.StringIO()
    call_command("retention", "sweep", stdout=out)
    assert TriageRecord.objects.count() == 0
    assert SweepRun.objects.filter(dry_run=False).count() == 1
    out = io.StringIO()
    call_command("retention", "check", stdout=out)
    assert "The schedule is valid" in out.getvalue()


def test_a_broken_schedule_stops_the_command_with_its_problems(tmp_path, settings):
    from django.core.management.base import CommandError

    path = tmp_path / "schedule.yaml"
    path.write_text("classes:\n  case:\n    period: soon\n    trigger: case_closed\n    action: anonymise\n")
    settings.RETENTION_SCHEDULE_FILE = str(path)
    with pytest.raises(CommandError, match="'soon' is not a period"):
        call_command("retention", "sweep")


def test_the_nightly_job_sweeps_once_a_day(catalogue, settings):
    settings.RETENTION_SWEEP_HOUR = 0
    _triage(400)
    assert jobs.nightly_sweep().startswith("swept")
    assert jobs.nightly_sweep() == "not due"
