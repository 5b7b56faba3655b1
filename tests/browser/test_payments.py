"""Paying for a bulky waste collection in Chromium: without JavaScript on a phone, with a declined
card and a retry, and the staff payment pages; axe-core finds nothing on any payment page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from residenthub.cases.models import Case
from residenthub.payments.models import Charge
from tests.payments.conftest import fake_pay, finance_officer, waste_officer  # noqa: F401 - fixtures

from .conftest import MOBILE
from .helpers import heading, press, sign_in, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def pay(fake_pay, hub, settings):  # noqa: F811 - the fixture imported above
    """GOV.UK Pay sends residents back to the live server, and on PostgreSQL its webhooks too (the
    live server's in-memory SQLite refuses two writers at once, where a real SQLite file waits)."""
    from django.db import connection

    settings.SITE_URL = hub.url
    if connection.vendor == "postgresql":
        fake_pay.webhook_url = f"{hub.url}/pay/webhook/"
    return fake_pay


def book_three_items(page, check_page, *, check: bool = True):
    visit(page, "/services/bulky-waste/")
    press(page, "Start now")
    page.get_by_label("Postcode").fill("e20 1ab")
    press(page, "Find address")
    select = page.get_by_label("Select an address")
    select.select_option(index=2)
    press(page, "Continue")
    page.get_by_label("Sofa or armchair").check()
    page.get_by_label("Mattress").check()
    press(page, "Continue")
    page.get_by_label("How many items are there in total?").fill("3")
    press(page, "Continue")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2031")
    press(page, "Continue")
    page.get_by_label("On the pavement outside my home").check()
    press(page, "Continue")
    page.get_by_label("Full name").fill("Siân O'Brien")
    page.get_by_label("Email address").fill("sian.obrien@example.com")
    page.get_by_label("Email", exact=True).check()
    press(page, "Continue")
    assert heading(page) == "Check your answers before sending your request"
    expect(page.locator("#fee")).to_contain_text("3 items at £15 each")
    expect(page.locator("#fee")).to_contain_text("£45")
    if check:
        check_page(page, "check answers with the fee")


def pay_with(page, card: str) -> None:
    """GOV.UK Pay's card page (the local one): not our page, so not checked with axe."""
    expect(page.locator("#amount")).to_have_text("Total amount: £45.00")
    page.get_by_label("Card number").fill(card)
    press(page, "Continue")


def test_pay_for_bulky_waste_without_javascript(open_page, check_page, pay):
    page = open_page(js=False, viewport=MOBILE)
    book_three_items(page, check_page)
    press(page, "Accept and pay")
    assert page.url.startswith(pay.base_url + "/secure/")
    pay_with(page, "4444333322221111")
    assert page.url.endswith("/services/bulky-waste/confirmation/")
    reference = page.locator(".govuk-panel--confirmation strong").inner_text().strip()
    expect(page.locator("#payment + dl")).to_contain_text("Paid")
    check_page(page, "confirmation, paid")
    assert Case.objects.get(reference=reference).charge.status == Charge.Status.PAID
    visit(page, f"/track/{reference}/")
    expect(page.locator("#payment + dl")).to_contain_text("£45")
    check_page(page, "tracking page, paid")
    visit(page, f"/pay/{reference}/paid/")
    check_page(page, "payment received")


def test_declined_card_then_retry_with_javascript(open_page, check_page, pay):
    page = open_page(js=True, viewport=MOBILE)
    book_three_items(page, check_page, check=False)
    press(page, "Accept and pay")
    pay_with(page, "4000000000000002")
    assert "/pay/" in page.url and heading(page) == "Pay for your request"
    expect(page.locator("#failure")).to_have_text("Your payment was declined. No money has been taken.")
    check_page(page, "pay page after a declined card")
    press(page, "Try paying again")
    pay_with(page, "4444333322221111")
    expect(page.locator("#payment + dl")).to_contain_text("Paid")


def test_staff_payment_pages(open_page, check_page, pay, waste_officer, finance_officer, make_case):  # noqa: F811
    from residenthub.payments import actions
    from residenthub.services.models import Service
    from tests.conftest import PASSWORD, minimal_answers

    answers = minimal_answers(Service.objects.get(code="bulky-waste"))
    answers["item_count"] = 3
    case = make_case("bulky-waste", answers=answers)
    actions.open_charge(case)
    page = open_page(js=True, viewport=MOBILE)
    sign_in(page, waste_officer.username, PASSWORD)
    visit(page, f"/staff/cases/{case.reference}/")
    expect(page.locator("#payment-summary")).to_contain_text("Not paid")
    visit(page, f"/staff/payments/cases/{case.reference}/")
    check_page(page, "staff payments, unpaid")
    press(page, "Record payment", status=400)
    check_page(page, "staff payments, with an error")
    page.get_by_label("Amount in pounds").first.fill("45.00")
    page.get_by_label("Where taken, or cheque number").fill("Central Library")
    press(page, "Record payment")
    check_page(page, "staff payments, paid")
    page.get_by_label("Amount in pounds").fill("15.00")
    page.get_by_label("Reason").fill("One item was not put out")
    press(page, "Refund")
    expect(page.locator("#refunds")).to_contain_text("£15")
    page.context.clear_cookies()
    sign_in(page, finance_officer.username, PASSWORD)
    pay.add_settled(amount=999, reference="DBC-NONE-1", day=case.created_at.date())
    actions.reconcile(case.created_at.date())
    visit(page, "/staff/payments/mismatches/")
    check_page(page, "reconciliation and mismatches")
