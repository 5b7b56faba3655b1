"""axe-core and the 375px no-sideways-scroll check on every resident page outside the journeys."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from residenthub.services.models import Service

from .helpers import assert_error_summary, heading, press, visit

pytestmark = pytest.mark.browser


def test_finding_a_service(open_page, check_page):
    page = open_page()
    visit(page, "/")
    assert heading(page) == "Report, apply or tell us"
    # GOV.UK Frontend's JavaScript loaded and started under the page's CSP (an ES module).
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(1)
    expect(page.locator("[data-module='govuk-button'][data-govuk-button-init]").first).to_be_attached()
    check_page(page, "home")

    page.get_by_label("What do you need to do?").fill("bin")
    press(page, "Search")
    assert page.url.endswith("/?q=bin")
    expect(page.get_by_role("link", name="Report a missed bin collection")).to_be_visible()
    check_page(page, "search results")

    visit(page, "/?q=zzzzqqq")
    expect(page.get_by_text("No services match ‘zzzzqqq’.")).to_be_visible()
    check_page(page, "search with no results")


def test_every_service_start_page(open_page, check_page):
    services = list(Service.objects.filter(active=True).order_by("position"))
    assert len(services) >= 20, "the demo catalogue is not loaded"
    page = open_page()
    for service in services:
        visit(page, f"/services/{service.code}/")
        assert heading(page) == service.name
        expect(page.get_by_role("button", name="Start now")).to_have_attribute(
            "href", f"/services/{service.code}/{service.form.questions[0].name}/"
        )
        check_page(page, f"start page of {service.code}")


def test_every_first_question_page_and_its_error(open_page, check_page):
    services = list(Service.objects.filter(active=True).order_by("position"))
    page = open_page()
    for service in services:
        first = service.form.questions[0]
        visit(page, f"/services/{service.code}/{first.name}/")
        check_page(page, f"first question of {service.code}")
        if first.type == "address":
            # Without a postcode there is nothing to look up: only "Find address" is offered.
            expect(page.get_by_role("button", name="Continue")).to_have_count(0)
            press(page, "Find address", status=400)
            assert_error_summary(page, f"{first.name}-postcode", "Enter a postcode")
        elif first.required:
            press(page, "Continue", status=400)
            first_input = {"location": f"{first.name}-description", "date": f"{first.name}-day"}
            field = first_input.get(first.type, first.name)
            assert_error_summary(page, field, _empty_message(first))
        else:
            # An optional question can be left blank: the resident moves on.
            press(page, "Continue")
            second = service.form.questions[1]
            assert page.url.endswith(f"/services/{service.code}/{second.name}/")
            check_page(page, f"second question of {service.code}")
            continue
        check_page(page, f"error on the first question of {service.code}")


def _empty_message(question) -> str:
    label = question.label.rstrip("?").rstrip()
    return {
        "location": "Describe where it is",
        "choice": f"Select an answer to ‘{label}’",
        "yesno": f"Select an answer to ‘{label}’",
        "choices": "Select at least one option",
        "date": "Enter the date",
        "text": f"Enter your answer to ‘{label}’",
        "textarea": f"Enter your answer to ‘{label}’",
        "number": "Enter a number",
        "email": "Enter an email address",
        "phone": "Enter a phone number",
        "postcode": "Enter a postcode",
        "file": "Select a file",
    }[question.type]


def test_tracking_and_sign_in_pages(open_page, check_page):
    page = open_page()
    visit(page, "/track/")
    assert heading(page) == "Check your request"
    check_page(page, "track")

    visit(page, "/account/sign-in/")
    assert heading(page) == "See all your requests"
    check_page(page, "sign in")
    press(page, "Send me a link", status=400)
    assert_error_summary(page, "email", "Enter your email address")
    check_page(page, "sign in error")
    page.get_by_label("Email address").fill("nobody@example.com")
    press(page, "Send me a link")
    assert heading(page) == "Check your email"
    check_page(page, "sign-in link sent")

    # Without a signed-in email, "Your requests" sends the resident to sign in.
    visit(page, "/account/requests/")
    assert page.url.endswith("/account/sign-in/")


def test_information_pages(open_page, check_page):
    page = open_page()
    for path, title in [
        ("/accessibility/", "Accessibility statement"),
        ("/privacy/", "Privacy notice"),
        ("/cookies/", "Cookies"),
    ]:
        visit(page, path)
        assert heading(page) == title
        check_page(page, title)


def test_page_not_found(open_page, check_page):
    page = open_page()
    visit(page, "/no-such-page/", status=404)
    assert heading(page) == "Page not found"
    check_page(page, "404")
    visit(page, "/services/no-such-service/", status=404)
    assert heading(page) == "Page not found"
    visit(page, "/services/report-pothole/no-such-question/", status=404)
    assert heading(page) == "Page not found"
    # The 404 page has the site's navigation and footer; so does the expired-link page.
    visit(page, "/track/link/not-a-real-token/", status=404)
    assert heading(page) == "This link has expired or has already been used"
    check_page(page, "expired tracking link")
