"""The issue's "Done means", walked end to end on the shipped demo extracts.

Load the demo's five source extracts, run the linkage, open a resident who appears in council tax,
housing and a web case under three spellings: one person, one household, every record listed with its
source; a new web case from the same resident links to that person as it is submitted.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from residenthub.accounts.models import Membership, Team
from residenthub.cases.models import Case
from residenthub.core.models import AuditEntry
from residenthub.identity import demo
from residenthub.identity.models import (
    CaseLink,
    HouseholdMembership,
    ImportRun,
    PersonLink,
    Source,
    SourceRecord,
)

from ..conftest import _staff
from ..portal.helpers import answer_pothole, give_contact, submit

EMAIL = demo.DEMO_RESIDENT["email"]


def test_shipped_extracts_are_the_seeded_generators_output():
    for name, text in demo.extracts().items():
        assert (demo.DEMO_DIR / name).read_text(encoding="utf-8") == text, name
    assert {f for f, _, _ in demo.SOURCES} == set(demo.extracts())


def _records_on_page(html: str) -> list[tuple[str, str]]:
    """(source name, record key) of each row of the records table."""
    table = html.split('<h2 class="govuk-heading-m">Records</h2>', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r'<tr class="govuk-table__row"><td class="govuk-table__cell">([^<]+)</td>'
        r'<td class="govuk-table__cell">([^<]+)</td>',
        table,
    )
    return [(source.strip(), key.strip()) for source, key in rows]


@pytest.mark.django_db(transaction=True)
def test_done_means(catalogue, client, make_case, highways_officer, socialcare_officer):
    # Load the five extracts and run the linkage (the command load_demo calls); a second call is a no-op.
    out = io.StringIO()
    call_command("identity", "demo", stdout=out)
    assert "Demo resident Margaret O'Brien: /staff/identity/person/" in out.getvalue()
    assert set(ImportRun.objects.values_list("source__slug", flat=True)) == {
        "council-tax",
        "housing",
        "benefits",
        "adult-social-care",
        "libraries",
    }
    libraries = ImportRun.objects.get(source__slug="libraries")
    assert len(libraries.warnings) == 2 and all("postcode" in w for w in libraries.warnings)
    care = Source.objects.get(slug="adult-social-care")
    assert care.restricted and care.team.slug == "adult-social-care"
    again = io.StringIO()
    call_command("identity", "demo", stdout=again)
    assert "already loaded" in again.getvalue()

    # Her own web case, third spelling, linked to her as it is submitted.
    web = make_case(name="Maggie O'Brien", email=EMAIL, postcode="E20 1AB")
    person = demo.resident_person()
    web_link = CaseLink.objects.get(case=web)
    assert web_link.status == "linked" and web_link.person == person

    # One person for council tax, housing and the web case, under three spellings.
    links = PersonLink.objects.filter(person=person).select_related("record__source")
    by_source = {link.record.source.slug: link.record for link in links}
    assert by_source["council-tax"].data["first_name"] == "Margaret"
    assert by_source["housing"].data["full_name"] == "OBRIEN, Peggy"
    assert by_source["cases"].data["name"] == "Maggie O'Brien"
    assert set(by_source) == {"council-tax", "housing", "benefits", "adult-social-care", "libraries", "cases"}
    assert len(links) == 6  # and nobody else's record
    # One household: her flat's UPRN, shared with her husband, and no other address.
    memberships = HouseholdMembership.objects.filter(person=person).select_related("household")
    assert [(m.household.key, m.current) for m in memberships] == [("uprn:100090000057", True)]
    household = memberships[0].household
    assert household.memberships.filter(current=True).count() == 2

    # The resident 360 page: every record with its source, her cases; restricted records by team.
    steward = _staff("data.steward", "highways")
    Membership.objects.create(user=steward, team=Team.objects.get(slug="adult-social-care"))
    url = reverse("identity:person", args=[person.public_id])
    names = {link.record.source.slug: link.record.source.name for link in links}
    everything = sorted((names[slug], record.source_key) for slug, record in by_source.items())

    client.force_login(steward)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Margaret O&#x27;Brien" in html
    assert sorted(_records_on_page(html)) == everything
    assert web.reference in html.split('<h2 class="govuk-heading-m">Cases</h2>', 1)[1]
    assert household.public_id in html

    client.force_login(highways_officer)
    html = client.get(url).content.decode()
    assert sorted(_records_on_page(html)) == [r for r in everything if r[0] != "Adult social care"]
    # Nothing says social care holds a record: not the record, not a count of hidden ones.
    assert "ASC5001" not in html and "restricted sources" not in html

    client.force_login(socialcare_officer)
    html = client.get(url).content.decode()
    assert ("Adult social care", "ASC5001") in _records_on_page(html)
    assert "restricted sources not shown" not in html

    viewed = AuditEntry.objects.filter(action="identity.person.viewed", object_id=str(person.pk))
    assert sorted(viewed.values_list("actor__username", flat=True)) == sorted(
        ["data.steward", "highways.officer", "socialcare.officer"]
    )

    # A new web case through the portal, a fourth spelling and her email: linked as it is submitted.
    client.logout()
    answer_pothole(client)
    give_contact(client, name="Mrs Margret O'Brien", email=EMAIL)
    response, _key = submit(client)
    assert response.status_code == 302
    case = Case.objects.latest("pk")
    assert case.contact_name == "Mrs Margret O'Brien"
    link = CaseLink.objects.get(case=case)
    assert link.status == "linked" and link.person == person and link.probability >= 0.95
    assert PersonLink.objects.get(record=link.record).person == person

    client.force_login(steward)
    assert case.reference in client.get(url).content.decode()

    # The fast point-of-entry scorer gives exactly Splink's own compare_records answer.
    from residenthub.identity.actions import realtime_cache

    scorer = realtime_cache.scorer()
    probe = link.record.standard
    records = SourceRecord.objects.exclude(pk=link.record_id).select_related("source")
    candidates = [dict(r.standard, unique_id=r.uid) for r in records]
    candidates = [c for c in candidates if c.get("postcode") == "E20 1AB"][:60]
    assert len(candidates) > 10
    assert scorer.score(probe, candidates) == scorer.score_with_splink(probe, candidates)
