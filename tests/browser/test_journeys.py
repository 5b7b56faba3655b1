"""Whole resident journeys in a real browser: on a phone with JavaScript, and without JavaScript."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from residenthub.cases.models import Case

from .conftest import DESKTOP, MOBILE, REFERENCE_PATTERN
from .helpers import assert_error_summary, follow, heading, press, visit

pytestmark = pytest.mark.browser

# The smallest valid PNG: a 1x1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


def summary_rows(page, index: int = 0) -> dict[str, str]:
    """The rows of a GOV.UK summary list, key -> value as the resident reads them."""
    rows = page.locator("dl.govuk-summary-list").nth(index).locator(".govuk-summary-list__row")
    return {
        row.locator("dt").inner_text().strip(): row.locator("dd").first.inner_text().strip()
        for row in rows.all()
    }


def confirmation_reference(page) -> str:
    panel = page.locator(".govuk-panel--confirmation")
    expect(panel).to_be_visible()
    expect(panel.locator("h1")).to_have_text("Request sent")
    reference = panel.locator("strong").inner_text().strip()
    assert re.fullmatch(REFERENCE_PATTERN, reference), f"not a reference: {reference!r}"
    return reference


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Uploads go to a temporary folder, not var/uploads."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def test_report_a_pothole_on_a_phone_with_javascript(open_page, check_page, upload_dir):
    page = open_page(js=True, viewport=MOBILE)

    visit(page, "/services/report-pothole/")
    assert heading(page) == "Report a pothole"
    check_page(page, "start page")
    press(page, "Start now")

    # Where is the pothole? First without an answer: the error summary, focused, linking to the field.
    assert page.url.endswith("/services/report-pothole/location/")
    assert heading(page) == "Where is the pothole?"
    check_page(page, "location")
    press(page, "Continue", status=400)
    assert_error_summary(page, "location-description", "Describe where it is", js=True)
    expect(page.locator("#location-description")).to_have_attribute(
        "aria-describedby", "location-description-hint location-description-error"
    )
    check_page(page, "location, with an error")
    page.get_by_label("Describe the location").fill("Outside 14 Station Road, by the bus stop")
    page.get_by_label("Postcode (optional)").fill("e20 1ab")
    press(page, "Continue")

    assert heading(page) == "Is the pothole in the road, pavement or cycle lane?"
    check_page(page, "surface")
    page.get_by_label("In the road").check()
    press(page, "Continue")

    assert heading(page) == "How big is the pothole?"
    check_page(page, "size")
    page.get_by_label("Smaller than a dinner plate").check()
    press(page, "Continue")

    assert heading(page) == "Add a photo (optional)"
    check_page(page, "photo")
    page.get_by_label("Add a photo (optional)").set_input_files(
        {"name": "pothole.png", "mimeType": "image/png", "buffer": PNG}
    )
    press(page, "Continue")

    assert heading(page) == "Has anyone been hurt or has a vehicle been damaged?"
    check_page(page, "injured")
    page.get_by_label("Yes", exact=True).check()
    press(page, "Continue")

    assert heading(page) == "Tell us what happened"
    # GOV.UK Frontend's character count took over the static hint.
    expect(page.locator(".govuk-character-count__status")).to_have_text("You have 2,000 characters remaining")
    check_page(page, "injury details")
    page.get_by_label("Tell us what happened").fill("My bike wheel was buckled at 8am on Monday.")
    expect(page.locator(".govuk-character-count__status")).to_have_text("You have 1,957 characters remaining")
    press(page, "Continue")

    assert page.url.endswith("/services/report-pothole/your-details/")
    assert heading(page) == "Your contact details"
    check_page(page, "your details")
    page.get_by_label("Full name (optional)").fill("Siân O'Brien")
    page.get_by_label("Email address").fill("sian.obrien@example.com")
    page.get_by_label("Email", exact=True).check()
    press(page, "Continue")

    assert page.url.endswith("/services/report-pothole/check-your-answers/")
    assert heading(page) == "Check your answers before sending your request"
    check_page(page, "check your answers")
    answers = summary_rows(page, 0)
    assert answers == {
        "Where is the pothole?": "Outside 14 Station Road, by the bus stop\nE20 1AB",
        "Is the pothole in the road, pavement or cycle lane?": "In the road",
        "How big is the pothole?": "Smaller than a dinner plate",
        "Add a photo (optional)": "pothole.png",
        "Has anyone been hurt or has a vehicle been damaged?": "Yes",
        "Tell us what happened": "My bike wheel was buckled at 8am on Monday.",
    }
    contact = summary_rows(page, 1)
    assert contact["Name"] == "Siân O'Brien"
    assert contact["Email address"] == "sian.obrien@example.com"
    assert contact["Phone number"] == "Not given"
    assert contact["Updates by"] == "Email"

    # Change one answer and come straight back.
    follow(page, "Change how big is the pothole?")
    assert page.url.endswith("/services/report-pothole/size/?change=1")
    expect(page.get_by_label("Smaller than a dinner plate")).to_be_checked()
    expect(page.locator(".govuk-back-link")).to_have_attribute(
        "href", "/services/report-pothole/check-your-answers/"
    )
    check_page(page, "changing size")
    page.get_by_label("Larger than a dinner plate").check()
    press(page, "Continue")
    assert page.url.endswith("/services/report-pothole/check-your-answers/")
    assert summary_rows(page, 0)["How big is the pothole?"] == "Larger than a dinner plate"
    check_page(page, "check your answers after a change")

    press(page, "Accept and send")
    assert page.url.endswith("/services/report-pothole/confirmation/")
    reference = confirmation_reference(page)
    expect(page.get_by_text("We have sent you a confirmation email.")).to_be_visible()
    check_page(page, "confirmation")

    case = Case.objects.get(reference=reference)
    assert case.service.code == "report-pothole"
    assert case.contact_name == "Siân O'Brien"
    assert case.contact_email == "sian.obrien@example.com"
    assert case.answers["size"] == "large"
    assert case.answers["location"] == {
        "description": "Outside 14 Station Road, by the bus stop",
        "postcode": "E20 1AB",
    }
    assert case.attachments.get().original_name == "pothole.png"
    assert any(
        reference in message.subject or reference in message.body
        for message in mail.outbox
        if "sian.obrien@example.com" in message.to
    ), "no confirmation email with the reference"

    # The confirmation's link shows the request to the resident who made it.
    with page.expect_navigation():
        page.get_by_role("link", name="Check your request", exact=True).last.click()
    assert heading(page) == f"Request {reference}"
    expect(page.get_by_role("link", name="pothole.png")).to_be_visible()
    check_page(page, "tracking page after submitting")


def _past_date(days: int = 3) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _finish_missed_bin(page, check_page) -> None:
    """From "Which bins were missed?" to "Check your answers", without JavaScript."""
    assert heading(page) == "Which bins were missed?"
    check_page(page, "bin types")
    press(page, "Continue", status=400)
    assert_error_summary(page, "bin_types", "Select at least one option", js=False)
    check_page(page, "bin types, with an error")
    page.get_by_label("General rubbish (black bin)").check()
    page.get_by_label("Recycling (blue bin)").check()
    press(page, "Continue")

    assert heading(page) == "When should it have been collected?"
    check_page(page, "collection date")
    day = _past_date()
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    press(page, "Continue")

    assert heading(page) == "Was your bin out by 7am on the collection day?"
    check_page(page, "bin out")
    page.get_by_label("Yes", exact=True).check()
    press(page, "Continue")

    assert heading(page) == "Do you have an assisted collection?"
    check_page(page, "assisted collection")
    page.get_by_label("No", exact=True).check()
    press(page, "Continue")

    assert heading(page) == "Your contact details"
    check_page(page, "your details")
    press(page, "Continue", status=400)
    assert_error_summary(page, "name", "Enter your full name", js=False)
    check_page(page, "your details, with errors")
    page.get_by_label("Full name").fill("Siân O'Brien")
    page.get_by_label("Email address").fill("sian.obrien@example.com")
    page.get_by_label("Email", exact=True).check()
    press(page, "Continue")
    assert heading(page) == "Check your answers before sending your request"


def test_missed_bin_with_the_address_lookup_without_javascript(open_page, check_page):
    page = open_page(js=False, viewport=MOBILE)
    visit(page, "/services/missed-bin/")
    check_page(page, "start page")
    press(page, "Start now")

    assert page.url.endswith("/services/missed-bin/address/")
    assert heading(page) == "What is the address?"
    check_page(page, "address")
    page.get_by_label("Postcode").fill("e20 1ab")
    press(page, "Find address")
    select = page.get_by_label("Select an address")
    expect(select).to_be_visible()
    options = select.locator("option")
    count = options.count() - 1
    assert count >= 5, "E20 1AB has many demo addresses"
    expect(options.first).to_have_text(f"{count} addresses found")
    expect(page.get_by_label("Postcode")).to_have_value("E20 1AB")
    check_page(page, "address list")

    press(page, "Continue", status=400)
    assert_error_summary(page, "address-uprn", "Select an address", js=False)
    check_page(page, "address list, with an error")

    chosen = options.nth(3).inner_text().strip()
    select.select_option(label=chosen)
    press(page, "Continue")
    _finish_missed_bin(page, check_page)

    answers = summary_rows(page, 0)
    day = _past_date()
    assert answers["What is the address?"] == chosen
    assert answers["Which bins were missed?"] == "General rubbish (black bin)\nRecycling (blue bin)"
    assert answers["When should it have been collected?"] == f"{day.day} {day.strftime('%B')} {day.year}"
    assert answers["Was your bin out by 7am on the collection day?"] == "Yes"
    assert answers["Do you have an assisted collection?"] == "No"
    check_page(page, "check your answers")

    press(page, "Accept and send")
    reference = confirmation_reference(page)
    check_page(page, "confirmation")
    case = Case.objects.get(reference=reference)
    assert case.location_text == chosen
    assert case.uprn
    assert case.postcode == "E20 1AB"
    assert case.answers["bin_types"] == ["rubbish", "recycling"]


def test_missed_bin_with_a_typed_address_without_javascript(open_page, check_page):
    page = open_page(js=False, viewport=DESKTOP)
    visit(page, "/services/missed-bin/address/")
    follow(page, "Enter the address manually")
    assert page.url.endswith("/services/missed-bin/address/?manual=1")
    expect(page.get_by_role("group", name="Enter the address")).to_be_visible()
    check_page(page, "manual address")

    press(page, "Continue", status=400)
    assert_error_summary(
        page, "address-line1", "Enter address line 1, typically the building and street", js=False
    )
    summary_links = page.locator(".govuk-error-summary__list a")
    expect(summary_links).to_have_count(3)
    expect(summary_links.nth(1)).to_have_attribute("href", "#address-town")
    expect(summary_links.nth(2)).to_have_attribute("href", "#address-manual_postcode")
    check_page(page, "manual address, with errors")

    page.get_by_label("Address line 1").fill("Flat 2, 7 Mill Lane")
    page.get_by_label("Town or city").fill("Demoborough")
    page.get_by_label("Postcode").fill("e20 1zz")
    press(page, "Continue")
    assert page.url.endswith("/services/missed-bin/bin_types/")

    # Coming back shows the typed address again, still in manual mode.
    visit(page, "/services/missed-bin/address/")
    expect(page.get_by_label("Address line 1")).to_have_value("Flat 2, 7 Mill Lane")
    expect(page.get_by_label("Postcode")).to_have_value("E20 1ZZ")
    press(page, "Continue")

    _finish_missed_bin(page, check_page)
    assert summary_rows(page, 0)["What is the address?"] == "Flat 2, 7 Mill Lane, Demoborough, E20 1ZZ"
    check_page(page, "check your answers")
    press(page, "Accept and send")
    reference = confirmation_reference(page)
    case = Case.objects.get(reference=reference)
    assert case.location_text == "Flat 2, 7 Mill Lane, Demoborough, E20 1ZZ"
    assert case.uprn == ""
