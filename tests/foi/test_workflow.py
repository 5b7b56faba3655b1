"""The request workflow through the actions: clocks, pauses, approval, response, review, publication."""

import datetime as dt

import pytest

from residenthub.core.models import AuditEntry, ClosureDay, OutboxMessage
from residenthub.foi import actions, queries
from residenthub.foi.models import InformationRequest, Status

D = dt.date
pytestmark = pytest.mark.django_db


def review_publication(req, officer):
    """An officer prepares the entry, redacts what the detector found and reviews its page."""
    doc = actions.prepare_publication(req, by=officer)
    for span in doc.spans.all():
        actions.decide_span(span, decision="accepted", reason="s40_2", by=officer)
    actions.review_page(doc, 1, by=officer)
    return doc


def _foi(**kw):
    values = {
        "kind": "foi",
        "subject": "Pothole repair spending",
        "body": "How much did you spend on pothole repairs in 2024?",
        "received_on": D(2025, 8, 22),
        "requester_name": "Priya Patel",
        "requester_email": "priya@example.com",
    }
    values.update(kw)
    return actions.log_request(**values)


def test_logged_and_acknowledged_with_the_due_date():
    req = _foi()
    assert req.due_date == D(2025, 9, 22)  # Friday before the August bank holiday
    assert req.status == Status.ACKNOWLEDGED
    mail = OutboxMessage.objects.get(recipient="priya@example.com")
    assert "22 September 2025" in mail.body_text and req.reference in mail.subject
    assert AuditEntry.objects.filter(action="foi.logged", object_id=str(req.pk)).exists()


def test_done_means_scenario_clarification_moves_the_date(ig_officer, ig_leader):
    req = _foi()
    req = actions.pause_clock(req, "clarification", on=D(2025, 9, 1), by=ig_officer, note="Which roads?")
    assert req.status == Status.PAUSED
    req = actions.resume_clock(req, on=D(2025, 9, 10), by=ig_officer)
    assert req.clock_start == D(2025, 9, 10)
    assert req.due_date == D(2025, 10, 8)  # s.1(3): twenty working days from the clarification
    req = actions.save_draft(
        req, "Dear Priya Patel, we spent £1m. Contact Mary Jones on 07700 900123.", by=ig_officer
    )
    req = actions.submit_for_approval(req, by=ig_officer)
    with pytest.raises(actions.FOIError):
        actions.approve(req, by=ig_officer)  # an officer is not an approver
    req = actions.approve(req, by=ig_leader)
    req = actions.respond(req, outcome="partial", exemptions=["s40_2"], on=D(2025, 10, 8), by=ig_officer)
    assert req.on_time is True
    with pytest.raises(actions.FOIError, match="Prepare the disclosure log entry"):
        actions.publish(req, by=ig_officer)  # the detector alone never publishes
    review_publication(req, ig_officer)
    req = actions.publish(req, by=ig_officer)
    log = list(queries.disclosure_log("pothole"))
    assert log == [req]
    for secret in ("Priya", "Patel", "Mary Jones", "07700 900123"):
        assert secret not in req.published_text and secret not in req.published_title
    figures = queries.performance()
    assert figures["quarter"]["2025-26 Q3"] == {"answered": 1, "on_time": 1, "share": 1.0}
    assert figures["overall"]["share"] == 1.0


def test_fee_pause_stops_without_restarting():
    req = _foi()
    actions.pause_clock(req, "fee", on=D(2025, 9, 1))
    req = actions.resume_clock(req, on=D(2025, 9, 5))
    assert req.due_date == D(2025, 9, 26)


def test_resuming_goes_back_to_the_draft_a_fees_notice_interrupted_but_not_after_a_clarification(ig_leader):
    req = actions.save_draft(_foi(), "Dear requester, the figures are attached.")
    actions.pause_clock(req, "fee", on=D(2025, 9, 1))
    req = actions.resume_clock(req, on=D(2025, 9, 5))
    assert req.status == Status.DRAFT and req.draft_text.startswith("Dear requester")
    req = actions.approve(actions.submit_for_approval(req), by=ig_leader)
    actions.pause_clock(req, "clarification", on=D(2025, 9, 8))
    req = actions.resume_clock(req, on=D(2025, 9, 9))
    assert req.status == Status.GATHERING  # the clarified request may need another answer


