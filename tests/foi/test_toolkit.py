"""Information requests use the one action toolkit: the officer's IP reaches the audit trail, and a
refusal is the toolkit's ActionError shown on the page."""

import datetime as dt

import pytest
from django.test import Client

from residenthub.core.actions import ActionError
from residenthub.core.models import AuditEntry
from residenthub.foi import actions
from residenthub.foi.models import RequestEvent

pytestmark = pytest.mark.django_db


def test_an_action_from_the_page_is_audited_with_the_officers_ip(ig_officer):
    req = actions.log_request(
        kind="foi", subject="Spending", body="How much?", received_on=dt.date(2025, 8, 22), requester_name="A"
    )
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.force_login(ig_officer)
    data = {"action": "pause", "reason": "clarification", "note": "Which year?"}
    assert client.post(f"/staff/foi/{req.reference}/", data).status_code == 302
    entry = AuditEntry.objects.get(action="foi.clock_paused", object_id=str(req.pk))
    assert entry.actor == ig_officer and entry.ip_address == "203.0.113.9"
    assert req.events.filter(kind=RequestEvent.Kind.CLOCK_PAUSED, actor=ig_officer).exists()


def test_a_refusal_is_the_toolkits_error(ig_officer):
    assert actions.FOIError is ActionError
    req = actions.log_request(
        kind="foi", subject="Spending", body="How much?", received_on=dt.date(2025, 8, 22), requester_name="A"
    )
    client = Client()
    client.force_login(ig_officer)
    response = client.post(f"/staff/foi/{req.reference}/", {"action": "respond", "outcome": "refused"})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
