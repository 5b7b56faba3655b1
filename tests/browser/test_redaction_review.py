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


def test_an_area_is_drawn_by_dragging_on_the_page(open_page, check_page):
    """A signature or handwriting the detector cannot read: the officer drags over it on the page image,
    the corners fill in (in PDF points), and "Add area" redacts that rectangle."""
    officer = _staff("ig.officer", "information-governance")
    req = actions.log_request(kind="foi", subject="Refunds", body="Refund letters")
    doc = actions.add_document(req, "letter.pdf", council_letter_pdf(scan=False), by=officer)
    page = open_page(viewport=DESKTOP)
    sign_in(page, officer.username, PASSWORD)
    visit(page, f"/staff/foi/documents/{doc.pk}/pages/1/")
    svg = page.locator("svg[data-draw-area]")
    expect(svg).to_have_attribute("data-draw-ready", "true")  # the module has loaded
    svg.scroll_into_view_if_needed()
    frame = svg.bounding_box()
    width = float(svg.get_attribute("viewBox").split()[2])
    scale = frame["width"] / width  # screen pixels per PDF point
    start = (frame["x"] + 100 * scale, frame["y"] + 150 * scale)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(frame["x"] + 250 * scale, frame["y"] + 200 * scale, steps=5)
    page.mouse.up()
    corners = [float(page.locator(f"#{name}").input_value()) for name in ("x0", "y0", "x1", "y1")]
    assert corners == pytest.approx([100, 150, 250, 200], abs=2)
    check_page(page, "redaction: an area drawn on page 1")
    with page.expect_navigation():
        page.get_by_role("button", name="Add area").click()
    (area,) = [s for s in doc.spans.filter(added_by_officer=True) if s.is_area]
    assert area.rects[0] == pytest.approx([100, 150, 250, 200], abs=2) and area.reason == "s40_2"


def test_a_name_found_twice_is_redacted_once_with_the_keyboard(open_page, check_page):
    officer = _staff("ig.officer", "information-governance")
    req = actions.log_request(kind="foi", subject="Noise", body="Noise complaints")
    text = b"Margaret Okonkwo reported noise. Officers visited Margaret Okonkwo the next day."
    doc = actions.add_document(req, "notes.txt", text, by=officer)
    first, second = doc.spans.order_by("start")
    page = open_page(viewport=DESKTOP)
    sign_in(page, officer.username, PASSWORD)
    visit(page, f"/staff/foi/documents/{doc.pk}/pages/1/")
    same = page.locator(f"#everywhere-{first.pk}")
    expect(page.locator(f'label[for="everywhere-{first.pk}"]')).to_contain_text("the 1 other box over")
    check_page(page, "redaction: a box with the same words elsewhere")
    tab_to(page, f"#everywhere-{first.pk}")
    page.keyboard.press("Space")
    expect(same).to_be_checked()
    tab_to(page, "#redact-1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    second.refresh_from_db()
    assert second.decision == Span.Decision.ACCEPTED and second.reason == "s40_2"  # decided with the first
