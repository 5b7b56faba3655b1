"""Staff pages (information governance and administrators only) and the public disclosure log."""

import datetime as dt
import json
import shutil

import pytest

from residenthub.foi import actions

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)


def _uploaded(client, officer, text: bytes, name: str = "notes.txt"):
    """A new request with one document uploaded by ``officer`` (signed in): the document."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    _login(client, officer)
    req = actions.log_request(kind="foi", subject="Noise", body="Noise complaints")
    client.post(f"/staff/foi/{req.reference}/documents/", {"document": SimpleUploadedFile(name, text)})
    return req.documents.get()


def _published(leader):
    req = actions.log_request(
        kind="foi",
        subject="Parking fines 2024",
        body="How many fines? I am Ann Lee.",
        requester_name="Ann Lee",
        received_on=dt.date(2025, 8, 22),
    )
    req = actions.approve(
        actions.submit_for_approval(actions.save_draft(req, "Dear Ann Lee, 12,000 fines.")), by=leader
    )
    req = actions.respond(req, outcome="full", on=dt.date(2025, 9, 1))
    from .test_workflow import review_publication

    review_publication(req, leader)
    return actions.publish(req, by=leader)


def test_who_may_see_the_staff_pages(client, ig_officer, highways_officer, administrator):
    assert client.get("/staff/foi/").status_code == 302  # outsider: sign in
    _login(client, highways_officer)
    assert client.get("/staff/foi/").status_code == 403
    _login(client, ig_officer)
    assert client.get("/staff/foi/").status_code == 200
    _login(client, administrator)
    assert client.get("/staff/foi/").status_code == 200


def test_staff_log_a_request_and_pause(client, ig_officer):
    _login(client, ig_officer)
    response = client.post(
        "/staff/foi/new/", {"kind": "foi", "subject": "", "body": "", "received_on-day": "x"}
    )
    assert response.status_code == 200 and b"Enter a subject" in response.content
    response = client.post(
        "/staff/foi/new/",
        {
            "kind": "foi",
            "subject": "Trees",
            "body": "Trees felled in 2024",
            "received_on-day": "22",
            "received_on-month": "8",
            "received_on-year": "2025",
            "requester_email": "a@example.com",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert b"22 September 2025" in page.content
    client.post(response["Location"], {"action": "pause", "reason": "clarification", "note": "Which park?"})
    page = client.get(response["Location"])
    assert b"Clock paused" in page.content


def test_upload_document_with_bad_file(client, ig_officer):
    _login(client, ig_officer)
    req = actions.log_request(kind="foi", subject="x", body="y")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/staff/foi/{req.reference}/documents/", {"document": SimpleUploadedFile("a.pdf", b"not a pdf")}
    )
    assert response.status_code == 400 and b"not a valid PDF" in response.content
    assert not req.documents.exists()


def test_the_review_page_warns_of_pictures_with_no_words_in_a_word_document(client, ig_officer, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_redaction import _docx_with_a_picture

    _login(client, ig_officer)
    req = actions.log_request(kind="foi", subject="x", body="y")
    data = _docx_with_a_picture(tmp_path / "letter.docx").read_bytes()
    client.post(
        f"/staff/foi/{req.reference}/documents/", {"document": SimpleUploadedFile("letter.docx", data)}
    )
    doc = req.documents.get()
    page = client.get(f"/staff/foi/documents/{doc.pk}/").content.decode()
    assert 'id="images-unread"' in page and "holds 1 picture with no words that could be read" in page
    text_doc = actions.add_document(req, "notes.txt", b"Nothing personal here.")
    assert 'id="images-unread"' not in client.get(f"/staff/foi/documents/{text_doc.pk}/").content.decode()


@pytest.mark.skipif(not shutil.which("tesseract"), reason="needs tesseract (scripts/install_ocr.sh)")
def test_a_name_in_a_word_documents_picture_is_a_box_to_review(client, ig_officer, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_redaction import _docx_with_a_picture

    _login(client, ig_officer)
    req = actions.log_request(kind="foi", subject="x", body="y")
    data = _docx_with_a_picture(tmp_path / "letter.docx", "Signed: Margaret Okonkwo").read_bytes()
    client.post(
        f"/staff/foi/{req.reference}/documents/", {"document": SimpleUploadedFile("letter.docx", data)}
    )
    doc = req.documents.get()
    assert any("Okonkwo" in doc.text[s.start : s.end] for s in doc.spans.all())
    page = client.get(f"/staff/foi/documents/{doc.pk}/pages/1/").content.decode()
    assert "[Picture 1: the words read from it]" in page
    assert 'id="images-unread"' not in client.get(f"/staff/foi/documents/{doc.pk}/").content.decode()


def test_public_disclosure_log_html_csv_json(client, ig_leader):
    req = _published(ig_leader)
    page = client.get("/disclosure-log/?q=parking")
    assert page.status_code == 200 and req.reference.encode() in page.content
    item = client.get(f"/disclosure-log/{req.reference}/")
    assert b"12,000 fines" in item.content and b"Ann Lee" not in item.content
    data = json.loads(client.get("/disclosure-log/disclosure-log.json").content)
    assert data["requests"][0]["reference"] == req.reference
    assert "Ann Lee" not in json.dumps(data)
    csv_text = client.get("/disclosure-log/disclosure-log.csv").content.decode()
    assert req.reference in csv_text and "Ann Lee" not in csv_text
    assert client.get("/disclosure-log/?q=nothingmatches").content.count(b"/disclosure-log/FOI") == 0


def test_performance_page(client, ig_leader):
    _published(ig_leader)
    _login(client, ig_leader)
    page = client.get("/staff/foi/performance/?quarter=2025-26 Q2")
    assert page.status_code == 200 and b"1 of 1" in page.content


def test_officer_adds_a_redaction_by_selecting_or_typing_words(client, ig_officer):
    text = b"Officers spoke to the tenant at Flat 9. The tenant at Flat 9 agreed to turn it down."
    doc = _uploaded(client, ig_officer, text)
    url = f"/staff/foi/documents/{doc.pk}/pages/1/"
    page = client.get(url)
    assert page.status_code == 200 and b"Words to redact" in page.content
    missing = client.post(url, {"action": "add", "words": "Flat 10", "reason": "s40_2"})
    assert "not in the document" in missing.content.decode()
    client.post(url, {"action": "add", "words": "flat 9", "reason": "s40_2"})
    added = doc.spans.filter(added_by_officer=True)
    assert added.count() == 2
    assert {doc.text[s.start : s.end] for s in added} == {"Flat 9"}


def test_the_staff_menu_leads_information_governance_to_their_requests(client, ig_officer, highways_officer):
    """The requests' pages had no link in the staff menu: only information governance (and administrators)
    may open them, so only they see it."""
    client.force_login(ig_officer)
    page = client.get("/staff/foi/").content.decode()
    assert 'href="/staff/foi/" aria-current="page">Information requests</a>' in page
    assert ">Information requests</a>" in client.get("/staff/").content.decode()
    client.force_login(highways_officer)
    assert "Information requests</a>" not in client.get("/staff/").content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"received_on-day": "31", "received_on-month": "2", "received_on-year": "2026"},
            "received_on-day",
            "must be a real date",
        ),
        (
            {"received_on-day": "1", "received_on-month": "1", "received_on-year": "2999"},
            "received_on-day",
            "today or in the past",
        ),
        ({"requester_email": "ann.example.com"}, "requester_email", "in the correct format"),
        ({"requester_email": ""}, "requester_email", "email or postal address"),
    ],
)
def test_logging_a_request_refuses_a_wrong_date_or_no_way_to_answer(client, ig_officer, data, field, message):
    from residenthub.foi.models import InformationRequest

    _login(client, ig_officer)
    form = {
        "kind": "foi",
        "subject": "Trees",
        "body": "Trees felled",
        "requester_email": "a@example.com",
        **data,
    }
    page = client.post("/staff/foi/new/", form).content.decode()
    assert (
        message in page and f'<a href="#{field}">' in page and page.count('class="govuk-error-summary"') == 1
    )
    assert 'value="Trees"' in page  # what was typed is kept
    assert not InformationRequest.objects.exists()


def test_a_request_by_post_needs_only_the_postal_address(client, ig_officer):
    from residenthub.foi.models import InformationRequest

    _login(client, ig_officer)
    form = {
        "kind": "foi",
        "subject": "Trees",
        "body": "Trees felled",
        "requester_address": "4 Mill Lane\nLeeds LS6 2AB",
    }
    assert client.post("/staff/foi/new/", form).status_code == 302
    req = InformationRequest.objects.get()
    assert req.requester_address == "4 Mill Lane\nLeeds LS6 2AB"
    assert "4 Mill Lane\nLeeds LS6 2AB</div>" in client.get(f"/staff/foi/{req.reference}/").content.decode()


def test_a_name_found_many_times_is_decided_once_for_every_box_over_it(client, ig_officer):
    """Boxes still to review over the same words are decided together when the officer asks; each page
    must still be reviewed on its own, and boxes already decided are left as they were."""
    from residenthub.core.models import AuditEntry
    from residenthub.foi.models import Span

    text = (
        b"Margaret Okonkwo reported noise on 3 May. Officers visited Margaret Okonkwo the next day.\f"
        b"A letter was sent to MARGARET OKONKWO and to Peter Lindqvist about the noise."
    )
    doc = _uploaded(client, ig_officer, text)
    boxes = [s for s in doc.spans.order_by("start") if "okonkwo" in doc.text[s.start : s.end].lower()]
    assert len(boxes) == 3 and {b.page for b in boxes} == {1, 2}
    other = next(s for s in doc.spans.all() if "Lindqvist" in doc.text[s.start : s.end])
    first, second, third = boxes
    actions.decide_span(third, decision=Span.Decision.REJECTED, reason="requester's own", by=ig_officer)

    url = f"/staff/foi/documents/{doc.pk}/pages/1/"
    page = client.get(url).content.decode()
    assert "The same for the 1 other box over “Margaret Okonkwo” still to review" in page
    client.post(url, {"span": first.pk, "decision": "accepted", "reason": "s40_2", "everywhere": "yes"})
    decided = {s.pk: (s.decision, s.reason) for s in doc.spans.all()}
    assert decided[first.pk] == decided[second.pk] == (Span.Decision.ACCEPTED, "s40_2")
    assert decided[third.pk] == (Span.Decision.REJECTED, "requester's own")  # already decided: left alone
    assert decided[other.pk][0] == Span.Decision.PENDING  # other words: left alone
    logged = AuditEntry.objects.filter(action="foi.span_decided")
    assert logged.count() == 3  # one per box: the one decided earlier, and the two decided together
    assert {entry.detail["page"] for entry in logged} == {1, 2}  # each on its own page (its review undone)
    assert actions.unreviewed_pages(doc)  # the pages are still the officer's to review
    assert "other box over" not in client.get(url).content.decode()  # nothing left to decide with it


def test_without_the_box_ticked_only_that_box_is_decided(client, ig_officer):
    from residenthub.foi.models import Span

    doc = _uploaded(
        client,
        ig_officer,
        b"Margaret Okonkwo reported noise. Officers visited Margaret Okonkwo the next day.",
    )
    first, second = doc.spans.order_by("start")
    page_url = f"/staff/foi/documents/{doc.pk}/pages/1/"
    client.post(page_url, {"span": first.pk, "decision": "accepted", "reason": "s40_2"})
    second.refresh_from_db()
    assert second.decision == Span.Decision.PENDING
