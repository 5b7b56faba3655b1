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


def test_phone_api_needs_a_key_when_not_open_and_is_rate_limited(client, catalogue, settings):
    """Finding 11 (medium): the phone transcript API needs a triage:phone key, compared in constant
    time, and is rate limited."""
    settings.TRIAGE_PHONE_API_OPEN = False
    settings.TRIAGE_API_TOKEN = ""
    body = {"transcript": "there is a pothole on the high street"}

    def post(**headers):
        return client.post("/triage/api/phone/", body, content_type="application/json", headers=headers)

    assert post().status_code == 401
    assert post(Authorization="Bearer rh_nope_nope").status_code == 401
    _k, open311_only = keys.create_key("Wrong scope", [Scope.OPEN311])
    assert post(Authorization=f"Bearer {open311_only}").status_code == 401
    _k, raw = keys.create_key("Telephony", [Scope.TRIAGE_PHONE])
    assert post(Authorization=f"Bearer {raw}").status_code == 200
    settings.TRIAGE_PHONE_RATE_LIMIT_PER_HOUR = 1
    assert post(Authorization=f"Bearer {raw}").status_code == 429


def test_open_phone_api_is_refused_in_production(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "HUB_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "council.example",
        "SITE_URL": "https://council.example",
        "TRIAGE_PHONE_API_OPEN": "true",
        "DJANGO_SETTINGS_MODULE": "residenthub.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "TRIAGE_PHONE_API_OPEN" in result.stderr


def test_utf16_xml_with_entities_is_refused(client, catalogue):
    """Finding 12 (low): the DTD guard holds whatever the encoding."""
    body = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        "<request><api_key>&a;</api_key></request>"
    )
    response = client.post("/open311/v2/requests.xml", body.encode("utf-16"), content_type="text/xml")
    assert response.status_code == 400
    assert b"DOCTYPE" in response.content
