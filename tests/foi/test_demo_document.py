"""``make run``'s FOI request with a document waiting for its redaction review (a memo with a table), and
the request page's account of how far the review has gone."""

from __future__ import annotations

import io

import pytest

from residenthub.demo.management.commands.load_demo import Command
from residenthub.foi import actions
from residenthub.foi.models import Document, Span

pytestmark = pytest.mark.django_db


def _demo_document() -> Document:
    command = Command(stdout=io.StringIO())
    command._foi_document()
    command._foi_document()  # make run again: nothing added
    assert "already loaded" in command.stdout.getvalue()
    return Document.objects.get()


def test_the_demo_memo_has_every_person_and_address_marked_and_nothing_else(ig_officer):
    doc = _demo_document()
    marked = " | ".join(doc.text[s.start : s.end] for s in doc.spans.all())
    for personal in ("Priya Raman", "David Okafor", "4 Riverside Close", "07700 900456", "Tom Fletcher"):
        assert personal in marked, personal
    for row in ("Sarah Whitmore", "12 Riverside Close, DB4 2QT", "Ngozi Adeyemi", "31 Mill Lane, DB4 2RA"):
        assert row in marked, row
    # The table's headings, dates and issues, and the sign-off, are the council's record: not marked.
    for kept in (
        "Complainant",
        "Issue",
        "3 Feb",
        "21 Feb",
        "Light out",
        "Flickering",
        "Yours sincerely",
        "2 March",
    ):
        assert kept not in marked, kept
    assert doc.spans.filter(decision=Span.Decision.PENDING).count() == doc.spans.count()


def test_the_request_page_says_how_far_each_documents_review_has_gone(client, ig_officer):
    doc = _demo_document()
    client.force_login(ig_officer)
    url = f"/staff/foi/{doc.request.reference}/"
    page = client.get(url).content.decode()
    boxes = doc.spans.count()
    assert f"0 of 1 page reviewed, {boxes} boxes to decide" in page and "To review" in page
    assert "Document added: riverside-close-memo.pdf" in page  # the timeline in words, not codes
    for span in doc.spans.all():
        actions.decide_span(span, decision="accepted", reason="s40_2", by=ig_officer)
    page = client.get(url).content.decode()
    assert "0 of 1 page reviewed" in page and "boxes to decide" not in page
    actions.review_page(doc, 1, by=ig_officer)
    page = client.get(url).content.decode()
    assert "Reviewed</strong>" in page and "To review" not in page


def test_demo_residents_write_what_the_question_asks(catalogue):
    """The demo's free-text answers read like residents' (the FOI queue's subjects come from them), and
    two services sharing a question name get answers about their own subject."""
    from residenthub.core.demo import DEMO_TEXTS, demo_answer
    from residenthub.core.models import Address
    from residenthub.services.models import Service

    address = Address(uprn="100090000057", line1="1 High Street", postcode="DB1 1AA")
    question = {s.code: s for s in Service.objects.all()}

    def answer(code, name):
        (q,) = [q for q in question[code].form.questions if q.name == name]
        return demo_answer(q, address, None, code)

    assert answer("foi-request", "request") in DEMO_TEXTS["request"]
    assert answer("housing-repair", "details") in DEMO_TEXTS["housing-repair:details"]
    assert answer("report-noise", "details") in DEMO_TEXTS["report-noise:details"]


def test_the_approver_is_told_which_document_still_needs_its_review(client, ig_officer, ig_leader):
    doc = _demo_document()
    req = actions.approve(
        actions.submit_for_approval(actions.save_draft(doc.request, "Attached.")), by=ig_leader
    )
    client.force_login(ig_leader)
    page = client.get(f"/staff/foi/{req.reference}/").content.decode()
    assert "Review every page of" in page and "riverside-close-memo.pdf</a> before sending" in page
    for span in doc.spans.all():
        actions.decide_span(span, decision="accepted", reason="s40_2", by=ig_officer)
    actions.review_page(doc, 1, by=ig_officer)
    assert "Review every page of" not in client.get(f"/staff/foi/{req.reference}/").content.decode()


