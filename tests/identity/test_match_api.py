"""The point-of-entry check in the REST API: POST /api/v1/staff/persons/match (docs/api.md)."""

import json

import pytest

from residenthub.api import keys
from residenthub.api.models import Scope
from residenthub.core.models import AuditEntry

from .test_linkage_db import linked, person_of  # noqa: F401 - the linked population fixture

URL = "/api/v1/staff/persons/match"


def post(client, body, raw=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


@pytest.fixture
def staff_key(linked, highways_officer):  # noqa: F811
    return keys.create_key("CRM", [Scope.PERSONS_MATCH], highways_officer)[1]


def test_a_known_resident_is_found(client, staff_key):
    response = post(
        client, {"name": "Bill Okafor", "email": "bill.okafor@example.com", "postcode": "e201ab"}, staff_key
    )
    assert response.status_code == 200
    best = response.json()["candidates"][0]
    assert best["person_id"] == person_of("council-tax:T1").public_id
    assert best["decision"] == "link" and best["match_probability"] >= 0.95
    entry = AuditEntry.objects.get(action="identity.match.api")
    assert entry.actor_label == "CRM" and "okafor" not in json.dumps(entry.detail).lower()


def test_a_stranger_has_no_candidates(client, staff_key):
    response = post(client, {"name": "Zed Quinn", "email": "zed@example.com"}, staff_key)
    assert response.status_code == 200 and response.json() == {"candidates": []}


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"name": "Bill Okafor", "dob": "31/02/1970"}, "dob: not a date"),
        ({"name": "Bill Okafor", "postcode": "nowhere"}, "postcode: not a UK postcode"),
        ({"name": "Bill Okafor", "nhs": "123"}, "nhs: unknown field"),
        ({"name": 42}, "name: must be a string"),
        ({}, "name: give a name, or at least one of dob, email, phone, postcode"),
    ],
)
def test_bad_contacts_are_clear_errors(client, staff_key, body, detail):
    response = post(client, body, staff_key)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and any(d.startswith(detail) for d in error["details"]), error


def test_bad_json_and_wrong_keys(client, staff_key, linked, housing_officer):  # noqa: F811
    assert post(client, "{not json", staff_key).json()["error"]["code"] == "bad_json"
    assert post(client, {"name": "Bill Okafor"}).status_code == 401
    reader = keys.create_key("Reader", [Scope.CASES_READ], housing_officer)[1]
    assert post(client, {"name": "Bill Okafor"}, reader).status_code == 403
    unlinked = keys.create_key("No user", [Scope.PERSONS_MATCH])[1]
    response = post(client, {"name": "Bill Okafor"}, unlinked)
    assert response.status_code == 403 and "staff user" in response.json()["error"]["message"]
    assert client.get(URL, **{"HTTP_AUTHORIZATION": f"Bearer {staff_key}"}).status_code == 405


def test_the_document_describes_it(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/staff/persons/match"]["post"]
    assert operation["x-scope"] == "persons:match"
    assert document["components"]["schemas"]["Contact"]["additionalProperties"] is False
