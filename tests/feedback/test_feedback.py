""" "How did we do?" (issue 15): asked once when a case closes, by the resident's channel, with a
signed link; the answer page's errors; results per service and team for staff; the front door's
"did this answer your question?" beside them."""

import re

import pytest
from django.core import mail
from django.test import Client

from residenthub.cases import actions as case_actions
from residenthub.cases.models import NotifyBy
from residenthub.core.models import AuditEntry, OutboxMessage
from residenthub.feedback import actions
from residenthub.feedback.models import FeedbackRequest, FeedbackResponse
from residenthub.triage.models import AnswerFeedback

pytestmark = pytest.mark.django_db(transaction=True)


def _link_in_email() -> str:
    body = mail.outbox[-1].body
    return re.search(r"/feedback/[^\s]+/", body).group(0)


def test_closing_asks_once_by_email_and_the_answer_is_recorded(make_case, highways_officer):
    case = make_case()
    mail.outbox.clear()
    case_actions.transition(case, "resolved", by=highways_officer)
    assert FeedbackRequest.objects.get(case=case).channel == "email"
    assert "How did we do?" in mail.outbox[-1].subject
    url = _link_in_email()
    resident = Client()
    page = resident.get(url)
    assert page.status_code == 200 and "Overall, how satisfied are you" in page.content.decode()
    missing = resident.post(url, {"comment": "x"})
    assert missing.status_code == 400 and "Select how satisfied you are" in missing.content.decode()
    too_long = resident.post(url, {"score": "2", "comment": "x" * 1201})
    assert too_long.status_code == 400 and "1200 characters or fewer" in too_long.content.decode()
    assert resident.post(url, {"score": "9"}).status_code == 400
    assert not FeedbackResponse.objects.exists()
    done = resident.post(url, {"score": "2", "comment": "Took too long."})
    assert done.status_code == 200
    answer = FeedbackResponse.objects.get()
    assert (answer.score, answer.service.code, answer.team.slug, answer.channel) == (
        2,
        "report-pothole",
        "highways",
        "email",
    )
    assert "already told us" in resident.post(url, {"score": "5"}).content.decode()
    assert FeedbackResponse.objects.count() == 1
    assert AuditEntry.objects.filter(action="feedback.answered").count() == 1
    # Reopened and closed again: not asked twice.
    case.refresh_from_db()
    case_actions.reopen(case, by=highways_officer, reason="Came back")
    case_actions.transition(case, "resolved", by=highways_officer)
    assert FeedbackRequest.objects.count() == 1


def test_text_message_channel_and_no_updates(make_case, highways_officer, fake_notify):
    texted = make_case(email="", phone="07700 900982", notify_by=NotifyBy.SMS)
    silent = make_case(notify_by=NotifyBy.NONE)
    for case in (texted, silent):
        case_actions.transition(case, "resolved", by=highways_officer)
    sms = OutboxMessage.objects.filter(case=texted, channel="sms").order_by("-created_at").first()
    assert "How did we do?" in sms.body_text and "/feedback/" in sms.body_text
    assert not FeedbackRequest.objects.filter(case=silent).exists()


def test_forged_or_expired_links(make_case, settings, client):
    case = make_case()
    token = actions.make_token(case)
    assert client.get(f"/feedback/{token[:-2]}xx/").status_code == 404
    settings.FEEDBACK_LINK_DAYS = 1
    import time

    from django.core import signing

    stale = signing.dumps(case.pk, salt=actions.SALT, compress=True)
    assert actions.read_token(stale) == case.pk
    original = time.time
    try:
        time.time = lambda: original() + 3 * 86400
        assert client.get(f"/feedback/{stale}/").status_code == 404
    finally:
        time.time = original


def test_results_per_team_and_service_with_personas(
    make_case, highways_officer, housing_officer, administrator, client
):
    for score in (5, 4, 1):
        case = make_case()
        case_actions.transition(case, "resolved", by=highways_officer)
        actions.record(case, score, "Fine" if score > 3 else "", by=actions.Actor.system("test"))
    AnswerFeedback.objects.create(page="https://council.example/bins", helpful=False)
    assert client.get("/staff/feedback/").status_code == 302  # outsider
    officer = Client()
    officer.force_login(highways_officer)
    page = officer.get("/staff/feedback/")
    [team] = page.context["by_team"]
    assert (team["team__name"], team["answers"], team["average"], team["satisfied_pct"]) == (
        "Highways",
        3,
        3.3,
        67,
    )
    assert [(r["service__name"], r["answers"]) for r in page.context["by_service"]] == [
        ("Report a pothole", 3)
    ]
    assert "https://council.example/bins" in page.content.decode()
    other = Client()
    other.force_login(housing_officer)
    assert other.get("/staff/feedback/").context["by_team"] == []
    admin = Client()
    admin.force_login(administrator)
    assert admin.get("/staff/feedback/").context["by_team"][0]["answers"] == 3


def test_managers_see_their_teams_and_outsiders_nothing(make_case, highways_officer, team_leader, client):
    """The manager persona on the new staff pages: their team's results, tasks and letters."""
    case = make_case(notify_by=NotifyBy.POST, address="Mary O'Brien\n1 Station Road\nDemoborough\nE20 1AB")
    case_actions.transition(case, "resolved", by=highways_officer)
    actions.record(case, 5, "", by=actions.Actor.system("test"))
    leader = Client()
    leader.force_login(team_leader)
    assert leader.get("/staff/feedback/").context["by_team"][0]["answers"] == 1
    assert len(leader.get("/staff/letters/").context["waiting"]) == 3  # received, resolved, "how did we do?"
    assert leader.get("/staff/tasks/").status_code == 200
    for path in ("/staff/feedback/", "/staff/letters/", "/staff/tasks/", "/staff/identity/people/?q=x"):
        assert client.get(path).status_code == 302, path  # outsiders go to the staff sign-in
    # A resident (signed in to their account, not staff) is no officer either.
    from residenthub.portal.models import SignInToken

    resident = Client()
    resident.get(f"/account/sign-in/{SignInToken.issue('resident@example.com')}/")
    assert resident.get("/staff/feedback/").status_code == 302
    assert (
        resident.post(f"/staff/identity/case/{case.reference}/person/", {"decision": "confirm"}).status_code
        == 302
    )
