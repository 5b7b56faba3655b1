"""Open311 GeoReport v2 through Django's test client: every resource, XML and JSON, and the spec's errors."""
# ruff: noqa: S314 - parsing our own server's XML responses in tests

import json
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from residenthub.cases.models import Attachment, Case, CaseEvent, Channel

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pothole_form(key, **extra):
    data = {
        "api_key": key,
        "service_code": "report-pothole",
        "lat": "51.5412",
        "long": "-0.0031",
        "address_string": "Outside 14 Station Road, E20 1AB",
        "description": "Deep hole by the bus stop",
        "email": "resident@example.com",
        "first_name": "Mary",
        "last_name": "O'Brien",
        "attribute[surface]": "road",
        "attribute[size]": "large",
        "attribute[injured]": "no",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def choices(catalogue):
    from residenthub.services.models import Service

    form = Service.objects.get(code="report-pothole").form
    return {q.name: [c.value for c in q.choices] for q in form.questions if q.choices}


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def test_discovery(client):
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.find("endpoints/endpoint/specification").text == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]
    data = client.get(f"{BASE}/discovery.json").json()
    assert data["endpoints"][0]["type"] == "production"


def test_services_lists_only_public_unrestricted(client, catalogue):
    data = client.get(f"{BASE}/services.json").json()
    codes = {s["service_code"] for s in data}
    assert "report-pothole" in codes
    assert "adult-social-care-assessment" not in codes and "child-safeguarding-concern" not in codes
    pothole = next(s for s in data if s["service_code"] == "report-pothole")
    assert pothole["metadata"] is True and pothole["type"] == "realtime"
    assert pothole["group"] and "road" in pothole["keywords"]
    root = xml(client.get(f"{BASE}/services.xml"))
    assert len(root.findall("service")) == len(data)
    assert root.find("service/metadata").text in {"true", "false"}


def test_service_definition(client, catalogue):
    data = client.get(f"{BASE}/services/report-pothole.json").json()
    assert data["service_code"] == "report-pothole"
    by_code = {a["code"]: a for a in data["attributes"]}
    assert by_code["size"]["datatype"] == "singlevaluelist" and by_code["size"]["required"] is True
    assert {v["key"] for v in by_code["injured"]["values"]} == {"yes", "no"}
    assert by_code["injury_details"]["required"] is False  # conditional
    assert by_code["location"]["variable"] is False
    assert "photo" not in by_code
    assert [a["order"] for a in data["attributes"]] == sorted(a["order"] for a in data["attributes"])
    root = xml(client.get(f"{BASE}/services/report-pothole.xml"))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/code").text == "location"
    assert client.get(f"{BASE}/services/nope.xml").status_code == 404
    assert client.get(f"{BASE}/services/adult-social-care-assessment.json").status_code == 404