def test_the_disclosure_log_entry_carries_the_released_documents_redacted(client, ig_officer, ig_leader):
    from .letters import all_text_and_bytes
    from .test_workflow import review_publication

    doc = _demo_document()
    for span in doc.spans.all():
        actions.decide_span(span, decision="accepted", reason="s40_2", by=ig_officer)
    actions.review_page(doc, 1, by=ig_officer)
    req = actions.approve(
        actions.submit_for_approval(
            actions.save_draft(doc.request, "Dear Ms Osei,\n\nThe memo is attached.")
        ),
        by=ig_leader,
    )
    req = actions.respond(req, outcome="partial", exemptions=["s40_2"])
    url = f"/disclosure-log/{req.reference}/"
    assert client.get(url).status_code == 404  # answered, not yet published
    assert client.get(f"{url}documents/1/").status_code == 404
    review_publication(req, ig_officer)
    actions.publish(req, by=ig_officer)

    page = client.get(url).content.decode()
    assert "The request" in page and "Our response" in page and "Information provided in part" in page
    assert "s.40(2) Personal information of third parties" in page
    assert "Document 1 (PDF, 1 page)" in page and "riverside-close-memo" not in page  # no file name shown
    assert "Osei" not in page
    response = client.get(f"{url}documents/1/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{req.reference}-document-1.pdf"'
    text, everything = all_text_and_bytes(response.content)
    for secret in ("Whitmore", "Okafor", "Riverside Close, DB4", "07700 900456", "Priya Raman"):
        assert secret not in text and secret not in everything, secret
    assert "Light out" in text and "Complainant" in text
    assert client.get(f"{url}documents/2/").status_code == 404
    assert client.get(f"{url}documents/0/").status_code == 404


def test_words_or_an_area_added_on_the_review_screen_default_to_the_personal_data_exemption(
    client, ig_officer
):
    """A missed name added in a hurry was labelled s.12 (the list's first exemption) on the black box."""
    doc = _demo_document()
    client.force_login(ig_officer)
    page = client.get(f"/staff/foi/documents/{doc.pk}/pages/1/").content.decode()
    for select in ('id="add-reason"', 'id="area-reason"'):
        options = page.split(select, 1)[1].split("</select>", 1)[0]
        assert '<option value="s40_2" selected>' in options and options.count(" selected") == 1, select


def test_the_demo_answers_most_past_requests_once_and_the_figures_read_as_percentages(client, ig_officer):
    import datetime as dt

    from django.utils import timezone

    from residenthub.foi.models import InformationRequest

    today = timezone.localdate()
    for days in range(30, 130, 4):  # 25 past requests, none answered
        actions.log_request(
            kind="foi",
            subject=f"Request {days}",
            body="Numbers, please.",
            received_on=today - dt.timedelta(days=days),
        )
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin", "admin@council.example", "x")  # make run's approver
    command = Command(stdout=io.StringIO())
    command._answer_past_requests()
    answered = InformationRequest.objects.filter(responded_on__isnull=False).count()
    assert answered == 21  # one in eight left overdue on purpose (the 1st, 9th, 17th and 25th)
    command._answer_past_requests()  # make run again: nothing more answered
    assert InformationRequest.objects.filter(responded_on__isnull=False).count() == answered
    late = InformationRequest.objects.filter(on_time=False).count()
    assert late == 3  # one in eight answered late (the 2nd, 10th and 18th), whatever the references
    client.force_login(ig_officer)
    page = client.get("/staff/foi/performance/").content.decode()
    share = round(100 * (answered - late) / answered)
    assert f"<strong>{share}%</strong> of requests answered so far" in page
    assert (
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Share on time</th>' in page
    )
