"""Finding 2 (high): addresses known only to a restricted source stay with its team; matching does
not reveal restricted records; household IDs are random."""

import hashlib

import pytest
from django.urls import reverse

from residenthub.accounts.models import Team
from residenthub.core.models import AuditEntry
from residenthub.identity import actions
from residenthub.identity.models import Household
from tests.identity.conftest import write_csv
from tests.identity.test_linkage_db import HEADER, linked, mapping, person_of  # noqa: F401

pytestmark = pytest.mark.django_db

# Bill Okafor, known to social care at an address no other source has.
SOCIAL_CARE = [["S1", "William", "Okafor", "1970-03-14", "", "", "3 Hidden Court", "E9 9QQ", "7777"]]
# Somebody only social care knows.
ONLY_SOCIAL_CARE = [["S2", "Ottoline", "Vanterpool", "1931-02-02", "", "", "5 Quiet Mews", "E8 8QQ", "8888"]]


@pytest.fixture
def with_social_care(linked, tmp_path):  # noqa: F811
    actions.import_source(
        mapping("social-care", restricted=True),
        write_csv(tmp_path / "sc.csv", HEADER, SOCIAL_CARE + ONLY_SOCIAL_CARE),
        team=Team.objects.get(slug="adult-social-care"),
    )
    return actions.run_linkage()


def _household(uprn: str) -> Household:
    return Household.objects.get(key=f"uprn:{uprn}")


def test_an_address_only_social_care_holds_is_not_shown_to_highways(
    with_social_care, client, highways_officer, socialcare_officer
):
    bill = person_of("council-tax:T1")
    assert person_of("social-care:S1") == bill
    hidden_household = _household("7777")
    page = client.get(reverse("identity:person", args=[bill.public_id]))
    client.force_login(highways_officer)
    page = client.get(reverse("identity:person", args=[bill.public_id])).content.decode()
    assert "HIDDEN COURT" not in page.upper() and hidden_household.public_id not in page
    assert "12 HIGH" in page.upper()  # the address council tax holds is shown
    assert client.get(reverse("identity:household", args=[hidden_household.public_id])).status_code == 404

    client.force_login(socialcare_officer)
    page = client.get(reverse("identity:person", args=[bill.public_id])).content.decode()
    assert hidden_household.public_id in page
    assert client.get(reverse("identity:household", args=[hidden_household.public_id])).status_code == 200


def test_a_person_only_social_care_knows_does_not_exist_for_other_teams(
    with_social_care, client, highways_officer
):
    person = person_of("social-care:S2")
    client.force_login(highways_officer)
    assert client.get(reverse("identity:person", args=[person.public_id])).status_code == 404
    assert AuditEntry.objects.filter(action="identity.person.view_denied", object_id=str(person.pk)).exists()


def test_matching_does_not_reveal_restricted_records(
    with_social_care, client, highways_officer, socialcare_officer
):
    person = person_of("social-care:S2")
    body = {"name": "Ottoline Vanterpool", "dob": "1931-02-02", "postcode": "E8 8QQ"}
    client.force_login(highways_officer)
    found = client.post(reverse("identity:match"), data=body, content_type="application/json").json()
    assert person.public_id not in [c["person_id"] for c in found["candidates"]]
    assert AuditEntry.objects.filter(action="identity.match.staff", actor=highways_officer).exists()
    client.force_login(socialcare_officer)
    found = client.post(reverse("identity:match"), data=body, content_type="application/json").json()
    assert found["candidates"][0]["person_id"] == person.public_id


def test_household_ids_are_not_derived_from_the_address(with_social_care):
    household = _household("1001")
    digest = hashlib.sha256(household.key.encode()).hexdigest()[:10].upper()
    assert household.public_id != f"H{digest}"
    assert household.public_id.startswith("H") and len(household.public_id) == 11
