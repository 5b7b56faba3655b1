"""The case page and its actions, each through one action function, each on the timeline."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from residenthub.accounts.models import Team
from residenthub.cases import actions
from residenthub.cases.jobs import recalculate_due_dates, run_clocks
from residenthub.cases.models import Case, CaseEvent, Priority, Reroute
from residenthub.core.calendar import add_working_days, forget_closure_days
from residenthub.core.models import AuditEntry, ClosureDay

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _act(client, case, **data):
    case.refresh_from_db()
    data.setdefault("version", case.version)
    return client.post(f"/staff/cases/{case.reference}/act/", data)


def test_the_case_page_shows_everything(make_case, highways_officer):
    case = make_case(phone="07700 900982")
    earlier = make_case()
    page = _client(highways_officer).get(f"/staff/cases/{case.reference}/").content.decode()
    for shown in [
        "Outside 14 Station Road",
        "Mary O&#x27;Brien",
        "resident@example.com",
        "Submitted",
        "other cases",
        earlier.reference,
        "Inspected - repair booked",
    ]:
        assert shown in page, shown


def test_public_update_reaches_the_resident(make_case, highways_officer):
    case = make_case()
    mail.outbox.clear()
    response = _act(_client(highways_officer), case, action="update", update_text="We will fix it on Monday.")
    assert response.status_code == 302
    assert "We will fix it on Monday." in mail.outbox[0].body
    event = case.events.last()
    assert event.kind == CaseEvent.Kind.PUBLIC_UPDATE and event.public and event.actor == highways_officer


def test_response_templates_fill_their_placeholders(make_case, highways_officer):
    case = make_case(name="Siân Evans")
    page = _client(highways_officer).get(f"/staff/cases/{case.reference}/?template=inspected")
    text = page.context["raw"]["update_text"]
    assert "Dear Siân Evans" in text and case.reference in text and "{" not in text


def test_status_change_errors_are_clear_and_change_nothing(make_case, highways_officer):
    case = make_case()
    client = _client(highways_officer)
    missing_reason = _act(client, case, action="status", to_status="closed_no_action", reason="")
    assert missing_reason.status_code == 400 and "Give a reason" in missing_reason.content.decode()
    not_allowed = _act(client, case, action="status", to_status="received")
    assert not_allowed.status_code == 400 and "cannot move" in not_allowed.content.decode()
    nothing = _act(client, case, action="status", to_status="")
    assert "Choose the new status" in nothing.content.decode()
    unknown = _act(client, case, action="explode")
    assert unknown.status_code == 400
    case.refresh_from_db()
    assert case.status == "received" and case.version == 1


def test_two_officers_at_once_one_wins_the_other_is_told(make_case, highways_officer, team_leader):
    case = make_case()
    first, second = _client(highways_officer), _client(team_leader)
    seen = case.version
    assert (
        first.post(
            f"/staff/cases/{case.reference}/act/",
            {"action": "status", "to_status": "in_progress", "version": seen},
        ).status_code
        == 302
    )
    response = second.post(
        f"/staff/cases/{case.reference}/act/", {"action": "status", "to_status": "resolved", "version": seen}
    )
    assert response.status_code == 400
    assert "Someone else changed this case" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "in_progress"


def test_assign_within_the_team_only(make_case, highways_officer, housing_officer, team_leader):
    case = make_case()
    client = _client(team_leader)
    highways = Team.objects.get(slug="highways")
    refused = _act(client, case, action="assign", team=highways.pk, officer=housing_officer.pk)
    assert refused.status_code == 400 and "is not in the Highways team" in refused.content.decode()
    assert (
        _act(client, case, action="assign", team=highways.pk, officer=highways_officer.pk).status_code == 302
    )
    case.refresh_from_db()
    assert case.assigned_to == highways_officer
    assert AuditEntry.objects.filter(action="case.assigned", object_id=str(case.pk)).exists()
    junk = _act(client, case, action="assign", team="x", officer="<b>")
    assert junk.status_code == 400


def test_reroute_recalculates_the_clock_and_is_kept_for_triage(make_case, highways_officer):
    case = make_case(
        answers={
            "location": {"description": "Rubbish dumped by the bins", "postcode": "E20 1AB"},
            "surface": "road",
            "size": "small",
            "injured": "no",
        }
    )
    response = _act(
        _client(highways_officer),
        case,
        action="reroute",
        service="report-fly-tipping",
        reroute_reason="It is fly-tipping, not a pothole.",
    )
    assert response.status_code == 302
    case = Case.objects.select_related("service").get(pk=case.pk)
    assert case.service.code == "report-fly-tipping" and case.team.slug == "waste"
    assert case.due_date == add_working_days(
        timezone.localdate(case.created_at), case.service.target_working_days
    )
    example = Reroute.objects.get(case=case)
    assert "Rubbish dumped" in example.text and example.to_service.code == "report-fly-tipping"
    missing = _act(Client(), case, action="reroute", service="report-pothole", reroute_reason="")
    assert missing.status_code == 302  # anonymous: to the sign-in page


def test_duplicate_closes_and_the_resident_follows_the_original(make_case, highways_officer):
    original = make_case(email="first@example.com")
    duplicate = make_case(email="second@example.com")
    client = _client(highways_officer)
    bad = _act(client, duplicate, action="duplicate", original="DBC-2222-2222")
    assert bad.status_code == 400 and "Enter the reference of a case you can see" in bad.content.decode()
    assert _act(client, duplicate, action="duplicate", original=original.reference).status_code == 302
    duplicate.refresh_from_db()
    assert not duplicate.is_open and duplicate.duplicate_of == original
    mail.outbox.clear()
    actions.add_public_update(original, "Repair booked for Friday.", by=highways_officer)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["first@example.com", "second@example.com"]
    follower_mail = next(m for m in mail.outbox if m.to == ["second@example.com"])
    assert duplicate.reference in follower_mail.body and "Repair booked for Friday." in follower_mail.body


def test_reopen_needs_a_reason(make_case, highways_officer):
    case = make_case()
    actions.transition(case, "resolved", by=highways_officer)
    client = _client(highways_officer)
    assert "Give a reason" in _act(client, case, action="reopen", reopen_reason="").content.decode()
    assert _act(client, case, action="reopen", reopen_reason="Still broken.").status_code == 302
    case.refresh_from_db()
    assert case.is_open and case.status == "in_progress"


def test_hold_pauses_the_clock_and_resuming_moves_the_due_date(make_case, highways_officer):
    case = make_case()
    due = case.due_date
    case = actions.transition(
        case, "awaiting_information", by=highways_officer, public_message="Which side of the road is it?"
    )
    assert case.on_hold_since
    # Five days later the resident replies.
    five_days_ago = timezone.now() - dt.timedelta(days=7)
    Case.objects.filter(pk=case.pk).update(on_hold_since=five_days_ago)
    case = actions.transition(case, "in_progress", by=highways_officer)
    paused = case.paused_working_days
    assert paused >= 4
    assert case.due_date == add_working_days(
        timezone.localdate(case.created_at), case.service.target_working_days + paused
    )
    assert case.due_date > due and case.on_hold_since is None


def test_clock_job_reminds_residents_then_closes_but_never_an_urgent_case(make_case, highways_officer):
    waiting = make_case(email="waiting@example.com")
    urgent = make_case(email="urgent@example.com", priority=Priority.URGENT)
    for case in (waiting, urgent):
        actions.transition(case, "awaiting_information", by=highways_officer)
    six_days_ago = timezone.now() - dt.timedelta(days=6)
    Case.objects.filter(pk__in=[waiting.pk, urgent.pk]).update(status_entered_at=six_days_ago)
    mail.outbox.clear()
    counts = run_clocks()
    assert counts["hold_reminders"] == 2
    assert any("still waiting" in m.body for m in mail.outbox)
    assert run_clocks()["hold_reminders"] == 0  # once only
    Case.objects.filter(pk__in=[waiting.pk, urgent.pk]).update(
        status_entered_at=timezone.now() - dt.timedelta(days=15)
    )
    assert run_clocks()["auto_moves"] == 1
    waiting.refresh_from_db()
    urgent.refresh_from_db()
    assert waiting.status == "closed_no_response" and not waiting.is_open
    assert urgent.is_open


def test_escalation_reminds_the_officer_then_alerts_the_team_leader(make_case, highways_officer, team_leader):
    case = make_case()
    actions.assign(case, by=team_leader, officer=highways_officer)
    # Received long enough ago for the reminder (60% of 5 working days for potholes).
    Case.objects.filter(pk=case.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8), due_date=timezone.localdate() + dt.timedelta(days=1)
    )
    mail.outbox.clear()
    assert run_clocks()["reminders"] == 1
    assert mail.outbox[-1].to == ["officer@council.example"]
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    mail.outbox.clear()
    assert run_clocks()["breaches"] == 1
    assert "leader@council.example" in [m.to[0] for m in mail.outbox]
    assert run_clocks()["breaches"] == 0  # alerted once
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.count(CaseEvent.Kind.ESCALATION) == 2


def test_a_new_closure_day_moves_open_cases(make_case):
    case = make_case()
    ClosureDay.objects.create(date=timezone.localdate() + dt.timedelta(days=1), reason="Training day")
    forget_closure_days()
    recalculate_due_dates()
    moved = Case.objects.get(pk=case.pk)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    if tomorrow.weekday() < 5:
        assert moved.due_date > case.due_date
    assert moved.due_date == add_working_days(
        timezone.localdate(case.created_at), case.service.target_working_days
    )


def test_bulk_assign_status_and_duplicates(make_case, team_leader, highways_officer):
    cases = [make_case() for _ in range(3)]
    client = _client(team_leader)
    refs = [c.reference for c in cases]
    client.post(
        "/staff/cases/bulk/", {"cases": refs, "bulk_action": "assign", "bulk_officer": highways_officer.pk}
    )
    assert Case.objects.filter(assigned_to=highways_officer).count() == 3
    response = client.post(
        "/staff/cases/bulk/",
        {"cases": refs[:2], "bulk_action": "status", "bulk_status": "closed_no_action", "bulk_reason": ""},
        follow=True,
    )
    assert "Give a reason" in response.content.decode()  # each failure is reported
    client.post(
        "/staff/cases/bulk/", {"cases": refs[1:], "bulk_action": "duplicate", "bulk_original": refs[0]}
    )
    assert Case.objects.filter(duplicate_of=cases[0]).count() == 2
    nothing = client.post("/staff/cases/bulk/", {"bulk_action": "assign"}, follow=True)
    assert "Select at least one case" in nothing.content.decode()


def test_assisted_digital_uses_the_same_form_and_gives_the_same_reference(highways_officer, catalogue):
    client = _client(highways_officer)
    bad = client.post("/staff/new/", {"service": "", "channel": "carrier-pigeon"})
    assert bad.status_code == 400 and "Choose the service" in bad.content.decode()
    response = client.post("/staff/new/", {"service": "report-pothole", "channel": "phone"})
    assert response.url == "/services/report-pothole/location/"
    assert "You are filling in this form for a resident" in client.get(response.url).content.decode()
    from tests.portal.helpers import answer_pothole, give_contact, submit

    answer_pothole(client)
    give_contact(client)
    mail.outbox.clear()
    submit(client)
    case = Case.objects.get()
    assert case.channel == "phone" and "highways.officer" in case.channel_detail
    assert case.events.get().actor == highways_officer
    assert len(mail.outbox) == 1 and case.reference in mail.outbox[0].subject
