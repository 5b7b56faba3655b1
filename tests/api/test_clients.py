# ruff: noqa: S314 - parsing our own server's XML responses in tests
"""The real server (live_server) driven by clients nobody here wrote: the PyPI packages ``georeport``
and ``civicbot``, and the requests FixMyStreet's Open311 client sends (replayed with ``requests``)."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import requests
from civicbot.http import HttpTransport, RateLimiter
from civicbot.open311 import Open311Client
from civicbot.registry import Endpoint
from django.core import mail
from georeport import GeoReport

from residenthub.api import keys
from residenthub.api.models import Scope
from residenthub.cases import actions
from residenthub.cases.models import Case, CaseEvent

pytestmark = pytest.mark.django_db(transaction=True)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def server(live_server, catalogue):
    key, raw = keys.create_key("FixMyStreet", [Scope.OPEN311])
    return f"{live_server.url}/open311/v2", raw


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_package(server, make_case, fmt):
    base, raw = server
    case = make_case("report-pothole")
    client = GeoReport(base, api_key=raw, output_format=fmt)
    services = client.get_service_list()
    assert "report-pothole" in {s["service_code"] for s in services}
    definition = client.get_service_definition("report-pothole")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    assert "size" in {a["code"] for a in attributes}
    found = client.get_service_requests(service_code="report-pothole")
    if fmt == "xml":
        found = [found] if isinstance(found, dict) else found
    assert case.reference in {r["service_request_id"] for r in found}
    one = client.get_service_request(case.reference)
    assert one["service_request_id"] == case.reference and one["status"] == "open"


def test_civicbot_create_request_validated_remotely(server):
    base, raw = server
    endpoint = Endpoint(id="hub", name="Resident Hub", base_url=base, write=True)
    client = Open311Client(endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)))
    sent = client.create_request(
        "report-pothole",
        dry_run=False,
        confirm="SEND",
        api_key=raw,
        validate_remote=True,
        lat=51.5412,
        lng=-0.0031,
        description="Deep pothole outside the school",
        attributes={"surface": "road", "size": "large", "injured": "no"},
        email="civic@example.com",
        first_name="Sam",
        last_name="Jones",
    )
    reference = sent.response[0]["service_request_id"]
    case = Case.objects.get(reference=reference)
    assert case.channel_detail == "Open311: FixMyStreet"
    assert client.get_request(reference)["service_request_id"] == reference
    assert any(reference in m.subject + m.body and m.to == ["civic@example.com"] for m in mail.outbox)
    # civicbot's own validation refuses a missing required attribute before sending.
    from civicbot.open311 import ValidationError

    with pytest.raises(ValidationError):
        client.create_request(
            "report-pothole",
            api_key=raw,
            validate_remote=True,
            lat=51.5,
            lng=0.0,
            attributes={"surface": "road"},
        )


def _fms_attributes():
    # What FixMyStreet adds to every report, beside the service's own attributes.
    return {
        "attribute[title]": "Pothole by the bus stop",
        "attribute[description]": "It is deep",
        "attribute[report_url]": "https://www.fixmystreet.com/report/123",
        "attribute[easting]": "537900",
        "attribute[northing]": "184500",
        "attribute[closest_address]": "14 Station Road",
        "attribute[external_id]": "123",
    }


def test_fixmystreet_replay(server):
    base, raw = server
    services = ET.fromstring(
        requests.get(f"{base}/services.xml", params={"jurisdiction_id": "x"}, timeout=10).content
    )
    assert services.find("service/service_code") is not None
    meta = ET.fromstring(requests.get(f"{base}/services/report-pothole.xml", timeout=10).content)
    assert meta.find("attributes/attribute/datatype") is not None
    form = {
        "jurisdiction_id": "",
        "api_key": raw,
        "service_code": "report-pothole",
        "lat": "51.541234",
        "long": "-0.003123",
        "email": "fms.user@example.com",
        "first_name": "Fiona",
        "last_name": "Street",
        "description": (
            "title: Pothole by the bus stop\n\ndetail: It is deep\n\n"
            "url: https://www.fixmystreet.com/report/123\n\nSubmitted via FixMyStreet\n"
        ),
        "media_url": "https://www.fixmystreet.com/photo/123.0.full.jpeg",
        "attribute[surface]": "road",
        "attribute[size]": "small",
        "attribute[injured]": "no",
        **_fms_attributes(),
    }
    response = requests.post(f"{base}/requests.xml", data=form, timeout=10)
    assert response.status_code == 200, response.text
    reference = ET.fromstring(response.content).find("request/service_request_id").text
    case = Case.objects.get(reference=reference)
    note = case.events.get(kind=CaseEvent.Kind.INTERNAL_NOTE).text
    assert "report_url: https://www.fixmystreet.com/report/123" in note and "photo/123" in note

    multipart = {**form, "attribute[size]": "large", "description": "another"}
    response = requests.post(
        f"{base}/requests.xml", data=multipart, files={"media": ("photo.png", PNG, "image/png")}, timeout=10
    )
    assert response.status_code == 200, response.text
    second = Case.objects.get(
        reference=ET.fromstring(response.content).find("request/service_request_id").text
    )
    assert second.attachments.count() == 1

    # The council moves the case on; FixMyStreet fetches updates since a date.
    actions.transition(case, "resolved", by=None, public_message="Filled on Tuesday.")
    start = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    got = requests.get(
        f"{base}/servicerequestupdates.xml",
        params={"api_key": raw, "start_date": start, "end_date": end, "jurisdiction_id": ""},
        timeout=10,
    )
    assert got.status_code == 200, got.text
    updates = ET.fromstring(got.content)
    assert updates.tag == "service_requests_updates"
    update = next(
        u for u in updates.findall("request_update") if u.find("service_request_id").text == reference
    )
    assert update.find("status").text == "FIXED" and update.find("description").text == "Filled on Tuesday."
    assert update.find("updated_datetime").text[-6] in "+-"

    # A resident comments on FixMyStreet and asks to reopen (extended statuses, mark_reopen).
    posted = requests.post(
        f"{base}/servicerequestupdates.xml",
        data={
            "jurisdiction_id": "",
            "api_key": raw,
            "service_request_id": reference,
            "status": "REOPEN",
            "description": "Still there",
            "updated_datetime": start,
            "first_name": "Fiona",
            "last_name": "Street",
            "email": "fms.user@example.com",
            "update_id": "456",
        },
        timeout=10,
    )
    assert posted.status_code == 200, posted.text
    assert ET.fromstring(posted.content).find("request_update/update_id").text.isdigit()
    case.refresh_from_db()
    assert case.is_open and case.status == "in_progress"
    # A plain comment keeps the status: a staff-only note.
    comment = requests.post(
        f"{base}/servicerequestupdates.xml",
        data={"api_key": raw, "service_request_id": reference, "status": "OPEN", "description": "Thanks"},
        timeout=10,
    )
    assert comment.status_code == 200
    assert case.events.filter(kind=CaseEvent.Kind.INTERNAL_NOTE, text__contains="Thanks").exists()
    # Errors FixMyStreet can read.
    bad = requests.post(f"{base}/servicerequestupdates.xml", data={"api_key": "nope"}, timeout=10)
    assert bad.status_code == 403 and ET.fromstring(bad.content).find("error/code").text == "403"
    closed = requests.post(
        f"{base}/servicerequestupdates.xml",
        data={"api_key": raw, "service_request_id": reference, "status": "FIXED", "description": "Fixed now"},
        timeout=10,
    )
    assert closed.status_code == 200
    case.refresh_from_db()
    assert not case.is_open and case.status == "resolved"
