"""Small steps shared by the browser tests."""

from __future__ import annotations

import os
import re

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # pragma: no cover - the dev extra installs it
    if os.environ.get("CI") == "true":
        raise
    pytest.skip(
        "!!! BROWSER TESTS NOT RUN: the playwright package is not installed (pip install -e '.[dev]')",
        allow_module_level=True,
    )


def visit(page: Page, path: str, status: int = 200):
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == status, f"{path} answered {response.status}, expected {status}"
    return response


def heading(page: Page) -> str:
    return page.locator("h1").first.inner_text().strip()


def press(page: Page, name: str, *, status: int = 200, exact: bool = True) -> None:
    """Press a button and wait for the page it leads to, which must answer ``status``."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=name, exact=exact).click()
    response = navigation.value
    assert response is not None
    assert response.status == status, f"{name!r} led to {response.status} at {page.url}, expected {status}"


def follow(page: Page, name: str, *, status: int = 200) -> None:
    """Follow a link by its accessible name."""
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name=name, exact=True).click()
    response = navigation.value
    assert response is not None
    assert response.status == status, f"{name!r} led to {response.status}, expected {status}"


def assert_error_summary(page: Page, field_id: str, message: str | re.Pattern, *, js: bool = True) -> None:
    """The GOV.UK error summary is shown, says ``message``, and its link goes to field ``field_id``.

    With JavaScript, GOV.UK Frontend moves focus to the summary when the page loads, and its link
    moves focus to the field.
    """
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_have_count(1)
    expect(summary).to_be_visible()
    expect(summary).to_be_in_viewport()
    expect(summary.locator(".govuk-error-summary__title")).to_have_text("There is a problem")
    title = page.title()
    assert title.startswith("Error: "), f"the title of an error page must start 'Error: ': {title!r}"
    link = summary.locator(f'a[href="#{field_id}"]')
    expect(link).to_have_count(1)
    expect(link).to_have_text(message)
    target = page.locator(f"#{field_id}")
    expect(target).to_have_count(1)
    # The field's own error message, tied to it for screen readers.
    field_error = page.locator(".govuk-error-message", has_text=message if isinstance(message, str) else None)
    assert field_error.count() >= 1, f"no inline error message for {field_id}"
    if js:
        expect(summary).to_be_focused()
        link.click()
        expect(target).to_be_focused()
        expect(target).to_be_in_viewport()


def sign_in(page: Page, username: str, password: str, *, status: int = 200) -> None:
    """Sign in through the staff sign-in form, as an officer would."""
    visit(page, "/staff/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    press(page, "Sign in", status=status)


def focused(page: Page, selector: str) -> bool:
    return page.evaluate(
        "s => document.activeElement !== null && document.activeElement.matches(s)", selector
    )


def tab_to(page: Page, selector: str, *, limit: int = 150, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element matching ``selector`` has the focus.

    Fails when it is not reached within ``limit`` presses: it is not in the tab order.
    """
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if focused(page, selector):
            return
    raise AssertionError(f"{selector} was not reached with {limit} presses of {key} at {page.url}")
