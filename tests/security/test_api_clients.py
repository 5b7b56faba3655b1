"""Finding 3 (high): a key updates only its own requests, audited as that client. Finding 18 (low):
retries within a window only; a reused Idempotency-Key with another body is a 422."""
# ruff: noqa: S314 - parsing our own server's XML responses in tests

import json
import xml.etree.ElementTree as ET

import pytest
from django.core import mail

from residenthub.api import actions as api_actions
from residenthub.api import keys
from residenthub.api.models import ClientCase, Scope
from residenthub.cases.models import Case
from residenthub.core.actions import ActionError
from residenthub.core.models import AuditEntry
from tests.api.test_open311 import BASE, pothole_form

pytestmark = pytest.mark.django_db


def _update(client, raw, reference, status="CLOSED", text="Closed by us"):
    return client.post(
        f"{BASE}/servicerequestupdates.xml",
        {"api_key": raw, "service_request_id": reference, "status": status, "description": text},
    )


def test_a_second_key_cannot_update_a_web_case_or_another_clients_case(
    client, make_case, catalogue, django_capture_on_commit_callbacks
):
    _first, first_raw = keys.create_key("FixMyStreet", [Scope.OPEN311])
    _second, second_raw = keys.create_key("Another app", [Scope.OPEN311])
    web_case = make_case()
    mail.outbox.clear()
    refused = _update(client, second_raw, web_case.reference, status="FIXED", text="Sorted, bye")
    assert refused.status_code == 403
    assert ET.fromstring(refused.content).find("error/code").text == "403"
    web_case.refresh_from_db()
    assert web_case.is_open and not mail.outbox

    created = client.post(f"{BASE}/requests.xml", pothole_form(first_raw))
    reference = ET.fromstring(created.content).find("request/service_request_id").text
    assert _update(client, second_raw, reference).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert _update(client, first_raw, reference, status="OPEN", text="More detail").status_code == 200
    case = Case.objects.get(reference=reference)
    entry = AuditEntry.objects.filter(object_id=str(case.pk), action="case.internal_note").latest("at")
    assert entry.actor is None and entry.actor_label.startswith("api:FixMyStreet")


def test_staff_can_share_a_case_with_a_client(
    client, make_case, highways_officer, housing_officer, socialcare_officer
):
    key, raw = keys.create_key("Contractor", [Scope.OPEN311])
    case = make_case()
    with pytest.raises(ActionError):
        api_actions.share_case(case, key, by=housing_officer)
    api_actions.share_case(case, key, by=highways_officer)
    assert ClientCase.objects.filter(key=key, case=case, kind="shared").exists()
    assert _update(client, raw, case.reference, status="OPEN", text="Crew booked").status_code == 200
    restricted = make_case("adult-social-care-assessment")
    with pytest.raises(ActionError, match="Restricted"):
        api_actions.share_case(restricted, key, by=socialcare_officer)


def test_same_report_is_a_retry_within_the_window_and_new_after_it(client, catalogue, settings, monkeypatch):
    _key, raw = keys.create_key("FixMyStreet", [Scope.OPEN311])
    first = ET.fromstring(client.post(f"{BASE}/requests.xml", pothole_form(raw)).content)
    again = ET.fromstring(client.post(f"{BASE}/requests.xml", pothole_form(raw)).content)
    ref = first.find("request/service_request_id").text
    assert again.find("request/service_request_id").text == ref
    # Two days on, the same words are a new report.
    import time

    later = time.time() + 2 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    third = ET.fromstring(client.post(f"{BASE}/requests.xml", pothole_form(raw)).content)
    assert third.find("request/service_request_id").text != ref


def test_idempotency_key_with_a_different_body_is_a_422(client, catalogue):
    _key, raw = keys.create_key("Highways app", [Scope.CASES_CREATE])
    body = {
        "service_code": "report-pothole",
        "answers": {"surface": "road", "size": "large", "injured": "no"},
        "location": {"lat": "51.5", "long": "-0.01", "address_string": "Mill Lane, E20 1AB"},
        "description": "By the lamp post",
        "contact": {"first_name": "Ann", "last_name": "Lee", "email": "ann@example.com"},
    }

    def post(data):
        return client.post(
            "/api/v1/cases",
            json.dumps(data),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="same-key",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )

    first = post(body)
    assert first.status_code == 201, first.content
    assert post(body).json()["reference"] == first.json()["reference"]
    changed = post({**body, "description": "Something else entirely"})
    assert changed.status_code == 422, changed.content
    assert "different body" in changed.content.decode()
