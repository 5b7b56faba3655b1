"""Subject access packs: the requester's cases and resident-view records, third parties redacted, indexed."""

import io
import re

import pytest
from pypdf import PdfReader

from residenthub.accounts.models import Membership, Team
from residenthub.cases import actions as case_actions
from residenthub.cases.models import Case
from residenthub.core.models import AuditEntry
from residenthub.foi import actions, sar
from tests.conftest import _staff

pytestmark = pytest.mark.django_db

NEIGHBOUR = "Gwilym Pritchard-Jones"


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _sar(**extra):
    values = {
        "kind": "sar",
        "subject": "All the information you hold about me",
        "body": "Please send me my personal data.",
        "requester_name": "Priya Sharma",
        "requester_email": "priya.sharma@example.com",
        "requester_address": "3 Canal Row, Demoborough E20 1AB",
    }
    return actions.log_request(**(values | extra))


@pytest.fixture
def priya(make_case, highways_officer):
    first = make_case(name="Priya Sharma", email="priya.sharma@example.com", phone="07700 900123")
    second = make_case("report-pothole", name="Priya Sharma", email="PRIYA.SHARMA@example.com")
    case_actions.add_public_update(first, "We have sent an inspector.", by=highways_officer)
    case_actions.add_internal_note(
        second,
        f"Ms Sharma says her neighbour {NEIGHBOUR} (gwilym.pj@example.net, 07700 900456) blocks the "
        "footway with his van at 12 Mill Lane. Priya's bins were also moved.",
        by=highways_officer,
    )
    make_case(name="Somebody Else", email="else@example.org")  # not hers
    return first, second


def test_pack_has_her_cases_and_index_and_no_neighbour(priya, ig_officer):
    first, second = priya
    req = _sar()
    pack = sar.build_pack(req, by=ig_officer)

    text = _pdf_text(bytes(pack.pdf))
    raw = bytes(pack.pdf)
    for case in (first, second):
        assert case.reference in text and case.reference in pack.html
    assert "We have sent an inspector." in text  # public timeline
    assert "blocks the footway" in pack.html and "(internal)" in text  # internal notes are her data too
    assert "Priya Sharma" in text and "priya.sharma@example.com" in text  # her own identifiers stay
    assert "[REDACTED third party]" in text
    for secret in (NEIGHBOUR, "Gwilym", "Pritchard", "gwilym.pj@example.net", "07700 900456", "12 Mill Lane"):
        assert secret not in text and secret.encode() not in raw and secret not in pack.html
    assert "Somebody Else" not in text and "else@example.org" not in text
    # the index: one entry per case, with the page each starts on, in the PDF and the HTML
    assert [item["title"] for item in pack.index] == [
        f"Case {first.reference}: {first.service.name}",
        f"Case {second.reference}: {second.service.name}",
    ]
    assert pack.index[0]["page"] >= 2 and pack.index[1]["page"] > pack.index[0]["page"]
    assert re.search(rf"1\. Case {first.reference}.*page {pack.index[0]['page']}", text)
    assert "Index" in text and "href='#section-2'" in pack.html
    # the page numbers are right: the section heading is on that page
    reader = PdfReader(io.BytesIO(raw))
    assert f"2. Case {second.reference}" in reader.pages[pack.index[1]["page"] - 1].extract_text()
    assert "Sources checked" in text and "Cases (reports" in text
    # kept with the request, logged in the redaction log, on the timeline and in the audit trail
    assert req.sar_packs.get() == pack
    assert {r["text"] for r in pack.redaction_log} >= {NEIGHBOUR, "gwilym.pj@example.net"}
    assert all(r["reason"] == "s40_2" for r in pack.redaction_log)
    assert req.events.filter(kind="sar_pack_built").exists()
    entry = AuditEntry.objects.get(action="foi.sar_pack_built", object_id=str(req.pk))
    assert entry.detail["cases"] == 2 and NEIGHBOUR not in str(entry.detail)
    assert not any(r["text"] in {"Priya Sharma", "Priya", "Sharma"} for r in pack.redaction_log)


def test_linked_person_records_from_the_single_resident_view(priya, ig_officer):
    from residenthub.identity.models import CaseLink, Person, PersonLink, Source, SourceRecord

    first, _ = priya
    person = Person.objects.create(public_id="P-TEST-1")
    tax = Source.objects.create(slug="council-tax", name="Council tax")
    record = SourceRecord.objects.create(
        source=tax,
        source_key="CT-991",
        data={"name": "Priya Sharma", "band": "C", "note": "Joint occupier Bartholomew Quince"},
        standard={"first_name": "Priya", "last_name": "Sharma", "postcode": "E20 1AB"},
        fingerprint="x",
    )
    PersonLink.objects.create(record=record, person=person)
    CaseLink.objects.update_or_create(
        case=first, defaults={"person": person, "status": "linked", "probability": 0.999}
    )
    pack = sar.build_pack(_sar(), by=ig_officer)
    text = _pdf_text(bytes(pack.pdf))
    assert "Council tax: record CT-991" in text and "Band: C" in text
    assert "Bartholomew" not in text and b"Quince" not in bytes(pack.pdf)
    assert "Single resident view: Council tax" in text
    assert pack.summary["persons"] == ["P-TEST-1"]


