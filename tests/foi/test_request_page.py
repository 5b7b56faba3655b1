"""The request page offers each step of the workflow only when it can be taken, and every step an officer
needs is there: tasks to services, extension, draft, approval, response, internal review, closing and a
referral. Bad input gets one error summary and leaves the request as it was."""

from __future__ import annotations

import pytest

from residenthub.foi import actions
from residenthub.foi.models import InformationRequest, Status

pytestmark = pytest.mark.django_db

BUTTONS = {
    "pause": "Pause clock",
    "resume": "Requester replied: restart clock",
    "task": "Ask the team",
    "extend": "Extend the deadline",
    "draft": "Save draft",
    "submit": "Send for approval",
    "approve": ">Approve</button>",
    "respond": "Send response",
    "review": "Start internal review",
    "complete_review": "Complete the internal review",
    "close": "Close the request",
    "refer": "Record the referral",
    "escalate": "Escalate to the next stage",
    "publication": "Prepare the disclosure log entry",
}


def _offered(client, req) -> set[str]:
    page = client.get(f"/staff/foi/{req.reference}/").content.decode()
    return {name for name, text in BUTTONS.items() if text in page}


def _post(client, req, **data):
    return client.post(f"/staff/foi/{req.reference}/", data)


def _request(kind="foi") -> InformationRequest:
    return actions.log_request(kind=kind, subject="Trees felled", body="How many trees were felled in 2025?")


def test_each_step_is_offered_only_when_it_can_be_taken(client, ig_officer, ig_leader):
    req = _request()
    client.force_login(ig_officer)
    assert _offered(client, req) == {"pause", "task", "extend", "draft"}
    assert _post(client, req, action="draft", text="Dear requester, 41 trees.").status_code == 302
    assert _offered(client, req) == {"pause", "task", "extend", "draft", "submit"}
    _post(client, req, action="submit")
    page = client.get(f"/staff/foi/{req.reference}/").content.decode()
    assert "Waiting for a team leader or manager" in page and "approve" not in _offered(client, req)
    client.force_login(ig_leader)
    assert "approve" in _offered(client, req)
    _post(client, req, action="approve")
    assert _offered(client, req) == {"pause", "task", "extend", "respond"}
    _post(client, req, action="respond", outcome="full")
    assert _offered(client, req) == {"review", "close", "refer", "publication"}
    _post(client, req, action="review", note="The count leaves out the park.")
    assert _offered(client, req) == {
        "complete_review",
        "refer",
        "draft",
        "publication",
        "task",
    }  # the response clock has stopped: no pause or extension in a review
    _post(client, req, action="complete_review", review_outcome="Upheld")
    req.refresh_from_db()
    assert req.status == Status.CLOSED and req.review_outcome == "Upheld"
    assert _offered(client, req) == {"review", "refer", "publication"}
    _post(client, req, action="refer", to="ico", note="ICO case IC-1234")
    req.refresh_from_db()
    assert req.status == Status.REFERRED and req.referred_to == "ico"


def test_a_paused_request_offers_only_the_restart_and_a_complaint_escalates(client, ig_officer):
    req = _request()
    client.force_login(ig_officer)
    _post(client, req, action="pause", reason="clarification", note="Which park?")
    assert _offered(client, req) == {"resume", "task", "extend"}
    complaint = actions.respond(_approved(_request("complaint")), outcome="full")
    assert "escalate" in _offered(client, complaint) and "review" not in _offered(client, complaint)
    _post(client, complaint, action="escalate", note="Still no repair.")
    complaint.refresh_from_db()
    assert complaint.stage == 2 and complaint.status == Status.GATHERING


def _approved(req):
    """Drafted, sent for approval and approved (by the lead of information governance)."""
    from residenthub.accounts.models import Membership
    from tests.conftest import _staff

    leader = _staff("ig.lead2", "information-governance", Membership.Role.TEAM_LEADER)
    return actions.approve(
        actions.submit_for_approval(actions.save_draft(req, "Sorry for the delay.")), by=leader
    )


