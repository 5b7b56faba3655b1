"""An FOI officer's request page in a real browser at phone width: found from the staff menu, axe-clean,
only the steps that can be taken now, and a service asked for information with the keyboard alone,
through the error for a missing description."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from residenthub.foi import actions
from tests.conftest import PASSWORD, _staff

from .conftest import MOBILE
from .helpers import assert_error_summary, heading, sign_in, tab_to

pytestmark = pytest.mark.browser


def test_an_officer_asks_a_service_for_information_with_the_keyboard(open_page, check_page):
    officer = _staff("ig.officer", "information-governance")
    req = actions.log_request(kind="foi", subject="Trees felled", body="How many trees were felled in 2025?")
    page = open_page(viewport=MOBILE)
    sign_in(page, officer.username, PASSWORD)
    menu_link = page.locator('#staff-navigation a[href="/staff/foi/"]')
    expect(menu_link).to_have_text("Information requests")
    page.goto("/staff/foi/")
    page.get_by_role("link", name=req.reference).click()
    assert heading(page).startswith(req.reference)
    check_page(page, "information request: acknowledged")
    for absent in ("Approve", "Send response", "Publish in the disclosure log", "Close the request"):
        expect(page.get_by_role("button", name=absent, exact=True)).to_have_count(0)

    tab_to(page, "#task_team")
    page.keyboard.type("Highways")  # the select's own type-ahead
    expect(page.locator("#task_team")).to_have_value("highways")
    tab_to(page, "#task_days")
    page.keyboard.press("Tab")  # on to "Ask the team", the description left empty
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_error_summary(page, "task_description", "Say what information the team should send.")
    check_page(page, "information request: error asking a team")
    expect(page.locator("#task_team")).to_have_value("highways")  # the choice survives the error
    page.keyboard.type("Trees felled in 2025, by ward")
    tab_to(page, "#task_days")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("#tasks + table")).to_contain_text("Trees felled in 2025, by ward")
    task = req.tasks.get()
    assert task.description == "Trees felled in 2025, by ward" and task.team.slug == "highways"
