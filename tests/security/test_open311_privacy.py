"""Finding 5 (medium): Open311 lists only services marked public; update text is redacted."""

import datetime as dt

import pytest

from residenthub.api import keys
from residenthub.api.models import Scope
from residenthub.cases import actions

pytestmark = pytest.mark.django_db


def test_sensitive_services_are_not_in_open311(client, make_case):
    homeless = make_case("homelessness-help")
    badge = make_case("blue-badge")
    services = client.get("/open311/v2/services.json").json()
    codes = {s["service_code"] for s in services}
    assert "report-pothole" in codes
    assert not codes & {"homelessness-help", "blue-badge", "adult-social-care-assessment", "pest-control"}
    listed = {r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()}
    assert homeless.reference not in listed and badge.reference not in listed
    assert client.get(f"/open311/v2/requests/{homeless.reference}.json").status_code == 404


def test_update_text_goes_through_the_redaction_detector(client, make_case, highways_officer):
    case = make_case("report-pothole", name="Mary Example")
    actions.add_public_update(
        case,
        "Spoke to Mr Daniel Whitcombe at 27 Larkspur Gardens, E20 3QT, on 07700 900456; crew booked.",
        by=highways_officer,
    )
    start = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    _key, raw = keys.create_key("Any client", [Scope.OPEN311])
    updates = client.get(
        "/open311/v2/servicerequestupdates.json", {"start_date": start, "api_key": raw}
    ).json()
    text = " ".join(u["description"] or "" for u in updates)
    assert "crew booked" in text
    for secret in ("Whitcombe", "27 Larkspur", "E20 3QT", "900456"):
        assert secret not in text, secret
