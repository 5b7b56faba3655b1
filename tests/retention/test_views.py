"""The records manager's pages: who may see them, and bad input answered with a clear error."""

import pytest
from django.test import Client

from residenthub.retention.models import LegalHold
from tests.conftest import _staff

pytestmark = pytest.mark.django_db
PAGES = [
    "/staff/retention/",
    "/staff/retention/sweeps/",
    "/staff/retention/holds/",
    "/staff/retention/erasures/",
]


@pytest.fixture
def manager(catalogue):
    return _staff("records.manager", "information-governance", "team_leader")


def _client(user=None):
    client = Client()
    if user:
        client.force_login(user)
    return client


def test_only_the_records_manager_and_administrators_see_the_pages(
    manager, highways_officer, team_leader, administrator
):
    for user, allowed in (
        (manager, True),
        (administrator, True),
        (highways_officer, False),
        (team_leader, False),
    ):
        client = _client(user)
        for path in PAGES:
            status = client.get(path).status_code
            assert (status == 200) == allowed, (user.username, path, status)
    for path in PAGES:
        assert _client().get(path).status_code == 302  # to the staff sign-in


def test_schedule_page_lists_the_classes(manager):
    html = _client(manager).get("/staff/retention/").content.decode()
    assert "Front door messages (triage)" in html and "LGSL 557, 564" in html


def test_a_dry_run_from_the_page(manager):
    client = _client(manager)
    response = client.post("/staff/retention/sweeps/dry-run/")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Dry run" in page.content.decode()


def test_placing_a_hold_with_bad_input_shows_each_error(manager, make_case):
    client = _client(manager)
    response = client.post(
        "/staff/retention/holds/", {"kind": "litigation", "covers": "case", "target": "NOPE", "reason": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "No case has the reference NOPE" in html
    case = make_case()
    response = client.post(
        "/staff/retention/holds/",
        {"kind": "litigation", "covers": "case", "target": case.reference, "reason": ""},
    )
    assert response.status_code == 400 and "Enter why the records must be kept" in response.content.decode()
    response = client.post(
        "/staff/retention/holds/",
        {"kind": "litigation", "covers": "case", "target": case.reference, "reason": "Claim"},
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get(case=case)
    assert "Claim" in client.get("/staff/retention/holds/").content.decode()
    response = client.post(f"/staff/retention/holds/{hold.pk}/release/", {"release_reason": ""})
    assert LegalHold.objects.get(pk=hold.pk).released_at is None
    client.post(f"/staff/retention/holds/{hold.pk}/release/", {"release_reason": "Settled"})
    assert LegalHold.objects.get(pk=hold.pk).released_at is not None


def test_a_bad_date_on_a_new_erasure_request_is_named(manager):
    from residenthub.identity.actions import new_person

    person = new_person()
    response = _client(manager).post(
        f"/staff/retention/erasures/new/{person.public_id}/",
        {"grounds": "erasure", "received_on": "yesterday"},
    )
    assert response.status_code == 400
    assert "Enter the date the request was received" in response.content.decode()
    response = _client(manager).post(
        f"/staff/retention/erasures/new/{person.public_id}/",
        {"grounds": "erasure", "received_on": "2999-01-01"},
    )
    assert response.status_code == 400 and "today or in the past" in response.content.decode()
