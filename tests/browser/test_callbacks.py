"""The phone callback list in a real browser: found from the staff menu with its counts, urgent
callers first, axe-clean, a callback closed with the keyboard alone, and the error when no outcome
is chosen (issue 17 item 5)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from residenthub.services.models import Service
from residenthub.voice import actions
from residenthub.voice.models import Call, Callback
from tests.conftest import PASSWORD, _staff

from .conftest import DESKTOP
from .helpers import assert_error_summary, heading, press, sign_in, tab_to

pytestmark = pytest.mark.browser


def test_contact_centre_works_the_callback_list_with_the_keyboard(open_page, check_page):
    officer = _staff("cs.officer", "customer-services")
    light = actions.start_call(via=Call.Via.SIMULATOR)
    actions.set_service(light, Service.objects.get(code="report-street-light"), 0.9)
    actions.book_callback(
        light, reason=Callback.Reason.HUNG_UP, detail="Hung up when asked: Where is the street light?"
    )
    gas = actions.start_call(via=Call.Via.SIMULATOR)
    actions.book_callback(gas, reason=Callback.Reason.URGENT, detail="smell of gas; disabled", rank=0)

    page = open_page(viewport=DESKTOP)
    sign_in(page, officer.username, PASSWORD)
    menu_link = page.locator('#staff-navigation a[href="/voice/staff/callbacks/"]')
    expect(menu_link).to_have_text("Callbacks (2 waiting, 1 urgent)")
    tab_to(page, '#staff-navigation a[href="/voice/staff/callbacks/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading(page) == "Callbacks"
    expect(menu_link).to_have_attribute("aria-current", "page")
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("smell of gas; disabled")
    expect(rows.nth(1)).to_contain_text("Where is the street light?")
    check_page(page, "callback list")

    # The urgent caller first: open it, try to save with no outcome, then record the call back.
    tab_to(page, f'a[href="/voice/staff/callbacks/{gas.callback.pk}/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading(page) == "Urgent Emergency numbers given"  # the red tag, then the reason
    check_page(page, "urgent callback")
    press(page, "Save", status=400)
    assert_error_summary(page, "status-done", "Choose called back or no answer.")
    check_page(page, "callback with no outcome chosen")
    page.keyboard.press("Space")  # the error summary's link put the focus on the first choice
    expect(page.locator("#status-done")).to_be_checked()
    tab_to(page, "button.govuk-button:not(.govuk-button--secondary)")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading(page) == "Callbacks"
    expect(menu_link).to_have_text("Callbacks (1 waiting)")
    expect(page.locator("tbody tr")).to_have_count(1)
    gas.callback.refresh_from_db()
    assert gas.callback.status == Callback.Status.DONE and gas.callback.done_by == officer

    # The other caller does not answer: a try, noted in a banner; the caller stays on the list.
    tab_to(page, f'a[href="/voice/staff/callbacks/{light.callback.pk}/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#status-no-answer-hint")).to_contain_text("tried again (1 of 3 tries)")
    tab_to(page, "#status-done")  # into the radio group; the arrow keys move between its choices
    page.keyboard.press("ArrowDown")
    expect(page.locator("#status-no-answer")).to_be_checked()
    tab_to(page, "button.govuk-button:not(.govuk-button--secondary)")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("stays on the list (1 of 3 tries)")
    expect(page.locator("tbody tr")).to_contain_text("No answer 1 time")
    expect(menu_link).to_have_text("Callbacks (1 waiting)")
    check_page(page, "callback list after a try without an answer")