def test_sar_identity_check_restarts_and_extension():
    req = _foi(kind="sar", received_on=D(2026, 1, 31))
    assert req.due_date == D(2026, 3, 2)
    actions.pause_clock(req, "identity", on=D(2026, 2, 2))
    req = actions.resume_clock(req, on=D(2026, 2, 3))
    assert req.due_date == D(2026, 3, 3)
    req = actions.extend(req, months=2, reason="complex")
    assert req.due_date == D(2026, 5, 5)  # 3 May 2026 is a Sunday, 4 May the early May bank holiday
    with pytest.raises(actions.FOIError):
        actions.extend(req, months=1, reason="more")


def test_adding_a_closure_day_recalculates_open_requests(django_capture_on_commit_callbacks):
    req = _foi()
    with django_capture_on_commit_callbacks(execute=True):
        ClosureDay.objects.create(date=D(2025, 9, 15), reason="Council closed")
    req.refresh_from_db()
    assert req.due_date == D(2025, 9, 23)
    assert req.events.filter(kind="due_date_recalculated").exists()


def test_refusal_must_cite_exemptions_from_the_list(ig_leader):
    req = _foi()
    req = actions.approve(actions.submit_for_approval(actions.save_draft(req, "No")), by=ig_leader)
    with pytest.raises(actions.FOIError):
        actions.respond(req, outcome="refused")
    with pytest.raises(actions.FOIError):
        actions.respond(req, outcome="refused", exemptions=["s99"])
    with pytest.raises(actions.FOIError):  # cannot respond without approval
        actions.respond(_foi(), outcome="full")
    req = actions.respond(req, outcome="refused", exemptions=["s12"], on=D(2025, 9, 23))
    assert req.on_time is False
    req = actions.request_internal_review(req, on=D(2025, 9, 24))
    assert req.status == Status.INTERNAL_REVIEW and req.review_due == D(2025, 10, 22)
    req = actions.complete_internal_review(req, outcome="Upheld")
    req = actions.refer(req, to="ico")
    assert req.status == Status.REFERRED


def test_the_clock_stops_being_offered_once_the_response_has_gone(ig_leader, ig_officer):
    """Pausing in an internal review would send it back to 'gathering' on resume; extending would move a
    deadline already met."""
    req = _foi()
    assert {"pause", "extend"} <= actions.possible_actions(req, ig_officer)
    req = actions.approve(actions.submit_for_approval(actions.save_draft(req, "Yes")), by=ig_leader)
    req = actions.respond(req, outcome="full", on=D(2025, 9, 10))
    req = actions.request_internal_review(req, on=D(2025, 9, 24))
    offered = actions.possible_actions(req, ig_officer)
    assert not {"pause", "resume", "extend"} & offered and "complete_review" in offered
    due = req.due_date
    with pytest.raises(actions.FOIError, match="before the response is sent"):
        actions.pause_clock(req, "clarification", on=D(2025, 9, 25))
    with pytest.raises(actions.FOIError, match="before the response is sent"):
        actions.extend(req, working_days=10, reason="complex")
    req.refresh_from_db()
    assert req.status == Status.INTERNAL_REVIEW and req.due_date == due


def test_complaint_stages(settings):
    req = _foi(kind="complaint", subject="Missed bins", body="My bins were missed three times")
    assert req.due_date == D(2025, 9, 8)
    req = actions.escalate_complaint(req, on=D(2025, 9, 10))
    assert req.stage == 2 and req.due_date == D(2025, 10, 8)
    with pytest.raises(actions.FOIError):
        actions.escalate_complaint(req)


