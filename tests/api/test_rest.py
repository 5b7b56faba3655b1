"""REST API: the document, the docs page, public and staff endpoints with scopes and visibility."""

import json

import pytest

from residenthub.api import keys
from residenthub.api.models import Scope
from residenthub.cases.models import Case, Channel
from residenthub.cases.tracking import make_token

pytestmark = pytest.mark.django_db
API = "/api/v1"


def auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_document_and_docs_page(client):
    doc = client.get(f"{API}/openapi.json").json()
    assert doc["openapi"].startswith("3.") and "/staff/cases/{reference}/transition" in doc["paths"]
    page = client.get(f"{API}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/staff/cases" in html and "cases:write" in html
    assert (
        "https://" not in html.split("<body", 1)[1].split("</body>")[0].replace("https://www.gov.uk", "")
        or "cdn" not in html.lower()
    )


def test_services_paginated(client, catalogue):
    data = client.get(f"{API}/services", {"page_size": 5}).json()
    assert data["count"] >= 20 and len(data["results"]) == 5 and data["next"] == 2
    assert "adult-social-care-assessment" not in json.dumps(
        client.get(f"{API}/services?page_size=100").json()
    )
    detail = client.get(f"{API}/services/report-pothole").json()
    assert detail["questions"][0]["name"] == "location"
    missing = client.get(f"{API}/services/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get(f"{API}/services", {"page": 99}).status_code == 404
    assert client.get(f"{API}/services", {"page": "x"}).status_code == 400


def test_create_case_and_track(client, catalogue, django_capture_on_commit_callbacks):
    from django.core import mail

    key, raw = keys.create_key("Highways app", [Scope.CASES_CREATE])
    body = {
        "service_code": "report-pothole",
        "answers": {"surface": "road", "size": "large", "injured": "no"},
        "location": {"lat": "51.5", "long": "-0.01", "address_string": "Mill Lane, E20 1AB"},
        "description": "By the lamp post",
        "contact": {"first_name": "Ann", "last_name": "Lee", "email": "ann@example.com"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/cases",
            json.dumps(body),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="abc",
            **auth(raw),
        )
    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get(reference=data["reference"])
    assert case.channel == Channel.API and case.channel_detail == "API: Highways app"
    assert len(mail.outbox) == 1
    again = client.post(
        f"{API}/cases",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="abc",
        **auth(raw),
    )
    assert again.json()["reference"] == case.reference
    tracked = client.get(f"{API}/cases/track/{data['tracking_token']}").json()
    assert tracked["reference"] == case.reference and "Ann" not in json.dumps(tracked)
    assert client.get(f"{API}/cases/track/forged").status_code == 404
    bad = client.post(
        f"{API}/cases",
        json.dumps({**body, "answers": {"size": "huge"}}),
        content_type="application/json",
        **auth(raw),
    )
    assert bad.status_code == 400 and bad.json()["error"]["details"]
    assert client.post(f"{API}/cases", "{", content_type="application/json", **auth(raw)).status_code == 400
    assert client.post(f"{API}/cases", json.dumps(body), content_type="application/json").status_code == 401
    _k, read_only = keys.create_key("Reader", [Scope.OPEN311])
    assert (
        client.post(
            f"{API}/cases", json.dumps(body), content_type="application/json", **auth(read_only)
        ).status_code
        == 403
    )
    assert Case.objects.count() == 1


def test_staff_endpoints_follow_visibility(client, make_case, highways_officer, housing_officer):
    pothole = make_case("report-pothole")
    repair = make_case("housing-repair")
    _k, highways = keys.create_key("Highways system", [Scope.CASES_READ, Scope.CASES_WRITE], highways_officer)
    _k, housing = keys.create_key("Housing system", [Scope.CASES_READ], housing_officer)
    listed = client.get(f"{API}/staff/cases", **auth(highways)).json()
    refs = {c["reference"] for c in listed["results"]}
    assert pothole.reference in refs and repair.reference not in refs
    assert client.get(f"{API}/staff/cases/{repair.reference}", **auth(highways)).status_code == 404
    assert client.get(f"{API}/staff/cases/{pothole.reference}", **auth(housing)).status_code == 404
    full = client.get(f"{API}/staff/cases/{pothole.reference}", **auth(highways)).json()
    assert full["contact"]["email"] == "resident@example.com"
    moved = client.post(
        f"{API}/staff/cases/{pothole.reference}/transition",
        json.dumps({"status": "in_progress", "public_message": "On it"}),
        content_type="application/json",
        **auth(highways),
    )
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    wrong = client.post(
        f"{API}/staff/cases/{pothole.reference}/transition",
        json.dumps({"status": "nope"}),
        content_type="application/json",
        **auth(highways),
    )
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "not_allowed"
    note = client.post(
        f"{API}/staff/cases/{pothole.reference}/notes",
        json.dumps({"text": "Checked"}),
        content_type="application/json",
        **auth(highways),
    )
    assert note.status_code == 201
    assign = client.post(
        f"{API}/staff/cases/{pothole.reference}/assign",
        json.dumps({"officer": "highways.officer"}),
        content_type="application/json",
        **auth(highways),
    )
    assert assign.status_code == 200 and assign.json()["assigned_to"] == "highways.officer"
    denied = client.post(
        f"{API}/staff/cases/{pothole.reference}/notes",
        json.dumps({"text": "x"}),
        content_type="application/json",
        **auth(housing),
    )
    assert denied.status_code == 403
    no_user = keys.create_key("Unlinked", [Scope.CASES_READ])[1]
    assert client.get(f"{API}/staff/cases", **auth(no_user)).status_code == 403
    assert make_token(pothole)


def test_schemathesis_no_server_errors(catalogue, live_server, highways_officer):
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings

    _k, raw = keys.create_key(
        "Fuzz",
        [Scope.CASES_CREATE, Scope.CASES_READ, Scope.CASES_WRITE, Scope.PERSONS_MATCH],
        highways_officer,
    )
    schema = schemathesis.openapi.from_url(f"{live_server.url}{API}/openapi.json")
    schema.config.base_url = f"{live_server.url}{API}"
    from schemathesis import checks as st

    # No 500s, and every response matches the document (status, content type, body schema).
    # positive_data_acceptance is left out: a schema-valid body may still name an unknown service.
    checks = [
        st.not_a_server_error,
        st.status_code_conformance,
        st.content_type_conformance,
        st.response_schema_conformance,
    ]
    failures = []
    for operation in schema.get_all_operations():
        op = operation.ok()

        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def run(case):
            response = case.call(headers={"Authorization": f"Bearer {raw}"})
            if response.status_code >= 500:
                failures.append((case.operation.label, response.status_code))
            try:
                case.validate_response(response, checks=checks)
            except Exception as exc:  # every schema mismatch is collected and reported
                failures.append((case.operation.label, response.status_code, str(exc)[:300]))

        run()
    assert not failures, failures[:5]


def test_characters_no_database_can_store_are_a_clear_error(client, catalogue):
    key, raw = keys.create_key("Fuzzer", [Scope.CASES_CREATE])
    body = '{"service_code": "\\u0000", "answers": {}, "description": "x\\ud9e4"}'
    response = client.post(f"{API}/cases", body, content_type="application/json", **auth(raw))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_characters"
    assert not Case.objects.exists()
