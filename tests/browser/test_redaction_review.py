"""The redaction review screen in a real browser: axe-core (WCAG 2.2 A/AA) finds nothing, and an officer
decides every box and marks the page as reviewed with the keyboard alone (issue 13, item 5)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from residenthub.foi import actions
from residenthub.foi.models import Span
from tests.conftest import PASSWORD, _staff
from tests.foi.letters import council_letter_pdf

from .conftest import DESKTOP
from .helpers import focused, heading, sign_in, tab_to, visit

pytestmark = pytest.mark.browser


def test_review_a_page_with_the_keyboard_alone(open_page, check_page):
    officer = _staff("ig.officer", "information-governance")
    req = actions.log_request(kind="foi", subject="Refunds", body="Refund letters")
    doc = actions.add_document(req, "letter.pdf", council_letter_pdf(scan=False), by=officer)
    boxes = doc.spans.filter(page=1).count()
    assert boxes > 0
    page = open_page(viewport=DESKTOP)
    sign_in(page, officer.username, PASSWORD)
    visit(page, f"/staff/foi/documents/{doc.pk}/")
    check_page(page, "redaction: the document's pages")
    visit(page, f"/staff/foi/documents/{doc.pk}/pages/1/")
    assert heading(page).startswith("Page 1 of 2")
    expect(page.locator("svg g rect")).to_have_count(sum(len(s.rects) for s in doc.spans.filter(page=1)))
    check_page(page, "redaction: review of page 1")
    for number in range(1, boxes + 1):
        tab_to(page, f"#redact-{number}")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert not doc.spans.filter(page=1, decision=Span.Decision.PENDING).exists()
    tab_to(page, "#page-reviewed")
    assert focused(page, "#page-reviewed")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert heading(page).startswith("Page 2 of 2")
    assert doc.page_reviews.filter(page=1, reviewed_by=officer).exists()