def test_web_form_case_becomes_a_request(make_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(
            "foi-request",
            answers={"request": "Spending on parks in 2024", "format": "email", "about_yourself": "no"},
        )
    req = InformationRequest.objects.get(case=case)
    assert req.kind == "foi" and req.source == "web" and req.requester_email == "resident@example.com"
    assert req.directorate is not None


EML = b"""From: =?utf-8?q?Zo=C3=AB_Smith?= <zoe@example.com>
To: foi@council.example
Subject: =?iso-8859-1?q?FOI_request_=96_parking_fines?=
Date: Fri, 22 Aug 2025 10:00:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset="x-unknown-charset"
Content-Transfer-Encoding: quoted-printable

Please tell me how many parking fines were issued in 2024. Caf=C3=A9 owner.
"""


def test_email_becomes_a_request_and_the_original_is_kept():
    req = actions.create_from_email(EML)
    assert req.source == "email" and req.requester_email == "zoe@example.com"
    assert req.requester_name == "Zoë Smith"
    assert "parking fines" in req.subject and "parking fines" in req.body
    assert bytes(req.original_email) == EML
    assert req.received_on == D(2025, 8, 22) and req.due_date == D(2025, 9, 22)


def test_bad_email_is_refused_and_nothing_written():
    with pytest.raises(actions.FOIError):
        actions.create_from_email(b"Subject: hello\n\nno sender")
    assert not InformationRequest.objects.exists()


def test_similar_requests_suggested():
    first = _foi(subject="Pothole repairs spending 2024", body="Spending on pothole repairs by ward in 2024")
    _foi(subject="Library opening hours", body="Opening hours of every library")
    new = _foi(subject="Pothole repairs", body="What was spent on pothole repairs in each ward in 2024?")
    suggested = [other for _score, other in queries.similar_requests(new)]
    assert suggested[0] == first and len(suggested) == 1


def test_overdue_and_due_soon():
    late = _foi(received_on=D(2025, 1, 6))
    soon = _foi(received_on=D(2025, 8, 22))
    assert list(queries.overdue(D(2025, 9, 1))) == [late]
    assert list(queries.due_soon(D(2025, 9, 17))) == [soon]


def test_ico_figures_for_a_quarter(ig_leader):
    for received, responded in [(D(2025, 8, 22), D(2025, 9, 22)), (D(2025, 8, 22), D(2025, 9, 23))]:
        req = actions.approve(
            actions.submit_for_approval(actions.save_draft(_foi(received_on=received), "x")), by=ig_leader
        )
        actions.respond(req, outcome="full", on=responded)
    figures = queries.ico_figures("2025-26 Q2")
    assert figures["foi"]["answered"] == 2 and figures["foi"]["late"] == 1
    assert figures["foi"]["share_within_20"] == 0.5


def test_the_residents_case_follows_the_request(make_case, django_capture_on_commit_callbacks, ig_leader):
    """A request made through the web form: the case the resident tracks moves with it (it stayed
    "Received" after the answer had gone)."""
    from residenthub.cases.models import CaseEvent

    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(
            "foi-request",
            answers={"request": "Spending on parks in 2024", "format": "email", "about_yourself": "no"},
        )
    req = InformationRequest.objects.get(case=case)
    req = actions.save_draft(req, "Dear resident, we spent 12,000 pounds.")
    case.refresh_from_db()
    assert case.status == "in_progress"
    req = actions.approve(actions.submit_for_approval(req), by=ig_leader)
    req = actions.respond(req, outcome="full", on=D(2026, 11, 27))
    case.refresh_from_db()
    assert case.status == "resolved" and not case.is_open
    last = case.events.filter(kind=CaseEvent.Kind.STATUS_CHANGED).order_by("-id").first()
    assert last.public and last.text == "We sent our answer to resident@example.com on 27 November 2026."


def test_a_complaints_case_reopens_at_its_next_stage(
    make_case, django_capture_on_commit_callbacks, ig_leader
):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case("make-a-complaint", answers={"complaint": "Bins missed", "outcome": "Collect them"})
    req = InformationRequest.objects.get(case=case)
    req = actions.approve(actions.submit_for_approval(actions.save_draft(req, "Sorry.")), by=ig_leader)
    case.refresh_from_db()
    assert case.status == "investigating"
    req = actions.respond(req, outcome="full")
    case.refresh_from_db()
    assert case.status == "responded" and not case.is_open
    req = actions.escalate_complaint(req, reason="Still missed")
    case.refresh_from_db()
    assert case.status == "stage_two" and case.is_open
    assert f"now at stage {req.stage}" in case.events.order_by("-id").first().text
    req = actions.approve(actions.submit_for_approval(actions.save_draft(req, "Final.")), by=ig_leader)
    actions.respond(req, outcome="full")
    case.refresh_from_db()
    assert case.status == "final_response"


def test_a_case_staff_closed_is_not_reopened_by_the_request(make_case, django_capture_on_commit_callbacks):
    from residenthub.cases import actions as case_actions

    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(
            "foi-request", answers={"request": "Parks", "format": "email", "about_yourself": "no"}
        )
    case = case_actions.transition(case, "resolved", by=None, public_message="Answered by letter.")
    req = InformationRequest.objects.get(case=case)
    actions.save_draft(req, "Dear resident")
    case.refresh_from_db()
    assert case.status == "resolved"