def test_post_request_creates_case_like_the_web(client, api_key, choices, django_capture_on_commit_callbacks):
    key, raw = api_key
    form = pothole_form(
        raw, **{"attribute[surface]": choices["surface"][0], "attribute[size]": choices["size"][0]}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/requests.xml", form)
    assert response.status_code == 200, response.content
    root = xml(response)
    reference = root.find("request/service_request_id").text
    case = Case.objects.get(reference=reference)
    assert case.channel == Channel.OPEN311 and case.channel_detail == "Open311: FixMyStreet"
    assert case.answers["location"]["description"] == "Outside 14 Station Road, E20 1AB"
    assert case.answers["location"]["postcode"] == "E20 1AB"
    assert str(case.latitude) == "51.541200"
    assert case.contact_name == "Mary O'Brien" and case.contact_email == "resident@example.com"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["resident@example.com"]
    assert reference in mail.outbox[0].subject + mail.outbox[0].body
    note = case.events.get(kind=CaseEvent.Kind.INTERNAL_NOTE)
    assert "Deep hole by the bus stop" in note.text and not note.public
    # The same submission again (a retry) finds the same case.
    again = client.post(f"{BASE}/requests.xml", form)
    assert xml(again).find("request/service_request_id").text == reference
    assert Case.objects.count() == 1


def test_post_json_multipart_media_and_multivalue(client, api_key, catalogue):
    from residenthub.services.models import Service

    key, raw = api_key
    form = Service.objects.get(code="report-dangerous-tree").form
    tree_place = form.question("tree_place").choices[0].value
    problems = [c.value for c in form.question("problems").choices[:2]]
    response = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": raw,
            "service_code": "report-dangerous-tree",
            "lat": "51.5",
            "long": "-0.01",
            "attribute[tree_place]": tree_place,
            "attribute[problems][]": problems,
            "attribute[blocking_way]": "yes",
            "email": "tree@example.com",
            "media": SimpleUploadedFile("tree.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 200, response.content
    reference = response.json()[0]["service_request_id"]
    case = Case.objects.get(reference=reference)
    assert case.answers["problems"] == problems
    assert case.attachments.count() == 1 and case.answers["photo"]["name"] == "tree.png"


@pytest.mark.parametrize(
    "change, status, words",
    [
        ({"api_key": "rh_bad_key"}, 403, "api_key"),
        ({"api_key": None}, 403, "api_key"),
        ({"service_code": "no-such-service"}, 404, "service_code"),
        ({"service_code": "adult-social-care-assessment"}, 404, "service_code"),
        ({"service_code": None}, 400, "service_code"),
        ({"attribute[size]": None}, 400, "size"),
        ({"attribute[size]": "enormous"}, 400, "size"),
        ({"description": "x" * 4001}, 400, "4,000"),
        ({"long": None}, 400, "lat and long"),
        ({"lat": "91"}, 400, "between"),
        ({"lat": "north"}, 400, "decimal"),
        ({"lat": None, "long": None, "address_string": None}, 400, "location"),
        ({"email": "not-an-email"}, 400, "email"),
        ({"address_id": "999999999"}, 400, "UPRN"),
    ],
)
def test_post_request_errors(client, api_key, choices, change, status, words):
    key, raw = api_key
    form = pothole_form(
        raw, **{"attribute[surface]": choices["surface"][0], "attribute[size]": choices["size"][0]}
    )
    form.update(change)
    form = {k: v for k, v in form.items() if v is not None}
    for fmt in ("xml", "json"):
        response = client.post(f"{BASE}/requests.{fmt}", form)
        assert response.status_code == status, response.content
        if fmt == "xml":
            error = xml(response).find("error")
            assert error.find("code").text == str(status)
            assert words in error.find("description").text
        else:
            assert response.json()[0]["code"] == status
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0
    assert len(mail.outbox) == 0


def test_wrong_datatype_and_bad_bodies(client, api_key, catalogue):
    key, raw = api_key
    noise = {
        "api_key": raw,
        "service_code": "report-noise",
        "attribute[times_recently]": "lots",
        "attribute[started]": "yesterday",
        "lat": "51.5",
        "long": "0.0",
        "email": "a@example.com",
    }
    # Noise complaints are about neighbours and homes: not an Open311 service (SECURITY.md).
    assert client.post(f"{BASE}/requests.json", noise).status_code == 404
    wrong = pothole_form(raw, **{"attribute[surface]": "lava", "attribute[injured]": "perhaps"})
    response = client.post(f"{BASE}/requests.json", wrong)
    assert response.status_code == 400
    descriptions = " ".join(e["description"] for e in response.json())
    assert "surface" in descriptions and "injured" in descriptions
    bad_json = client.post(f"{BASE}/requests.json", "{not json", content_type="application/json")
    assert bad_json.status_code == 400 and bad_json.json()[0]["code"] == 400
    bad_xml = client.post(f"{BASE}/requests.xml", b"<request><oops>", content_type="text/xml")
    assert bad_xml.status_code == 400 and xml(bad_xml).find("error/code").text == "400"
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><request><api_key>&a;</api_key></request>'
    assert client.post(f"{BASE}/requests.xml", bomb, content_type="text/xml").status_code == 400
    broken = client.post(
        f"{BASE}/requests.xml",
        b"--x\r\nContent-Disposition: form-data\r\n\r\n",
        content_type="multipart/form-data; boundary=",
    )
    assert broken.status_code == 400
    assert Case.objects.count() == 0


def test_oversized_media_saves_nothing(client, api_key, choices, settings):
    settings.UPLOAD_MAX_MB = 1
    key, raw = api_key
    form = pothole_form(
        raw, **{"attribute[surface]": choices["surface"][0], "attribute[size]": choices["size"][0]}
    )
    form["media"] = SimpleUploadedFile("big.png", PNG + b"\x00" * (1024 * 1024 + 1), content_type="image/png")
    response = client.post(f"{BASE}/requests.xml", form)
    assert response.status_code == 400 and "smaller" in xml(response).find("error/description").text
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0


def test_json_and_xml_bodies_accepted(client, api_key, choices):
    key, raw = api_key
    body = pothole_form(
        raw, **{"attribute[surface]": choices["surface"][0], "attribute[size]": choices["size"][0]}
    )
    response = client.post(f"{BASE}/requests.json", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content


def test_get_requests_and_privacy(client, make_case):
    case = make_case("report-pothole", name="Mary Example", email="mary@example.com", phone="+447700900123")
    home = make_case("missed-bin", name="Mary Example", email="mary@example.com")
    hidden = make_case("child-safeguarding-concern")
    data = client.get(f"{BASE}/requests.json").json()
    refs = {r["service_request_id"] for r in data}
    # Only services the catalogue marks open311 (public places): not bins at a home, not safeguarding.
    assert case.reference in refs and home.reference not in refs and hidden.reference not in refs
    for service in ("homelessness-help", "blue-badge", "adult-social-care-assessment", "missed-bin"):
        assert service not in json.dumps(client.get(f"{BASE}/services.json").json())
    text = json.dumps(data)
    for secret in ("Mary", "mary@example.com", "7700900123", "1 Test Street"):
        assert secret not in text
    one = next(r for r in data if r["service_request_id"] == case.reference)
    assert one["status"] == "open" and one["requested_datetime"][-6] in "+-"
    detail = client.get(f"{BASE}/requests/{case.reference}.xml")
    assert xml(detail).find("request/service_request_id").text == case.reference
    assert client.get(f"{BASE}/requests/{hidden.reference}.json").status_code == 404
    assert client.get(f"{BASE}/requests/DBC-XXXX-XXXX.xml").status_code == 404
    assert client.get(f"{BASE}/requests.json", {"status": "closed"}).json() == []
    assert len(client.get(f"{BASE}/requests.json", {"service_code": "report-pothole"}).json()) == 1
    assert client.get(f"{BASE}/requests.json", {"service_code": "missed-bin"}).json() == []
    only = client.get(f"{BASE}/requests.json", {"service_request_id": f"{case.reference},NOPE"}).json()
    assert [r["service_request_id"] for r in only] == [case.reference]
    assert client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}).status_code == 400
    assert client.get(f"{BASE}/requests.json", {"status": "pending"}).status_code == 400
    old = client.get(
        f"{BASE}/requests.json", {"start_date": "2001-01-01T00:00:00Z", "end_date": "2001-02-01T00:00:00Z"}
    )
    assert old.json() == []
    tok = client.get(f"{BASE}/tokens/{case.reference}.json").json()
    assert tok[0]["service_request_id"] == case.reference
    assert client.get(f"{BASE}/tokens/nope.xml").status_code == 404


def test_jurisdiction(client, catalogue, settings):
    settings.OPEN311_JURISDICTION_ID = "demo.gov.uk"
    assert client.get(f"{BASE}/services.xml", {"jurisdiction_id": "demo.gov.uk"}).status_code == 200
    assert client.get(f"{BASE}/services.xml").status_code == 200
    response = client.get(f"{BASE}/services.xml", {"jurisdiction_id": "elsewhere.gov"})
    assert response.status_code == 404 and "jurisdiction_id" in xml(response).find("error/description").text


def test_revoked_key_and_rate_limit(client, api_key, choices, settings):
    from residenthub.api import keys

    key, raw = api_key
    settings.API_RATE_LIMIT_PER_HOUR = 2
    form = pothole_form(
        raw, **{"attribute[surface]": choices["surface"][0], "attribute[size]": choices["size"][0]}
    )
    assert client.post(f"{BASE}/requests.json", form).status_code == 200
    assert client.post(f"{BASE}/requests.json", {**form, "description": "again"}).status_code == 200
    assert client.post(f"{BASE}/requests.json", {**form, "description": "third"}).status_code == 429
    keys.revoke(key)
    assert client.post(f"{BASE}/requests.json", form).status_code == 403


def test_create_key_command(db, capsys):
    from django.core.management import call_command

    from residenthub.api import keys

    call_command("open311", "create-key", "Street app")
    raw = capsys.readouterr().out.strip()
    key = keys.authenticate(raw)
    assert key is not None and key.name == "Street app" and key.key_hash != raw
    call_command("open311", "revoke-key", key.prefix)
    assert keys.authenticate(raw) is None


def test_admin_registers_keys(client, administrator):
    from residenthub.api.models import ApiKey

    client.force_login(administrator)
    assert client.get("/admin/api/apikey/").status_code == 200
    response = client.post(
        "/admin/api/apikey/add/", {"name": "Highways system", "scopes": '["open311"]'}, follow=True
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(name="Highways system")
    assert key.prefix in response.content.decode()


def test_nul_characters_are_a_spec_error_not_a_server_error(client, api_key):
    _key, raw = api_key
    response = client.post("/open311/v2/requests.json", {"api_key": raw, "service_code": "report\x00pothole"})
    assert response.status_code == 400
    assert "cannot be stored" in response.json()[0]["description"]
    assert client.get("/open311/v2/services/%00.xml").status_code in {400, 404}