def test_tasks_to_services_and_an_extension_from_the_page(client, ig_officer, highways_officer):
    req = _request()
    client.force_login(ig_officer)
    response = _post(
        client,
        req,
        action="task",
        team="highways",
        description="Trees felled in 2025, by ward",
        working_days="5",
    )
    assert response.status_code == 302
    task = req.tasks.get()
    assert (
        task.team.slug == "highways" and InformationRequest.objects.get(pk=req.pk).status == Status.GATHERING
    )
    assert "Trees felled in 2025, by ward" in client.get(f"/staff/foi/{req.reference}/").content.decode()
    _post(
        client, req, action="task_done", task=str(task.pk), answer="Spreadsheet from the tree team, 41 trees."
    )
    task.refresh_from_db()
    assert task.done_at is not None
    due = InformationRequest.objects.get(pk=req.pk).due_date
    _post(client, req, action="extend", working_days="10", reason_text="Public interest test under s.43")
    assert InformationRequest.objects.get(pk=req.pk).due_date > due


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"action": "task", "team": "highways", "description": " ", "working_days": "5"},
            "task_description",
            "Say what information",
        ),
        (
            {"action": "task", "team": "nope", "description": "x", "working_days": "5"},
            "task_team",
            "Choose the team",
        ),
        (
            {"action": "task", "team": "highways", "description": "x", "working_days": "five"},
            "task_days",
            "as a number",
        ),
        (
            {"action": "task", "team": "highways", "description": "x", "working_days": "40"},
            "task_days",
            "between 1 and 20",
        ),
        ({"action": "task_done", "task": "999", "answer": "x"}, "tasks", "not one of this request"),
        ({"action": "extend", "working_days": "", "reason_text": "x"}, "extend_days", "as a number"),
        (
            {"action": "extend", "working_days": "25", "reason_text": "PIT"},
            "extend_days",
            "at most 20 further working days",
        ),
        ({"action": "extend", "working_days": "5", "reason_text": " "}, "extend_reason", "Give the reason"),
        ({"action": "approve"}, "action", "Only a team leader or manager"),
    ],
)
def test_bad_input_gets_one_error_summary_and_changes_nothing(client, ig_officer, data, field, message):
    req = _request()
    client.force_login(ig_officer)
    before = (req.status, req.due_date, req.tasks.count(), req.events.count())
    response = client.post(f"/staff/foi/{req.reference}/", data)
    page = response.content.decode()
    assert message in page, page[:500]
    assert page.count('class="govuk-error-summary"') == 1 and "<title>Error:" in page
    assert f'<a href="#{field}">' in page and f'id="{field}"' in page  # the summary leads to the field
    if field not in ("tasks", "action"):
        assert f'id="{field}-error"' in page  # and the message is shown at the field
    req.refresh_from_db()
    assert (req.status, req.due_date, req.tasks.count(), req.events.count()) == before


def test_an_empty_task_answer_or_review_outcome_is_refused(client, ig_officer, ig_leader):
    req = _request()
    client.force_login(ig_officer)
    _post(client, req, action="task", team="highways", description="Tree numbers", working_days="3")
    task = req.tasks.get()
    page = _post(client, req, action="task_done", task=str(task.pk), answer="  ").content.decode()
    assert "Write down what the team sent" in page and f'id="task_answer_{task.pk}-error"' in page
    task.refresh_from_db()
    assert task.done_at is None
    req = actions.respond(_approved(req), outcome="full")
    req = actions.request_internal_review(req)
    page = _post(client, req, action="complete_review", review_outcome="").content.decode()
    assert "Give the outcome of the internal review" in page and 'id="review_outcome-error"' in page
    assert InformationRequest.objects.get(pk=req.pk).status == Status.INTERNAL_REVIEW


def test_what_the_officer_typed_is_kept_when_a_step_fails(client, ig_officer):
    req = _request()
    client.force_login(ig_officer)
    page = _post(
        client, req, action="task", team="highways", description="Tree counts by ward", working_days="x"
    )
    page = page.content.decode()
    assert '<option value="highways" selected>' in page and ">Tree counts by ward</textarea>" in page
    assert 'id="task_days" name="working_days" type="text" inputmode="numeric" value="x"' in page
    page = _post(
        client, req, action="extend", working_days="30", reason_text="Public interest test"
    ).content.decode()
    assert ">Public interest test</textarea>" in page and 'value="30"' in page
