"""The front door (docs/triage.md) in a real browser, on a phone: the "Tell us what you need" box,
its results, the urgent help banner, sending a message to a person, and the webchat with and without
JavaScript. Every page is checked with axe-core and for sideways scrolling at 375px.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from residenthub.triage.models import Outcome, TriageRecord

from .conftest import MOBILE
from .helpers import assert_error_summary, heading, press, visit

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("triage_model")]

BINS_AND_RATS = "the bins weren't collected again and now there's rats"
CHILDREN_ALONE = "my neighbour's kids have been left alone for two days"
RESULT_URL = re.compile(r"/triage/result/[0-9a-f-]{36}/$")


def suggestions(page) -> list[str]:
    return [label.strip() for label in page.locator(".govuk-radios__label").all_inner_texts()]


def test_the_box_on_the_home_page_offers_missed_bin_and_pest_control(open_page, check_page):
    page = open_page(viewport=MOBILE)
    visit(page, "/")
    box = page.get_by_label("Tell us what you need")
    expect(box).to_be_visible()
    box.fill(BINS_AND_RATS)
    press(page, "Continue")
    assert RESULT_URL.search(page.url), page.url
    assert heading(page) == "What your message is about"
    expect(page.locator(".hub-urgent")).to_have_count(0)
    expect(page.get_by_role("group", name="Is it one of these?")).to_be_visible()
    offered = suggestions(page)
    assert "Report a missed bin collection" in offered and "Book pest control" in offered, offered
    assert offered[-1] == "None of these: send my message to a person"
    expect(page.get_by_text("Very likely").first).to_be_visible()
    page.get_by_text("Your message", exact=True).click()
    expect(page.locator(".hub-message")).to_have_text(BINS_AND_RATS)
    check_page(page, "triage result with two services")

    # Continue without choosing: the error summary leads to the first choice.
    press(page, "Continue", status=400)
    assert_error_summary(page, "service", "Choose what your message is about, or send it to a person")
    check_page(page, "triage result without a choice")

    page.get_by_label("Book pest control").check()
    press(page, "Continue")
    assert page.url.endswith("/services/pest-control/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "We have filled in some answers from your message."
    )
    check_page(page, "pest control start page, prefilled from the message")
    record = TriageRecord.objects.get()
    assert record.chosen_service.code == "pest-control"


def test_an_urgent_message_sent_to_a_person(open_page, check_page):
    page = open_page(viewport=MOBILE)
    visit(page, "/triage/")
    assert heading(page) == "What do you need help with?"
    check_page(page, "triage start page")
    press(page, "Continue", status=400)
    assert_error_summary(page, "enquiry", "Tell us what you need, in your own words")
    check_page(page, "triage start page with nothing written")

    page.get_by_label("Tell us what you need").fill(CHILDREN_ALONE)
    press(page, "Continue")
    banner = page.get_by_role("alert").filter(has_text="Get help now")
    expect(banner).to_be_visible()
    # The banner is the first thing on the page, above the heading.
    position = page.locator(".hub-urgent").evaluate(
        "banner => banner.compareDocumentPosition(document.querySelector('h1'))"
    )
    assert position & 4, "the heading must follow the banner"  # Node.DOCUMENT_POSITION_FOLLOWING
    expect(banner.get_by_role("link", name="999", exact=True)).to_have_attribute("href", "tel:999")
    page.get_by_text("Why we think this is urgent").click()
    expect(banner).to_contain_text("kids have been left alone")
    offered = suggestions(page)
    assert "Report a concern about a child" in offered[0], offered
    check_page(page, "urgent triage result")

    page.get_by_label("None of these: send my message to a person").check()
    press(page, "Continue")
    assert page.url.endswith("/person/")
    assert heading(page) == "Send your message to a person"
    expect(page.get_by_role("alert").filter(has_text="Get help now")).to_be_visible()
    check_page(page, "send my message to a person")
    page.get_by_label("Email address (optional)").fill("not an email")
    page.get_by_label("Phone number (optional)").fill("12")
    press(page, "Send", status=400)
    assert_error_summary(page, "email", "Enter an email address in the correct format, like name@example.com")
    expect(page.locator('.govuk-error-summary a[href="#phone"]')).to_be_visible()
    check_page(page, "send my message to a person, with errors")
    page.get_by_label("Your name (optional)").fill("Ada")
    page.get_by_label("Email address (optional)").fill("ada@example.com")
    page.get_by_label("Phone number (optional)").fill("")
    press(page, "Send")
    expect(page.locator(".govuk-panel--confirmation h1")).to_have_text("Message sent")
    expect(page.get_by_text("A member of staff will read your message and contact you.")).to_be_visible()
    check_page(page, "message sent")

    record = TriageRecord.objects.get()
    assert record.urgent and record.needs_human
    assert record.contact_email == "ada@example.com" and record.text == CHILDREN_ALONE


def test_the_webchat_with_javascript(open_page, check_page):
    page = open_page(viewport=MOBILE)
    visit(page, "/triage/chat/")
    assert heading(page) == "Chat with us"
    check_page(page, "webchat")

    # Sending does not reload the page: the conversation is swapped in.
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Your message").fill(BINS_AND_RATS)
    page.get_by_role("button", name="Send").click()
    log = page.locator("#chat-log")
    expect(log.locator(".hub-chat__turn--you")).to_have_count(1)
    expect(log.locator(".hub-chat__turn--you")).to_contain_text(BINS_AND_RATS)
    expect(log.get_by_label("Report a missed bin collection")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage === true")
    expect(page.get_by_label("Your message")).to_be_focused()
    expect(page.get_by_label("Your message")).to_have_value("")
    check_page(page, "webchat with one answer")

    page.get_by_label("Your message").fill(CHILDREN_ALONE)
    page.get_by_role("button", name="Send").click()
    expect(log.locator(".hub-chat__turn--you")).to_have_count(2)
    expect(log.get_by_role("alert").filter(has_text="Get help now")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage === true")
    check_page(page, "webchat with an urgent answer")

    # An empty message goes to the server, which says what is wrong.
    press(page, "Send", status=400)
    assert_error_summary(page, "enquiry", "Type your message")
    check_page(page, "webchat with nothing typed")

    press(page, "Start again")
    expect(page.locator("#chat-log .hub-chat__turn--you")).to_have_count(0)
    assert TriageRecord.objects.count() == 2


def test_the_webchat_without_javascript(open_page, check_page):
    page = open_page(js=False, viewport=MOBILE)
    visit(page, "/triage/chat/")
    check_page(page, "webchat without JavaScript")
    page.get_by_label("Your message").fill(BINS_AND_RATS)
    press(page, "Send")
    assert page.url.endswith("/triage/chat/#latest")
    expect(page.locator("#chat-log .hub-chat__turn--you")).to_have_count(1)
    check_page(page, "webchat without JavaScript, one answer")

    page.get_by_label("Your message").fill("what time does the football start on saturday")
    press(page, "Send")
    expect(page.locator("#chat-log .hub-chat__turn--you")).to_have_count(2)
    record = TriageRecord.objects.order_by("-id").first()
    assert record.outcome == Outcome.NOT_COUNCIL, record.outcome
    expect(page.get_by_text("This does not look like something the council deals with.")).to_be_visible()
    check_page(page, "webchat without JavaScript, not a council matter")

    # "Send my message to a person", from the chat.
    page.get_by_role("link", name="Send my message to a person").last.click()
    assert heading(page) == "Send your message to a person"
    press(page, "Send")
    expect(
        page.get_by_text("You did not give us a way to reply, so we cannot contact you about it.")
    ).to_be_visible()
    check_page(page, "message sent without a way to reply, without JavaScript")
    record.refresh_from_db()
    assert record.needs_human
