"""The resident account (issue 15): sign in, saved details with clear errors, the address from the
council's list, forms prefilled from it, "your requests" with information requests, and "tell us
once" moving home with its check-answers page, audited, and the teams' tasks."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from residenthub.core.models import AuditEntry
from residenthub.foi.models import InformationRequest
from residenthub.portal.models import SignInToken
from residenthub.residents.models import AddressChange, ResidentAccount, TeamTask

from ..portal.helpers import answer_pothole, contact_url

pytestmark = pytest.mark.django_db
EMAIL = "resident@example.com"


@pytest.fixture
def resident(catalogue):
    client = Client()
    client.get(f"/account/sign-in/{SignInToken.issue(EMAIL)}/")
    return client


def _details(client, **overrides):
    data = {"name": "Mary O'Brien", "phone": "07700 900982", "language": "pl", "notify_by": "sms"}
    data.update(overrides)
    return client.post("/account/details/", data)


def test_signed_out_residents_are_sent_to_sign_in(catalogue, client):
    for url in (
        "/account/",
        "/account/details/",
        "/account/address/",
        "/account/move/",
        "/account/requests/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/account/sign-in/", url


def test_details_saved_with_clear_errors(resident):
    bad = _details(resident, name="", phone="123", language="xx", notify_by="pigeon")
    html = bad.content.decode()
    assert bad.status_code == 400 and "There is a problem" in html
    for message in ("Enter your full name", "Enter a UK phone number", "Choose a language", "Select how you"):
        assert message in html, message
    post = _details(resident, notify_by="post")
    assert post.status_code == 400 and "Add your address first" in post.content.decode()
    assert not ResidentAccount.objects.exists()  # nothing half-saved
    assert _details(resident).status_code == 302
    account = ResidentAccount.objects.get(email=EMAIL)
    assert (account.name, account.phone, account.language, account.notify_by) == (
        "Mary O'Brien",
        "+447700900982",
        "pl",
        "sms",
    )
    assert AuditEntry.objects.filter(action="resident.account.created").count() == 1
    home = resident.get("/account/").content.decode()
    assert "Polski" in home and "Text message" in home


def test_address_from_the_council_list(resident):
    assert resident.get("/account/address/?postcode=").status_code == 400
    nowhere = resident.get("/account/address/?postcode=ZZ1 1ZZ")
    assert nowhere.status_code == 400
    found = resident.get("/account/address/?postcode=e201ab")
    assert found.status_code == 200 and "1 Station Road" in found.content.decode()
    unchosen = resident.post("/account/address/", {"postcode": "E20 1AB"})
    assert unchosen.status_code == 400 and "Select your address" in unchosen.content.decode()
    assert (
        resident.post("/account/address/", {"postcode": "E20 1AB", "uprn": "100090000009"}).status_code == 302
    )
    assert ResidentAccount.objects.get(email=EMAIL).address.uprn == "100090000009"
    # Now letters are possible.
    assert _details(resident, notify_by="post").status_code == 302


def test_forms_start_from_the_account(resident):
    _details(resident)
    resident.post("/account/address/", {"postcode": "E20 1AB", "uprn": "100090000009"})
    answer_pothole(resident)
    page = resident.get(contact_url("report-pothole")).content.decode()
    assert (
        'value="Mary O&#x27;Brien"' in page and f'value="{EMAIL}"' in page and 'value="sms" checked' in page
    )
    # The address question of another form starts from the saved address (the resident confirms it).
    page = resident.get("/services/council-tax-discount/address/").content.decode()
    assert '<option value="100090000009" selected>' in page


def test_your_requests_lists_cases_and_information_requests(resident, make_case):
    case = make_case(email=EMAIL)
    today = timezone.localdate()
    InformationRequest.objects.create(
        reference="FOI-2026-0001",
        kind="foi",
        subject="Pothole repair budget",
        body="...",
        requester_email=EMAIL.upper(),
        received_on=today,
        clock_start=today,
        due_date=today + dt.timedelta(days=28),
    )
    html = resident.get("/account/requests/").content.decode()
    assert case.reference in html and "FOI-2026-0001" in html and "Pothole repair budget" in html


def _move(client, **overrides):
    data = {
        "postcode": "E20 1AB",
        "uprn": "100090000010",
        "moved-day": "1",
        "moved-month": "11",
        "moved-year": "2026",
        "adults": "2",
    }
    data.update(overrides)
    return client.post("/account/move/", data)


def test_tell_us_once_errors_then_moves(resident, make_case):
    _details(resident)
    resident.post("/account/address/", {"postcode": "E20 1AB", "uprn": "100090000009"})
    case = make_case(email=EMAIL)
    bad = _move(resident, uprn="100090000009", **{"moved-day": "31", "moved-month": "2"}, adults="0")
    html = bad.content.decode()
    assert bad.status_code == 400
    for message in ("already have for you", "must be a real date", "from 1 to 20"):
        assert message in html, message
    assert _move(resident, **{"moved-year": ""}).status_code == 400
    assert not AddressChange.objects.exists()
    assert _move(resident, cases=[case.reference]).status_code == 302
    check = resident.get("/account/move/check/").content.decode()
    assert "3 Station Road" in check and case.reference in check
    assert resident.post("/account/move/check/").status_code == 302
    change = AddressChange.objects.get()
    assert (
        change.updated_cases == [case.reference]
        and change.council_tax_case.service.code == "council-tax-moving-home"
    )
    assert change.council_tax_case.answers["adults_count"] == 2
    assert ResidentAccount.objects.get(email=EMAIL).address.uprn == "100090000010"
    assert case.events.filter(kind="internal_note", text__contains="moved on 1 November 2026").exists()
    # The teams of the resident's open cases get a task (no person records in this test).
    assert set(TeamTask.objects.values_list("team__slug", flat=True)) == {"highways"}
    assert "We have your new address" in resident.get("/account/move/done/").content.decode()
    # Sent once: going back to the check page starts again.
    assert resident.get("/account/move/check/").status_code == 302


def test_team_tasks_personas(resident, make_case, highways_officer, housing_officer, client):
    _details(resident)
    resident.post("/account/address/", {"postcode": "E20 1AB", "uprn": "100090000009"})
    make_case(email=EMAIL)
    _move(resident)
    resident.post("/account/move/check/")
    task = TeamTask.objects.get()
    assert client.get("/staff/tasks/").status_code == 302  # outsider
    client.force_login(housing_officer)
    assert list(client.get("/staff/tasks/").context["tasks"]) == []
    assert client.post(f"/staff/tasks/{task.pk}/done/").status_code == 404
    client.force_login(highways_officer)
    assert "1 task for your team" in client.get("/staff/").content.decode()  # on the team queue
    assert list(client.get("/staff/tasks/").context["tasks"]) == [task]
    assert client.post(f"/staff/tasks/{task.pk}/done/").status_code == 302
    task.refresh_from_db()
    assert task.done_by == highways_officer
    assert list(client.get("/staff/tasks/?show=done").context["tasks"]) == [task]
