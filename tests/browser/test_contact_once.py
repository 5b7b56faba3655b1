"""Issue 15's new pages in a real browser: axe-core (WCAG 2.2 A/AA) with no violations, and the main
journeys with the keyboard alone (Tab, typing, Enter, Space): person search to the 360 page, the
resident account, tell us once, "how did we do?" (with JavaScript off too), and the staff lists."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from residenthub.accounts.models import Team
from residenthub.cases import actions as case_actions
from residenthub.cases.models import NotifyBy
from residenthub.feedback import actions as feedback_actions
from residenthub.identity.models import Person, Source
from residenthub.portal.models import SignInToken
from tests.conftest import PASSWORD
from tests.identity.test_person_search import _record

from .conftest import DESKTOP, MOBILE
from .helpers import assert_error_summary, heading, sign_in, tab_to, visit

pytestmark = pytest.mark.browser
EMAIL = "maggie@example.com"


@pytest.fixture
def maggie(hub):
    council_tax = Source.objects.create(slug="council-tax", name="Council tax")
    housing = Source.objects.create(slug="housing", name="Housing tenancies")
    Source.objects.create(
        slug="adult-social-care",
        name="Adult social care",
        restricted=True,
        team=Team.objects.get(slug="adult-social-care"),
    )
    person = Person.objects.create(public_id="PMAGGIE01")
    _record(
        council_tax,
        "CT0001",
        person,
        first_name="Margaret",
        last_name="O'Brien",
        dob="1958-04-07",
        postcode="E20 1AB",
        address_1="Flat 2, 14 Station Road",
        email=EMAIL,
    )
    _record(housing, "HT77", person, first_name="Peggy", last_name="OBrien", postcode="E20 1AB")
    return person


@pytest.fixture
def officer_page(open_page):
    def _open(user):
        page = open_page(viewport=DESKTOP)
        sign_in(page, user.username, PASSWORD)
        return page

    return _open


def _keyboard_sign_in(page, username):
    visit(page, "/staff/login/")
    tab_to(page, "#username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_person_search_to_the_360_with_the_keyboard(
    open_page, check_page, maggie, make_case, housing_officer
):
    from residenthub.identity import actions as identity_actions
    from residenthub.identity.models import CaseLink, PersonLink

    case = make_case("housing-repair", email=EMAIL, name="Maggie O'Brien")
    link = CaseLink.objects.filter(case=case).first() or identity_actions.check_case(case)
    PersonLink.objects.filter(record=link.record).update(person=maggie)
    CaseLink.objects.filter(pk=link.pk).update(person=maggie, status="linked", probability=0.99)

    page = open_page(viewport=DESKTOP)
    _keyboard_sign_in(page, housing_officer.username)
    visit(page, "/staff/identity/people/")
    check_page(page, "person search")
    tab_to(page, "#q")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # empty: a clear error
    assert_error_summary(
        page, "q", "Enter a name, date of birth, postcode, address, email, phone or reference"
    )
    check_page(page, "person search with an error")
    tab_to(page, "#q")
    page.keyboard.type("margret obrian e20 1ab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#results")).to_contain_text("Margaret O'Brien")
    check_page(page, "person search results")
    tab_to(page, 'a[href="/staff/identity/person/PMAGGIE01/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading(page).endswith("O'Brien")
    expect(page.locator(".hub-timeline")).to_contain_text(case.reference)
    check_page(page, "person 360 page")
    # Filter the timeline with the keyboard: untick cases (Space), submit (Enter).
    tab_to(page, "#show-cases")
    page.keyboard.press("Space")
    tab_to(page, "#filter-timeline")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator('.hub-timeline [data-kind="cases"]')).to_have_count(0)
    expect(page.locator('.hub-timeline [data-kind="records"]')).to_have_count(3)
    # The case page's person panel and its other cases, one click from the person.
    visit(page, f"/staff/cases/{case.reference}/")
    expect(page.locator("#person")).to_have_text("Resident")
    check_page(page, "case page with the person panel")
    tab_to(page, "#confirm-person")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Link to the person confirmed")
    # "Not this person", then link the case to her again through the search, keyboard only.
    _tab_to_button(page, "Not this person")
    _enter(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Case unlinked")
    check_page(page, "case page after not this person")
    tab_to(page, 'a[href*="/staff/identity/people/?case="]')
    _enter(page)
    tab_to(page, "#q")
    page.keyboard.type("peggy obrien e20 1ab")
    _enter(page)
    check_page(page, "person search to link a case")
    tab_to(page, 'form:has(input[name=person][value="PMAGGIE01"]) button')
    _enter(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Case linked to PMAGGIE01")
    # A flag on the person, keyboard only (the details element opens with Enter).
    visit(page, "/staff/identity/person/PMAGGIE01/")
    tab_to(page, "summary.govuk-details__summary")
    page.keyboard.press("Enter")
    tab_to(page, "#flag-kind")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#flag-detail")
    page.keyboard.type("Needs a Polish interpreter")
    _tab_to_button(page, "Add flag")
    _enter(page)
    expect(page.locator("#flags + ul")).to_contain_text("Needs a Polish interpreter")
    check_page(page, "person 360 page with a flag")


def test_staff_lists_tasks_letters_feedback(officer_page, check_page, make_case, highways_officer):
    case = make_case(notify_by=NotifyBy.POST, address="Mary O'Brien\n1 Station Road\nDemoborough\nE20 1AB")
    case_actions.transition(case, "resolved", by=highways_officer)
    feedback_actions.record(case, 4, "Good", by=feedback_actions.Actor.system("test"))
    page = officer_page(highways_officer)
    for path, label in (
        ("/staff/letters/", "letters to print"),
        ("/staff/feedback/", "how did we do results"),
        ("/staff/tasks/", "tasks (none)"),
    ):
        visit(page, path)
        check_page(page, label)
    visit(page, "/staff/letters/")
    tab_to(page, "input[name=letters]")
    page.keyboard.press("Space")
    tab_to(page, "#mark-posted")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("marked as posted")


def _tab_to_button(page, name: str, *, limit: int = 150) -> None:
    """Tab until a button whose text is ``name`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "n => { const e = document.activeElement; return e !== null && e.tagName === 'BUTTON' "
            "&& e.innerText.trim() === n; }",
            name,
        ):
            return
    raise AssertionError(f"no button {name!r} reached with the keyboard at {page.url}")


def _enter(page, *, status: int = 200) -> None:
    """Press Enter on the focused control and wait for the page it leads to."""
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value is not None and navigation.value.status == status, page.url


def _arrow_to(page, label: str, *, limit: int = 20) -> None:
    """In a focused radio group, ArrowDown until the radio labelled ``label`` is chosen."""
    radio = page.get_by_label(label, exact=True)
    for _ in range(limit):
        if radio.is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label!r} not reached with the arrow keys")


@pytest.mark.parametrize("js", [True, False])
def test_resident_account_and_tell_us_once(open_page, check_page, make_case, highways_officer, js):
    """Keyboard only (Tab, typing, arrows, Space, Enter) from the account to the team's task."""
    case = make_case(email=EMAIL)
    page = open_page(js=js, viewport=MOBILE)
    visit(page, f"/account/sign-in/{SignInToken.issue(EMAIL)}/")
    visit(page, "/account/")
    check_page(page, "account page")
    visit(page, "/account/details/")
    tab_to(page, "#name")
    page.keyboard.type("Margaret O'Brien")
    tab_to(page, "#notify_by")  # the radio group: arrows move to "Letter by post", before there is an address
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#save-details")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_error_summary(page, "notify_by", "Add your address first, so we can send you letters", js=js)
    check_page(page, "account details with an error")
    visit(page, "/account/address/")
    tab_to(page, "#postcode")
    page.keyboard.type("E20 1AB")
    _enter(page)  # "Find address"
    check_page(page, "address from the council's list")
    tab_to(page, "#uprn")
    page.keyboard.press("Space")
    _tab_to_button(page, "Save address")
    _enter(page)
    visit(page, "/account/move/")
    tab_to(page, "#postcode")
    page.keyboard.type("E20 1AB")
    _enter(page)
    check_page(page, "tell us once")
    _tab_to_button(page, "Continue")
    _enter(page, status=400)
    assert_error_summary(page, "uprn", "Select your new address", js=js)
    check_page(page, "tell us once with errors")
    tab_to(page, "input[name=uprn]")
    _arrow_to(page, "3 Station Road, Demoborough, E20 1AB")
    tab_to(page, "#moved-day")
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    page.keyboard.type("11")
    page.keyboard.press("Tab")
    page.keyboard.type("2026")
    tab_to(page, "#adults")
    page.keyboard.type("1")
    _tab_to_button(page, "Continue")
    _enter(page)
    check_page(page, "tell us once: check your answers")
    expect(page.locator(".govuk-summary-list")).to_contain_text(case.reference)
    _tab_to_button(page, "Tell us you have moved")
    _enter(page)
    assert heading(page) == "We have your new address"
    check_page(page, "tell us once: confirmation")
    visit(page, "/account/requests/")
    check_page(page, "your requests")
    # The team of the resident's open case has a task: seen and done with the keyboard.
    staff = open_page(js=js, viewport=DESKTOP)
    _keyboard_sign_in(staff, highways_officer.username)
    visit(staff, "/staff/tasks/")
    expect(staff.locator("main")).to_contain_text("moved")
    check_page(staff, "team tasks with a task")
    tab_to(staff, "form[action$='/done/'] button")
    _enter(staff)
    check_page(staff, "team tasks after done")


@pytest.mark.parametrize("js", [True, False])
def test_how_did_we_do_with_the_keyboard(open_page, check_page, make_case, highways_officer, js):
    case = make_case()
    case_actions.transition(case, "resolved", by=highways_officer)
    page = open_page(js=js)
    visit(page, f"/feedback/{feedback_actions.make_token(case)}/")
    check_page(page, "how did we do?")
    tab_to(page, "#send-feedback")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_error_summary(
        page, "score", "Select how satisfied you are with how we dealt with your request", js=js
    )
    check_page(page, "how did we do? with an error")
    tab_to(page, "#score")
    page.keyboard.press("Space")
    tab_to(page, "#comment")
    page.keyboard.type("Fixed quickly.")
    tab_to(page, "#send-feedback")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading(page) == "Thank you for your feedback"
    check_page(page, "how did we do? thank you")


def test_signed_out_staff_pages_ask_for_sign_in(open_page, maggie):
    page = open_page(viewport=DESKTOP)
    for path in ("/staff/identity/people/", "/staff/tasks/", "/staff/letters/", "/staff/feedback/"):
        visit(page, path)
        assert page.url.split("?")[0].endswith("/staff/login/"), path
