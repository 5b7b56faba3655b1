"""Checking a request with its reference, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from residenthub.cases.tracking import make_token

from .helpers import assert_error_summary, heading, press, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_FOUND = (
    "We could not find a request with those details. Check the reference "
    "and the email address or postcode you gave us."
)


def _fill(page, reference: str, identity: str) -> None:
    page.get_by_label("Reference").fill(reference)
    page.get_by_label("Email address or postcode").fill(identity)


def test_track_a_request_with_its_reference_and_email(open_page, check_page, make_case):
    case = make_case("report-pothole", email="track.me@example.com")
    page = open_page(js=True)

    # Someone else's request cannot be opened directly: it goes to the form.
    visit(page, f"/track/{case.reference}/")
    assert page.url.endswith("/track/")

    press(page, "Check", status=400)
    assert_error_summary(page, "reference", "Enter your reference")
    expect(page.locator(".govuk-error-summary__list a")).to_have_count(2)
    check_page(page, "track, empty")

    _fill(page, case.reference, "someone.else@example.com")
    press(page, "Check", status=400)
    assert_error_summary(page, "reference", NOT_FOUND)
    expect(page.get_by_label("Reference")).to_have_value(case.reference)
    check_page(page, "track, wrong details")

    # Letter case, spaces and the email's capitals are forgiven.
    _fill(page, case.reference.lower().replace("-", " "), "Track.Me@Example.com")
    press(page, "Check")
    assert page.url.endswith(f"/track/{case.reference}/")
    assert heading(page) == f"Request {case.reference}"
    status = page.locator(".govuk-summary-list__row", has_text="Status").locator(".govuk-tag")
    expect(status).to_have_text(case.public_status_label)
    expect(page.get_by_role("heading", name="Request received")).to_be_visible()
    check_page(page, "tracking page")


def test_track_a_request_with_its_postcode_without_javascript(open_page, check_page, make_case):
    case = make_case("report-pothole", email="")
    assert case.postcode == "E20 1AB"
    page = open_page(js=False)
    visit(page, "/track/")
    _fill(page, case.reference, "E20 1AC")
    press(page, "Check", status=400)
    assert_error_summary(page, "reference", NOT_FOUND, js=False)
    check_page(page, "track, wrong postcode")
    _fill(page, case.reference, "e201ab")
    press(page, "Check")
    assert heading(page) == f"Request {case.reference}"
    check_page(page, "tracking page")


def test_track_a_request_from_the_link_in_an_email(open_page, check_page, make_case):
    case = make_case("missed-bin")
    page = open_page(js=True)
    visit(page, f"/track/link/{make_token(case)}/")
    assert page.url.endswith(f"/track/{case.reference}/")
    assert heading(page) == f"Request {case.reference}"
    check_page(page, "tracking page from a link")