def test_restricted_case_only_for_an_officer_who_may_see_it(make_case, ig_officer):
    social = make_case("adult-social-care-assessment", name="Priya Sharma", email="priya.sharma@example.com")
    assert Case.objects.get(pk=social.pk).restricted
    req = _sar()
    pack = sar.build_pack(req, by=ig_officer)
    text = _pdf_text(bytes(pack.pdf))
    assert social.reference not in text and social.reference not in pack.html
    assert pack.summary["hidden_restricted"] == 1
    assert "Restricted records this officer may not see were not checked" in text

    both = _staff("ig.socialcare", "information-governance")
    Membership.objects.create(user=both, team=Team.objects.get(slug="adult-social-care"))
    pack = sar.build_pack(req, by=both)
    assert social.reference in _pdf_text(bytes(pack.pdf)) and pack.summary["hidden_restricted"] == 0


def test_no_matching_records_gives_a_pack_that_says_so(catalogue, ig_officer):
    pack = sar.build_pack(
        _sar(requester_name="Nobody Known", requester_email="nobody@example.com"), by=ig_officer
    )
    text = _pdf_text(bytes(pack.pdf))
    assert "No records found" in text and "found no records about" in text
    assert pack.index == [{"number": 1, "title": "No records found", "page": 2}]


def test_name_only_match_is_not_included(make_case, ig_officer):
    other = make_case(name="Priya Sharma", email="a.different.priya@example.org")
    pack = sar.build_pack(_sar(requester_address=""), by=ig_officer)
    assert other.reference not in _pdf_text(bytes(pack.pdf))
    assert pack.summary["name_only_matches"] == [other.reference]


def test_not_a_sar_is_a_clear_error(ig_officer):
    req = actions.log_request(kind="foi", subject="Trees", body="How many trees?", requester_name="A B")
    with pytest.raises(actions.FOIError, match="only built for a subject access request"):
        sar.build_pack(req, by=ig_officer)
    assert not req.sar_packs.exists()


def test_staff_page_builds_and_downloads_the_pack(client, priya, ig_officer):
    req = _sar()
    client.force_login(ig_officer)
    page = client.get(f"/staff/foi/{req.reference}/")
    assert b"Build the subject access pack" in page.content
    response = client.post(f"/staff/foi/{req.reference}/", {"action": "sar_pack"})
    assert response.status_code == 302
    pack = req.sar_packs.get()
    page = client.get(f"/staff/foi/{req.reference}/")
    assert f"/staff/foi/packs/{pack.pk}/pdf/".encode() in page.content
    download = client.get(f"/staff/foi/packs/{pack.pk}/pdf/")
    assert download["Content-Type"] == "application/pdf" and download.content.startswith(b"%PDF")
    assert client.get(f"/staff/foi/packs/{pack.pk}/exe/").status_code == 404
    foi = actions.log_request(kind="foi", subject="x", body="y")
    response = client.post(f"/staff/foi/{foi.reference}/", {"action": "sar_pack"})
    assert b"only built for a subject access request" in response.content


def _stranger_linked(first, probability, decided_by="system"):
    """A council tax record of someone else, linked to the requester's case automatically."""
    from residenthub.identity.models import CaseLink, Person, PersonLink, Source, SourceRecord

    person = Person.objects.create(public_id="P-STRANGER")
    tax = Source.objects.create(slug="council-tax", name="Council tax")
    record = SourceRecord.objects.create(
        source=tax,
        source_key="CT-404",
        data={"name": "Somebody Else", "band": "H"},
        standard={"first_name": "Somebody", "last_name": "Else"},
        fingerprint="y",
    )
    PersonLink.objects.create(record=record, person=person)
    CaseLink.objects.update_or_create(
        case=first,
        defaults={"person": person, "status": "linked", "probability": probability, "decided_by": decided_by},
    )


def test_an_unconfirmed_automatic_link_does_not_feed_the_pack(priya, ig_officer):
    """Security finding 10: only links above the confirmation threshold or confirmed by staff."""
    first, _ = priya
    _stranger_linked(first, 0.95)
    pack = sar.build_pack(_sar(), by=ig_officer)
    assert "CT-404" not in _pdf_text(bytes(pack.pdf))
    assert pack.summary["persons"] == []


def test_a_link_staff_confirmed_feeds_the_pack_and_the_officer_can_leave_a_source_out(priya, ig_officer):
    first, _ = priya
    _stranger_linked(first, 0.6, decided_by="ig.officer")
    req = _sar()
    keys = {s["key"] for s in sar.preview(req, ig_officer)}
    assert "records:council-tax" in keys and "cases:report-pothole" in keys
    assert "CT-404" in _pdf_text(bytes(sar.build_pack(req, by=ig_officer).pdf))
    pack = sar.build_pack(req, by=ig_officer, exclude={"records:council-tax"})
    text = _pdf_text(bytes(pack.pdf))
    assert "CT-404" not in text and "Single resident view: Council tax (left out by the officer)" in text
    assert pack.summary["left_out"] == ["records:council-tax"]
