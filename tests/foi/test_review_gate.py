"""A human always decides: nothing is published or released on the detector alone (security finding 9).

Every page of every document, and the disclosure log entry itself, must have been reviewed by an officer
(each box decided, the page marked as reviewed) before publishing, responding or downloading a copy."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from residenthub.core.models import AuditEntry
from residenthub.foi import actions
from residenthub.foi.models import Document, Span

pytestmark = pytest.mark.django_db


def _answered(leader, body="How many fines? I am Ann Lee.", response="Dear Ann Lee, 12,000 fines."):
    req = actions.log_request(
        kind="foi",
        subject="Parking fines 2024",
        body=body,
        requester_name="Ann Lee",
        received_on=dt.date(2025, 8, 22),
    )
    req = actions.approve(actions.submit_for_approval(actions.save_draft(req, response)), by=leader)
    return actions.respond(req, outcome="full", on=dt.date(2025, 9, 1))


def test_publish_refuses_without_a_recorded_human_review(ig_leader):
    """Regression for finding 9: one button published on the detector alone."""
    req = _answered(ig_leader)
    with pytest.raises(actions.FOIError):
        actions.publish(req, by=ig_leader)
    with pytest.raises(actions.FOIError):
        actions.publish(req)  # no officer at all
    req.refresh_from_db()
    assert req.publish is False and req.published_text == ""


def test_publication_needs_every_box_decided_and_the_page_reviewed(ig_leader, ig_officer):
    req = _answered(ig_leader)
    doc = actions.prepare_publication(req, by=ig_officer)
    spans = {doc.text[s.start : s.end]: s for s in doc.spans.all()}
    assert "Ann Lee" in spans
    with pytest.raises(actions.FOIError, match="to decide"):
        actions.review_page(doc, 1, by=ig_officer)  # boxes still undecided
    with pytest.raises(actions.FOIError, match="review every page"):
        for span in doc.spans.all():
            actions.decide_span(span, decision="accepted", reason="s40_2", by=ig_officer)
        actions.publish(req, by=ig_officer)  # decided, but the page is not marked as reviewed
    with pytest.raises(actions.FOIError):
        actions.review_page(doc, 1, by=None)  # only a person reviews
    actions.review_page(doc, 1, by=ig_officer)
    actions.add_text_spans(doc, text="12,000", reason="s43", by=ig_officer)  # a change undoes the review
    with pytest.raises(actions.FOIError, match="review every page"):
        actions.publish(req, by=ig_officer)
    actions.review_page(doc, 1, by=ig_officer)
    req = actions.publish(req, by=ig_officer)
    assert "Ann Lee" not in req.published_text and "[REDACTED s40(2)]" in req.published_text
    assert "[REDACTED s43]" in req.published_text
    assert AuditEntry.objects.filter(action="foi.page_reviewed", object_id=str(req.pk)).count() == 2
    assert AuditEntry.objects.filter(action="foi.published", object_id=str(req.pk)).exists()


def test_a_kept_span_is_published_as_written(ig_leader, ig_officer):
    req = _answered(ig_leader, response="Councillor Bob Hart chaired the panel.")
    doc = actions.prepare_publication(req, by=ig_officer)
    for span in doc.spans.all():
        text = doc.text[span.start : span.end]
        decision = "rejected" if "Hart" in text else "accepted"
        actions.decide_span(
            span,
            decision=decision,
            reason="public role" if decision == "rejected" else "s40_2",
            by=ig_officer,
        )
    actions.review_page(doc, 1, by=ig_officer)
    req = actions.publish(req, by=ig_officer)
    assert "Bob Hart" in req.published_text and "Ann Lee" not in req.published_text


def test_documents_are_not_released_or_responded_to_before_review(ig_leader, ig_officer):
    req = actions.log_request(
        kind="foi", subject="Letters", body="Letters about parking", requester_name="Ann Lee"
    )
    doc = actions.add_document(req, "letter.txt", b"Ann Lee wrote from SW1A 1AA about bay 12.", by=ig_officer)
    with pytest.raises(actions.FOIError):
        actions.apply_redaction(doc, by=ig_officer)  # pending boxes, page not reviewed
    for span in doc.spans.all():
        actions.decide_span(span, decision="accepted", reason="s40_2", by=ig_officer)
    with pytest.raises(actions.FOIError, match="review every page"):
        actions.apply_redaction(doc, by=ig_officer)
    req = actions.approve(
        actions.submit_for_approval(actions.save_draft(req, "See the letter.")), by=ig_leader
    )
    with pytest.raises(actions.FOIError, match="review every page"):
        actions.respond(req, outcome="full")
    actions.review_page(doc, 1, by=ig_officer)
    with pytest.raises(actions.FOIError):
        actions.apply_redaction(doc, by=None)  # the automatic pass alone never releases
    data = actions.apply_redaction(doc, out_type="txt", by=ig_officer)
    assert b"Ann Lee" not in data and b"SW1A 1AA" not in data and b"bay 12" in data
    assert actions.respond(req, outcome="full").status == "responded"


def test_review_screen_draws_boxes_and_works_with_buttons(client, ig_officer, highways_officer):
    from .letters import council_letter_pdf

    req = actions.log_request(kind="foi", subject="Refunds", body="Refund letters")
    client.force_login(ig_officer)
    response = client.post(
        f"/staff/foi/{req.reference}/documents/",
        {
            "document": SimpleUploadedFile(
                "letter.pdf", council_letter_pdf(scan=False), content_type="application/pdf"
            )
        },
    )
    doc = Document.objects.get(request=req)
    assert response["Location"] == f"/staff/foi/documents/{doc.pk}/"
    overview = client.get(f"/staff/foi/documents/{doc.pk}/")
    assert overview.status_code == 200 and b"Available when every page has been reviewed" in overview.content
    page = client.get(f"/staff/foi/documents/{doc.pk}/pages/1/")
    content = page.content.decode()
    assert page.status_code == 200
    assert content.count("<g><rect ") == sum(len(s.rects) for s in doc.spans.filter(page=1)) > 0
    assert "Redact box 1" in content and "Keep box 1" in content and 'id="x0"' in content
    image = client.get(f"/staff/foi/documents/{doc.pk}/pages/1/image.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    # reviewing with boxes undecided is refused with a clear message
    refused = client.post(f"/staff/foi/documents/{doc.pk}/pages/1/", {"action": "reviewed"})
    assert "to decide (redact or keep) first" in refused.content.decode()
    for span in doc.spans.filter(page=1):
        client.post(
            f"/staff/foi/documents/{doc.pk}/pages/1/",
            {"span": span.pk, "decision": "accepted", "reason": "s40_2"},
        )
    assert not doc.spans.filter(page=1, decision=Span.Decision.PENDING).exists()
    bad_area = client.post(
        f"/staff/foi/documents/{doc.pk}/pages/1/",
        {"action": "area", "x0": "500", "y0": "10", "x1": "100", "y1": "x", "reason": "s40_2"},
    )
    assert "four numbers" in bad_area.content.decode()
    done = client.post(f"/staff/foi/documents/{doc.pk}/pages/1/", {"action": "reviewed"})
    assert done["Location"] == f"/staff/foi/documents/{doc.pk}/pages/2/"
    assert doc.page_reviews.filter(page=1, reviewed_by=ig_officer).exists()
    client.force_login(highways_officer)
    assert client.get(f"/staff/foi/documents/{doc.pk}/pages/1/").status_code == 403
    assert client.get(f"/staff/foi/documents/{doc.pk}/pages/1/image.png").status_code == 403
