"""The staff side in a real browser: the back office, the triage staff pages and the single resident view.

Staff sign in through the real sign-in form. Every page is checked with axe-core (WCAG 2.2 A and AA)
at a desktop width, where officers work; the queues are wide tables, so only the pages that also
fit a phone are checked for sideways scrolling at 375px. Issue 3 item 12, "every action works with
the keyboard alone", is tested with key presses only: Tab, typing, Enter and Space.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from residenthub.accounts.models import Team
from residenthub.cases import actions
from residenthub.cases.models import Attachment, Case, CaseEvent, Channel, Priority
from tests.conftest import PASSWORD, _staff

from .conftest import DESKTOP, MOBILE, REFERENCE_PATTERN
from .helpers import assert_error_summary, focused, follow, heading, press, sign_in, tab_to, visit

pytestmark = pytest.mark.browser

HIGHWAYS_SERVICES = ["report-pothole", "report-street-light", "report-blocked-drain", "report-dangerous-tree"]
# The smallest valid PNG: a 1x1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


@pytest.fixture
def officer_page(open_page):
    """``officer_page(user)``: a desktop browser page, signed in as ``user`` through the form."""

    def _open(user, *, viewport: dict = DESKTOP):
        page = open_page(viewport=viewport)
        sign_in(page, user.username, PASSWORD)
        return page

    return _open


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Attachments go to a temporary folder, not var/uploads."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def check_at_phone_width(page, check_page, label: str) -> None:
    """axe and the no-sideways-scroll check at 375px, then back to the desktop width."""
    page.set_viewport_size(MOBILE)
    try:
        check_page(page, f"{label} at 375px")
    finally:
        page.set_viewport_size(DESKTOP)


def queue_references(page) -> list[str]:
    """The references in a table of cases (a queue or search results), in order."""
    links = page.locator('table.hub-queue tbody tr a[href^="/staff/cases/"]')
    return [ref.strip() for ref in links.all_inner_texts()]


def timeline_entries(page) -> list[str]:
    return [text.strip() for text in page.locator(".hub-timeline__item").all_inner_texts()]


# --- Signing in ----------------------------------------------------------------------------------


def test_sign_in_page_its_errors_and_signing_out(open_page, check_page, highways_officer):
    page = open_page(viewport=MOBILE)
    # A page of the back office sends an officer who is not signed in to the sign-in form.
    visit(page, "/staff/mine/")
    assert page.url.endswith("/staff/login/?next=/staff/mine/")
    assert heading(page) == "Sign in"
    check_page(page, "staff sign-in")

    press(page, "Sign in", status=400)
    assert_error_summary(page, "username", "Enter your username")
    expect(page.locator('.govuk-error-summary a[href="#password"]')).to_have_text("Enter your password")
    check_page(page, "staff sign-in with both fields empty")

    page.get_by_label("Username").fill(highways_officer.username)
    page.get_by_label("Password").fill("not-the-password")
    press(page, "Sign in", status=400)
    assert_error_summary(page, "username", "Enter a correct username and password")
    # The username is kept, the password is not.
    expect(page.get_by_label("Username")).to_have_value(highways_officer.username)
    expect(page.get_by_label("Password")).to_have_value("")
    check_page(page, "staff sign-in with a wrong password")

    page.get_by_label("Password").fill(PASSWORD)
    press(page, "Sign in")
    # Back where the officer was going.
    assert page.url.endswith("/staff/mine/")
    assert heading(page) == "My cases"
    expect(page.get_by_text("Hana Okafor")).to_be_visible()
    page.set_viewport_size(DESKTOP)
    press(page, "Sign out")
    assert page.url.endswith("/staff/login/")
    visit(page, "/staff/")
    assert "/staff/login/" in page.url


def test_pages_an_officer_may_not_see(officer_page, check_page, highways_officer):
    page = officer_page(highways_officer)
    for path in ["/staff/audit/", "/staff/export.csv"]:
        visit(page, path, status=403)
        check_page(page, f"{path} refused to an officer")


# --- Queues --------------------------------------------------------------------------------------


def test_team_queue_filters_and_my_cases(officer_page, check_page, make_case, highways_officer, team_leader):
    today = timezone.localdate()
    cases = []
    for i in range(30):
        cases.append(
            make_case(
                HIGHWAYS_SERVICES[i % 4],
                priority=Priority.URGENT if i % 7 == 0 else Priority.NORMAL,
                channel=Channel.PHONE if i % 5 == 0 else Channel.WEB,
            )
        )
    # Every case is in E20 (the answers' location) but every third, in E15.
    in_e15 = [case.pk for i, case in enumerate(cases) if i % 3 == 0]
    Case.objects.filter(pk__in=in_e15).update(postcode="E15 2GW")
    overdue = [case.pk for i, case in enumerate(cases) if i % 4 == 1]
    Case.objects.filter(pk__in=overdue).update(due_date=today - dt.timedelta(days=3))
    Case.objects.filter(pk__in=[case.pk for i, case in enumerate(cases) if i % 6 == 2]).update(due_date=today)
    mine = cases[3:8]
    for case in mine:
        actions.assign(case, by=team_leader, officer=highways_officer)
    # Another team's case is not in this queue.
    housing = make_case("housing-repair")

    page = officer_page(highways_officer)
    assert heading(page) == "Team queue"
    expect(page.get_by_role("link", name="30 open")).to_be_visible()
    expect(page.get_by_role("link", name=f"{len(overdue)} overdue")).to_be_visible()
    expect(page.get_by_text("30 cases, most urgent first, then by due date.")).to_be_visible()
    shown = queue_references(page)
    assert len(shown) == 30 and housing.reference not in shown
    # Urgent first.
    urgent = {case.reference for case in cases if case.priority == Priority.URGENT}
    assert set(shown[: len(urgent)]) == urgent
    expect(page.locator("table.hub-queue .govuk-tag", has_text="Overdue")).to_have_count(len(overdue))
    expect(page.locator("table.hub-queue .govuk-tag", has_text="Due soon").first).to_be_visible()
    # Officers export nothing; the audit trail is not in their menu.
    expect(page.get_by_role("link", name="Download as CSV")).to_have_count(0)
    expect(page.get_by_role("link", name="Audit trail")).to_have_count(0)
    check_page(page, "team queue of 30 cases")

    # The filters, opened and applied.
    page.get_by_text("Filter cases").click()
    expect(page.get_by_label("Service level")).to_be_visible()
    check_page(page, "team queue with the filters open")
    page.get_by_label("Service level").select_option("overdue")
    page.get_by_label("Postcode district").fill("e20")
    press(page, "Apply filters")
    assert "sla=overdue" in page.url and "district=e20" in page.url
    expect(page.locator("details.govuk-details")).to_have_attribute("open", "")
    filtered = queue_references(page)
    expected = {case.reference for case in cases if case.pk in overdue and case.pk not in in_e15}
    assert set(filtered) == expected and 0 < len(expected) < len(overdue)
    check_page(page, "team queue filtered to overdue cases in E20")

    visit(page, "/staff/?priority=urgent&channel=letter")
    expect(page.get_by_text("No cases match.")).to_be_visible()
    check_page(page, "team queue with no cases matching the filters")

    follow(page, "My cases")
    assert heading(page) == "My cases"
    assert set(queue_references(page)) == {case.reference for case in mine}
    check_page(page, "my cases")


def test_a_restricted_queue_for_social_care(officer_page, check_page, make_case, socialcare_officer):
    case = make_case("adult-social-care-assessment", priority=Priority.URGENT)
    page = officer_page(socialcare_officer)
    expect(page.locator("table.hub-queue tbody tr")).to_have_count(1)
    row = page.locator("table.hub-queue tbody tr").first
    expect(row.locator(".govuk-tag", has_text="Restricted")).to_be_visible()
    expect(row.locator(".govuk-tag", has_text="Urgent")).to_be_visible()
    check_page(page, "social care queue with a restricted, urgent case")
    follow(page, case.reference)
    expect(page.locator("h1 .govuk-tag--purple")).to_have_text("Restricted")
    check_page(page, "restricted case page")


# --- The case page -------------------------------------------------------------------------------


def test_case_page_with_its_timeline_referral_and_file(
    officer_page, check_page, make_case, highways_officer, team_leader, upload_dir
):
    case = make_case(phone="07700 900982", name="Siân Evans")
    earlier = make_case(name="Siân Evans")
    actions.transition(earlier, "resolved", by=highways_officer, public_message="Filled in on Monday.")
    actions.transition(case, "in_progress", by=highways_officer, public_message="An inspector is on the way.")
    actions.add_public_update(case, "We will fill it in on Monday.", by=highways_officer)
    actions.add_internal_note(case, "Gas main nearby: tell the crew.", by=highways_officer)
    actions.assign(case, by=team_leader, officer=highways_officer)
    actions.refer(
        case,
        Team.objects.get(slug="housing-repairs"),
        by=highways_officer,
        reason="Tree roots from the estate",
    )
    Attachment.objects.create(
        case=case,
        token=secrets.token_urlsafe(32),
        file=ContentFile(PNG, name="pothole.png"),
        original_name="a photo of the pothole.png",
        content_type="image/png",
        size=len(PNG),
    )

    page = officer_page(highways_officer)
    follow(page, case.reference)
    assert heading(page).startswith(case.reference)
    expect(page.get_by_role("link", name="a photo of the pothole.png")).to_be_visible()
    expect(page.locator(".govuk-summary-list__row", has_text="Referred to")).to_contain_text(
        "Housing Repairs"
    )
    expect(page.locator(".govuk-summary-list__row", has_text="Phone")).to_contain_text("07700 900982")
    expect(page.get_by_role("link", name=earlier.reference)).to_be_visible()
    entries = timeline_entries(page)
    assert len(entries) == 6, entries
    assert any("Gas main nearby" in entry and "Staff only" in entry for entry in entries), entries
    assert any("We will fill it in on Monday." in entry and "Seen by resident" in entry for entry in entries)
    check_page(page, "case page")
    check_at_phone_width(page, check_page, "case page")

    # The folded actions, opened.
    page.get_by_text("Refer, move or mark as duplicate").click()
    expect(page.get_by_label("Refer to another team")).to_be_visible()
    check_page(page, "case page with every action shown")

    # Change status without choosing one: the error summary, and the field's own message.
    press(page, "Change status", status=400)
    assert_error_summary(page, "to_status", "Choose the new status")
    expect(page.get_by_label("Change status")).to_have_attribute("aria-describedby", "to_status-error")
    check_page(page, "case page with an error in the status form")

    # An error in the folded actions opens them.
    page.get_by_text("Refer, move or mark as duplicate").click()
    press(page, "Refer", status=400)
    assert_error_summary(page, "refer_team", "Choose the team to refer the case to")
    expect(page.locator("#actions details.govuk-details")).to_have_attribute("open", "")
    check_page(page, "case page with an error in the referral form")

    # A closed case offers to reopen it.
    follow(page, earlier.reference)
    expect(page.get_by_label("Reopen the case")).to_be_visible()
    check_page(page, "closed case page")


def test_status_change_and_note_with_the_keyboard_alone(open_page, make_case, highways_officer):
    case = make_case()
    other = make_case()
    page = open_page(viewport=DESKTOP)

    visit(page, "/staff/login/")
    tab_to(page, "#username")
    page.keyboard.type(highways_officer.username)
    page.keyboard.press("Tab")
    assert focused(page, "#password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading(page) == "Team queue"

    # From the queue to the case.
    tab_to(page, f'a[href="/staff/cases/{case.reference}/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading(page).startswith(case.reference)

    # Change the status, with a message to the resident.
    tab_to(page, "#to_status")
    page.keyboard.type("In progress")
    expect(page.locator("#to_status")).to_have_value("in_progress")
    page.keyboard.press("Tab")
    assert focused(page, "#reason")
    page.keyboard.press("Tab")
    assert focused(page, "#public_message")
    page.keyboard.type("An inspector will look at it this week.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Change status")).to_be_focused()
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.status == 200
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Status changed.")
    first = page.locator(".hub-timeline__item").first
    expect(first).to_contain_text("Status changed: In progress")
    expect(first).to_contain_text("An inspector will look at it this week.")
    expect(first).to_contain_text("Seen by resident")
    expect(page.locator(".govuk-summary-list__row", has_text="Status").first).to_contain_text("In progress")

    # An internal note, sent with Space on the button.
    tab_to(page, "#note_text")
    page.keyboard.type("Called the resident: the gate code is 1234.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Add note")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Space")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Note added.")
    first = page.locator(".hub-timeline__item").first
    expect(first).to_contain_text("Internal note")
    expect(first).to_contain_text("Called the resident: the gate code is 1234.")
    expect(first).to_contain_text("Staff only")

    case.refresh_from_db()
    assert case.status == "in_progress"
    kinds = list(case.events.order_by("id").values_list("kind", flat=True))
    assert kinds == [CaseEvent.Kind.SUBMITTED, CaseEvent.Kind.STATUS_CHANGED, CaseEvent.Kind.INTERNAL_NOTE]
    assert other.events.count() == 1


def test_bulk_assign_from_the_queue_with_the_keyboard_alone(
    officer_page, check_page, make_case, highways_officer, team_leader
):
    first, second, third = make_case(), make_case(), make_case()
    page = officer_page(team_leader)
    # The order of the queue: same priority and due date, so by id.
    assert queue_references(page) == [first.reference, second.reference, third.reference]
    tab_to(page, f"#select-{first.reference}")
    page.keyboard.press("Space")
    tab_to(page, f"#select-{third.reference}")
    page.keyboard.press("Space")
    expect(page.locator(f"#select-{first.reference}")).to_be_checked()
    expect(page.locator(f"#select-{second.reference}")).not_to_be_checked()
    tab_to(page, "#bulk_action")
    page.keyboard.type("Assign")
    expect(page.locator("#bulk_action")).to_have_value("assign")
    page.keyboard.press("Tab")
    assert focused(page, "#bulk_officer")
    page.keyboard.type("Hana")
    expect(page.locator("#bulk_officer")).to_have_value(str(highways_officer.pk))
    tab_to(page, "fieldset.hub-bulk button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 case(s) updated.")
    check_page(page, "team queue after a bulk action")
    for case, officer in [(first, highways_officer), (second, None), (third, highways_officer)]:
        case.refresh_from_db()
        assert case.assigned_to == officer, case.reference


# --- Search, assisted digital, audit -------------------------------------------------------------


def test_search_new_case_for_a_resident_and_the_audit_trail(officer_page, check_page, make_case, team_leader):
    found = make_case(name="Siân Evans", email="sian@example.com")
    make_case(name="Bob Smith", email="bob@example.com")
    page = officer_page(team_leader)

    follow(page, "Search")
    check_page(page, "search")
    check_at_phone_width(page, check_page, "search")
    page.get_by_label("Reference, name, email, phone, postcode or any words").fill("sian@example.com")
    press(page, "Search")
    expect(page.get_by_text("1 case found.")).to_be_visible()
    assert queue_references(page) == [found.reference]
    check_page(page, "search with a result")
    visit(page, "/staff/search/?q=" + found.reference.lower().replace("-", " "))
    assert queue_references(page) == [found.reference]
    visit(page, "/staff/search/?q=nobody-like-this")
    expect(page.get_by_text("No cases you can see match ‘nobody-like-this’.")).to_be_visible()
    check_page(page, "search with no results")

    # Assisted digital: the resident's own form, with a banner.
    follow(page, "New case for a resident")
    assert heading(page) == "New case for a resident"
    check_page(page, "new case for a resident")
    check_at_phone_width(page, check_page, "new case for a resident")
    press(page, "Start the form", status=400)
    assert_error_summary(page, "service", "Choose the service")
    expect(page.locator('.govuk-error-summary a[href="#channel"]')).to_have_text(
        "Choose how the resident contacted us"
    )
    check_page(page, "new case for a resident with errors")
    page.get_by_label("Service").select_option(label="Report a pothole")
    page.get_by_label("Phone call").check()
    press(page, "Start the form")
    assert page.url.endswith("/services/report-pothole/location/")
    expect(page.get_by_role("region", name="Staff")).to_contain_text(
        "You are filling in this form for a resident (Phone call)."
    )
    check_page(page, "the resident's form, filled in by staff")
    press(page, "Stop and go back to the queue")
    assert heading(page) == "Team queue"

    # The audit trail: latest entries, then one case's.
    follow(page, "Audit trail")
    assert heading(page) == "Audit trail"
    expect(page.locator("tbody tr", has_text="staff.signed_in").first).to_be_visible()
    check_page(page, "audit trail")
    page.get_by_label("Case reference").fill(found.reference)
    press(page, "Show")
    expect(page.locator("tbody tr", has_text="case.created")).to_have_count(1)
    check_page(page, "audit trail of one case")


# --- Two-factor authentication -------------------------------------------------------------------


def _code(device) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def unthrottle(device, **fields) -> None:
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None, **fields
    )
    device.refresh_from_db()


def test_two_factor_set_up_and_sign_in(open_page, check_page, settings, highways_officer):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # The live server runs in this process, so the override reaches it.
    settings.STAFF_2FA_REQUIRED = True
    page = open_page(viewport=DESKTOP)
    sign_in(page, highways_officer.username, PASSWORD)
    assert page.url.endswith("/staff/two-factor/set-up/")
    assert heading(page) == "Set up two-factor authentication"
    key = page.locator("#totp-key").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", key), key
    check_page(page, "two-factor set-up")
    check_at_phone_width(page, check_page, "two-factor set-up")
    page.get_by_label("Code from the app").fill("000000")
    press(page, "Confirm", status=400)
    assert_error_summary(page, "token", "Enter the 6-digit code your app shows for this key")
    check_page(page, "two-factor set-up with a wrong code")
    device = TOTPDevice.objects.get(user=highways_officer)
    # django-otp makes the next attempt wait a second after a wrong code; no need to wait here.
    unthrottle(device)
    page.get_by_label("Code from the app").fill(_code(device))
    press(page, "Confirm")
    assert heading(page) == "Team queue"
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Two-factor authentication is set up.")

    # Next time: the code only.
    press(page, "Sign out")
    sign_in(page, highways_officer.username, PASSWORD)
    assert "/staff/two-factor/?next=" in page.url
    expect(page.get_by_label("Enter your security code")).to_be_visible()
    check_page(page, "two-factor code")
    check_at_phone_width(page, check_page, "two-factor code")
    page.get_by_label("Enter your security code").fill("12")
    press(page, "Continue", status=400)
    assert_error_summary(page, "token", "Enter the 6-digit code from your authenticator app")
    check_page(page, "two-factor code with a wrong code")
    # A code is accepted once; let this one be used in the same 30 seconds as the first.
    unthrottle(device, last_t=-1)
    page.get_by_label("Enter your security code").fill(_code(device))
    press(page, "Continue")
    assert heading(page) == "Team queue"


# --- The front door's staff pages ----------------------------------------------------------------


@pytest.fixture
def customer_services_officer(hub):
    return _staff("cs.officer", "customer-services", first_name="Cass", last_name="Adeyemi")


def test_triage_log_and_human_triage_queue(
    officer_page, check_page, triage_model, customer_services_officer, highways_officer
):
    from residenthub.triage import actions as triage_actions
    from residenthub.triage import engine
    from residenthub.triage.models import TriageRecord

    def triaged(text, *, to_person=False, email=""):
        record = triage_actions.record(engine.analyse(text))
        if to_person:
            triage_actions.send_to_human(record, email=email)
        return record

    bins = triaged("the bins weren't collected again and now there's rats")
    TriageRecord.objects.filter(pk=bins.pk).update(chosen_service=bins.service, resolution="accepted")
    urgent = triaged("my neighbour's kids have been left alone for two days", to_person=True)
    weather = triaged("what will the weather be like at the weekend", to_person=True, email="w@example.com")
    assert urgent.urgent and not weather.urgent

    # Not for every officer.
    page = officer_page(highways_officer)
    visit(page, "/triage/staff/", status=403)

    page = officer_page(customer_services_officer)
    follow(page, "Front door messages")
    assert heading(page) == "Human triage queue"
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    # Urgent first.
    expect(rows.first).to_contain_text("Urgent")
    expect(rows.nth(1)).to_contain_text("w@example.com")
    check_page(page, "human triage queue")

    follow(page, "Triage log")
    assert heading(page) == "Triage log"
    expect(page.locator("tbody tr", has_text="the bins weren't collected")).to_have_count(1)
    expect(page.get_by_text("100%")).to_be_visible()
    check_page(page, "triage log")
    page.get_by_label("Urgent only").check()
    press(page, "Filter")
    expect(page.locator("table").nth(1).locator("tbody tr")).to_have_count(1)
    check_page(page, "triage log, urgent only")

    # A flagged message needs a note to close; a message goes to a service to become a case.
    visit(page, f"/triage/staff/{urgent.pk}/")
    assert heading(page) == "Triaged message"
    check_page(page, "a triaged message")
    press(page, "Close: no case needed", status=400)
    assert_error_summary(page, "note", "Say what was done: this message was flagged as urgent.")
    expect(page.get_by_label("Note")).to_have_attribute("aria-describedby", "note-error")
    check_page(page, "a triaged message, closed without a note")
    visit(page, f"/triage/staff/{weather.pk}/")
    page.get_by_label("Send to service").select_option("")
    page.get_by_label("Note").fill("Asked about potholes on the phone")
    press(page, "Create case in that service", status=400)
    assert_error_summary(page, "service", "Choose a service")
    expect(page.get_by_label("Send to service")).to_have_attribute("aria-describedby", "service-error")
    # What the officer wrote is kept.
    expect(page.get_by_label("Note")).to_have_value("Asked about potholes on the phone")
    check_page(page, "a triaged message, sent to no service")
    page.get_by_label("Send to service").select_option(label="Report a pothole")
    press(page, "Create case in that service")
    assert heading(page) == "Human triage queue"
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        re.compile(rf"Case {REFERENCE_PATTERN} created in Report a pothole\.")
    )
    expect(page.locator("tbody tr")).to_have_count(1)
    check_page(page, "human triage queue after routing a message")


# --- The single resident view --------------------------------------------------------------------


def test_identity_review_person_and_household_pages(officer_page, check_page, make_case, highways_officer):
    from residenthub.identity.models import (
        CaseLink,
        Household,
        HouseholdMembership,
        PersonLink,
        ReviewPair,
        Source,
        SourceRecord,
    )

    page = officer_page(highways_officer)
    follow(page, "Resident records")
    assert heading(page) == "Possible duplicates to review"
    expect(page.get_by_text("There is nothing to review.")).to_be_visible()
    check_page(page, "empty review list")

    # A case links its resident to a person (the point-of-entry check runs inline in tests); two
    # imported records, one of the same person and one in review with it, and a restricted one.
    case = make_case(name="Siân Evans", email="sian@example.com", phone="07700 900982")
    person = CaseLink.objects.get(case=case).person
    council_tax = Source.objects.create(slug="council-tax", name="Council tax")
    social_care = Source.objects.create(
        slug="social-care",
        name="Social care",
        restricted=True,
        team=Team.objects.get(slug="adult-social-care"),
    )

    def record(source, key, **standard):
        return SourceRecord.objects.create(
            source=source, source_key=key, data=standard, standard=standard, fingerprint=key
        )

    same = record(
        council_tax,
        "CT-1001",
        first_name="sian",
        last_name="evans",
        dob="1980-04-02",
        email="sian@example.com",
        number="14",
        street="station road",
        postcode="E20 1AB",
        record_date="2024-05-01",
    )
    PersonLink.objects.create(record=same, person=person, probability=0.99)
    PersonLink.objects.create(
        record=record(social_care, "SC-77", first_name="sian", last_name="evans"), person=person
    )
    maybe = record(council_tax, "CT-2002", first_name="sion", last_name="evans", dob="1980-02-04")
    from residenthub.identity.actions import new_person

    PersonLink.objects.create(record=maybe, person=new_person(), probability=0.6)
    ReviewPair.objects.create(
        record_l=same,
        record_r=maybe,
        probability=0.62,
        match_weight=0.7,
        explanation={"first_name": 2.1, "last_name": 4.5, "dob": -1.2},
    )
    household = Household.objects.create(
        public_id="H-TEST-1", key="addr:|14|station road|E20 1AB", label="14 Station Road, E20 1AB"
    )
    HouseholdMembership.objects.create(
        household=household, person=person, since="2024-05-01", source_ids=[council_tax.pk]
    )

    visit(page, "/staff/identity/review/")
    expect(page.locator("tbody tr")).to_have_count(1)
    check_page(page, "review list")
    follow(page, "Start reviewing")
    assert heading(page) == "Are these the same person?"
    expect(page.locator("tbody tr", has_text="Date of birth")).to_contain_text("differs")
    check_page(page, "review pair")
    # The decision from the keyboard. Nothing is focused on arrival (a stray Enter must never merge
    # two records): Tab to "Different people".
    assert not focused(page, "button[value=accepted]")
    tab_to(page, "button[value=rejected]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading(page) == "Possible duplicates to review"
    assert ReviewPair.objects.get().status == ReviewPair.Status.REJECTED

    visit(page, f"/staff/identity/person/{person.public_id}/")
    assert heading(page) == "Sian Evans"
    # The social care record is not shown, and nothing says it exists (SECURITY.md).
    expect(page.get_by_text("restricted sources")).to_have_count(0)
    expect(page.get_by_text("SC-77")).to_have_count(0)
    # The case is listed under Cases and on the person's timeline.
    expect(
        page.locator("main li", has_text=case.reference).filter(has_text="Report a pothole").first
    ).to_be_visible()
    check_page(page, "resident 360")
    follow(page, "14 Station Road, E20 1AB")
    assert heading(page) == "14 Station Road, E20 1AB"
    check_page(page, "household")
