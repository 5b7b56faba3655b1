"""Person search (issue 15): the query reader, ranking, every kind of key, visibility, bad input,
personas; and the case page's person panel with its three decisions."""

import pytest
from django.db import connection
from django.test import Client

from residenthub.accounts.models import Team
from residenthub.core.models import AuditEntry
from residenthub.identity import search
from residenthub.identity.models import CaseLink, Person, PersonLink, ReviewPair, Source, SourceRecord
from residenthub.identity.sources import build_record

pytestmark = pytest.mark.django_db


def _record(source, key, person, **values):
    mapped = {k: values.pop(k) for k in ("first_name", "last_name", "address_1") if k in values}
    standard = build_record(f"{source.slug}:{key}", source.slug, mapped, values, [])
    record = SourceRecord.objects.create(
        source=source, source_key=key, data=mapped, standard=standard, fingerprint="x"
    )
    PersonLink.objects.create(record=record, person=person)
    return record


@pytest.fixture
def people(catalogue):
    council_tax = Source.objects.create(slug="council-tax", name="Council tax")
    housing = Source.objects.create(slug="housing", name="Housing tenancies")
    care = Source.objects.create(
        slug="adult-social-care",
        name="Adult social care",
        restricted=True,
        team=Team.objects.get(slug="adult-social-care"),
    )
    maggie, smith, hidden = (
        Person.objects.create(public_id=p) for p in ("PMAGGIE01", "PSMITH001", "PHIDDEN01")
    )
    _record(
        council_tax,
        "CT0001",
        maggie,
        first_name="Margaret",
        last_name="O'Brien",
        dob="1958-04-07",
        postcode="E20 1AB",
        address_1="Flat 2, 14 Station Road",
        email="maggie@example.com",
    )
    _record(
        housing,
        "HT77",
        maggie,
        first_name="Peggy",
        last_name="OBrien",
        phone="+447700900123",
        postcode="E20 1AB",
    )
    _record(
        council_tax,
        "CT0002",
        smith,
        first_name="Margaret",
        last_name="Smith",
        dob="1970-01-02",
        postcode="E20 1AB",
    )
    _record(
        care, "ASC9", hidden, first_name="Nobody", last_name="Elsewhere", dob="1940-05-05", postcode="E1 6AN"
    )
    return {"maggie": maggie, "smith": smith, "hidden": hidden}


def test_the_query_is_read_into_parts():
    q = search.parse("Maggie O'Brien 07/04/1958 e201ab maggie@EXAMPLE.com 07700 900123 CT0001")
    assert (q.first, q.first_canon, q.last) == ("maggie", "margaret", "obrien")
    assert (q.dob, q.postcode, q.email, q.phone) == (
        "1958-04-07",
        "E20 1AB",
        "maggie@example.com",
        "+447700900123",
    )
    assert q.source_keys == ["CT0001"]
    address = search.parse("14 Station Rd")
    assert (address.number, address.street, address.last) == ("14", "station road", "")
    assert search.parse("DBC-K7MQ-4TXA").reference == "DBC-K7MQ-4TXA"
    assert search.parse("   ").empty
    assert search.jaro_winkler("obrian", "obrien") > 0.9 > search.jaro_winkler("smith", "obrien")


@pytest.mark.parametrize(
    "text",
    [
        "margret obrian E20 1AB",  # misspelt, with a postcode
        "Peggy O'Brien",  # a nickname
        "M OBrien 07/04/1958",  # an initial and a date of birth
        "obrien margaret",  # surname first
        "maggie@example.com",
        "07700 900123",
        "CT0001",
        "housing:HT77",
        "14 Station Road E20 1AB",
    ],
)
def test_every_kind_of_key_finds_her_first(people, highways_officer, text):
    _, results = search.search_people(text, highways_officer)
    assert results and results[0].public_id == "PMAGGIE01", (text, results)


def test_results_say_what_staff_need(people, highways_officer):
    _, results = search.search_people("margaret obrien", highways_officer)
    top = results[0]
    assert top.name == "Margaret O'Brien" and top.dob == "1958-04-07"
    assert top.address == "Flat 2, 14 Station Road, E20 1AB"
    assert top.sources == ["Council tax", "Housing tenancies"] and top.open_cases == 0
    # A postcode alone lists the residents known there.
    assert {r.public_id for r in search.search_people("E20 1AB", highways_officer)[1]} == {
        "PMAGGIE01",
        "PSMITH001",
    }


def test_restricted_records_only_for_their_team(people, highways_officer, socialcare_officer):
    assert search.search_people("Nobody Elsewhere E1 6AN", highways_officer)[1] == []
    _, found = search.search_people("Nobody Elsewhere E1 6AN", socialcare_officer)
    assert [r.public_id for r in found] == ["PHIDDEN01"] and found[0].restricted


def test_search_page_personas_and_bad_input(people, client, highways_officer, socialcare_officer):
    assert client.get("/staff/identity/people/?q=obrien").status_code == 302  # outsider: sign in first
    client.force_login(highways_officer)
    empty = client.get("/staff/identity/people/?q=+")
    assert empty.status_code == 400 and "Enter a name, date of birth" in empty.content.decode()
    page = client.get("/staff/identity/people/", {"q": "margret obrian e20 1ab"})
    html = page.content.decode()
    assert page.status_code == 200 and 'href="/staff/identity/person/PMAGGIE01/"' in html
    assert (
        "PHIDDEN01" not in client.get("/staff/identity/people/", {"q": "Nobody Elsewhere"}).content.decode()
    )
    assert AuditEntry.objects.filter(action="identity.person.searched", actor=highways_officer).count() == 2
    client.force_login(socialcare_officer)
    assert "PHIDDEN01" in client.get("/staff/identity/people/", {"q": "Nobody Elsewhere"}).content.decode()


def _linked_case(make_case, person, **kwargs):
    from residenthub.identity import actions

    case = make_case(**kwargs)
    link = actions.check_case(case)  # the job case creation queues after commit
    PersonLink.objects.filter(record=link.record).update(person=person)
    CaseLink.objects.filter(pk=link.pk).update(person=person, status="linked", probability=0.97)
    return case


def test_case_page_person_panel_and_decisions(people, make_case, highways_officer, housing_officer):
    maggie = people["maggie"]
    case = _linked_case(make_case, maggie, email="maggie@example.com", name="Maggie O'Brien")
    other = _linked_case(make_case, maggie, email="someone.else@example.com", name="M OBrien")
    officer = Client()
    officer.force_login(highways_officer)
    html = officer.get(f"/staff/cases/{case.reference}/").content.decode()
    assert 'href="/staff/identity/person/PMAGGIE01/"' in html and "match probability 0.97" in html
    assert other.reference in html.split("This resident's other cases")[1]  # by person, not email

    # Another team cannot touch the link.
    outsider = Client()
    outsider.force_login(housing_officer)
    assert (
        outsider.post(f"/staff/identity/case/{case.reference}/person/", {"decision": "confirm"}).status_code
        == 404
    )

    url = f"/staff/identity/case/{case.reference}/person/"
    assert officer.post(url, {"decision": "confirm"}).status_code == 302
    link = CaseLink.objects.get(case=case)
    assert link.decided_by == "highways.officer" and PersonLink.objects.get(record=link.record).locked

    officer.post(url, {"decision": "unlink"})
    link.refresh_from_db()
    assert link.person != maggie and link.status == "new"
    rejected = ReviewPair.objects.get(status="rejected")
    assert link.record_id in (rejected.record_l_id, rejected.record_r_id)
    assert AuditEntry.objects.filter(action="identity.case_link.rejected").count() == 1

    # Found again by search, linked back to her.
    assert officer.post(url, {"decision": "link", "person": "PMAGGIE01"}).status_code == 302
    link.refresh_from_db()
    assert link.person == maggie and link.status == "linked"
    assert AuditEntry.objects.filter(action="identity.case_link.changed").count() == 1
    page = officer.get(f"/staff/identity/people/?case={case.reference}&q=obrien")
    assert f"Link {case.reference}" in page.content.decode()
    bad = officer.post(url, {"decision": "link", "person": "PNOBODY"}, follow=True)
    assert "Choose a person from the search results" in bad.content.decode()


def test_person_page_timeline_filters_and_flags(people, make_case, highways_officer):
    maggie = people["maggie"]
    case = _linked_case(make_case, maggie, email="maggie@example.com")
    client = Client()
    client.force_login(highways_officer)
    url = "/staff/identity/person/PMAGGIE01/"
    page = client.get(url)
    kinds = {item.kind for item in page.context["timeline"]}
    assert {"cases", "records", "notifications"} <= kinds
    only_records = client.get(url + "?show=records").context["timeline"]
    assert only_records and {i.kind for i in only_records} == {"records"}
    assert case.reference in page.content.decode()
    # Flags: set through the action, with who and when; a flag needs a detail unless "vulnerable".
    error = client.post(url + "flags/", {"kind": "interpreter", "detail": ""}, follow=True)
    assert "Say what staff should know" in error.content.decode()
    client.post(url + "flags/", {"kind": "interpreter", "detail": "Polish interpreter"})
    flags = client.get(url).context["flags"]
    assert flags[0]["label"] == "Interpreter needed" and flags[0]["by"] == "Hana Okafor"
    assert AuditEntry.objects.filter(action="identity.flag.set", object_id=str(maggie.pk)).exists()
    client.post(url + "flags/", {"clear": flags[0]["pk"]})
    assert client.get(url).context["flags"] == []
    # Nobody flags a person they may not know exists.
    assert client.post("/staff/identity/person/PHIDDEN01/flags/", {"kind": "vulnerable"}).status_code == 404


def test_names_are_shown_as_written():
    """Apostrophes, hyphens and accents survive (the standard record drops them for matching);
    capitals-only and lower-case-only names are put in name case; titles go."""
    clean = {"first_name": "margaret", "last_name": "obrien"}
    shouted = {"first_name": "MARGARET", "last_name": "O'BRIEN"}
    assert search.display_name(clean, shouted) == "Margaret O'Brien"
    assert search.display_name(clean, {"name": "Mrs maggie o'brien"}) == "Maggie O'Brien"  # a web case
    assert search.display_name(clean, {"full_name": "O'Brien, Margaret"}) == "Margaret O'Brien"
    assert search.display_name({}, {"first_name": "Ian", "last_name": "McDonald"}) == "Ian McDonald"
    assert search.display_name({}, {"first_name": "josé", "last_name": "smith-jones"}) == "José Smith-Jones"
    assert search.display_name(clean, {}) == "Margaret Obrien"  # no raw values kept: the standard form


def test_a_name_with_a_date_of_birth_must_fit_too(people, highways_officer):
    """Sharing a birthday (or a postcode) with the resident asked for is not enough to be listed."""
    council_tax = Source.objects.get(slug="council-tax")
    twin = Person.objects.create(public_id="PTWIN0001")
    _record(council_tax, "CT0099", twin, first_name="Zed", last_name="Quayle", dob="1958-04-07")
    found = [r.public_id for r in search.search_people("margaret obrien 07/04/1958", highways_officer)[1]]
    assert found == ["PMAGGIE01"]
    both = {r.public_id for r in search.search_people("07/04/1958", highways_officer)[1]}
    assert both == {"PMAGGIE01", "PTWIN0001"}  # a date of birth alone lists everyone born that day


def test_a_misspelt_surname_alone_is_found(people, highways_officer):
    """No exact surname: similar surnames (trigrams on PostgreSQL, the first letters elsewhere)."""
    found = search.search_people("o'brein", highways_officer)[1]
    assert found and found[0].public_id == "PMAGGIE01"


def test_a_name_typed_surname_first_is_an_exact_match(people):
    """ "O'Brien, Peggy": the surname with the other word's canonical given name, either order. This
    tier is what keeps a correctly typed name off the slow similarity lookups (issue 15: each word
    was once paired with its own canonical form, so "surname, first name" never matched exactly)."""
    sources = sorted(Source.objects.filter(restricted=False).values_list("pk", flat=True))
    for text in ("O'Brien, Peggy", "OBrien Margaret", "Peggy O'Brien"):
        keys = {row[3] for row in search._exact_name(search.parse(text), sources)}
        assert keys == {"CT0001", "HT77"}, text
    assert [r[3] for r in search._exact_name(search.parse("Smith, Peggy"), sources)] == ["CT0002"]
    assert search._exact_name(search.parse("Smith, Susan"), sources) == []


@pytest.mark.parametrize(
    "text",
    [
        "O'Brien, Margaret",  # surname first, with a comma
        "OBRIEN, PEGGY",  # surname first, a nickname, in capitals
        "Obrein, Margaret",  # surname first and misspelt
        "Obri Margaret",  # the start of the surname only
        "Margaret Obri",
        "Margret O'Brien",  # the given name misspelt, the surname exact
    ],
)
def test_surname_first_misspelt_or_cut_short_finds_her_first(people, highways_officer, text):
    _, results = search.search_people(text, highways_officer)
    assert results and results[0].public_id == "PMAGGIE01", (text, results)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram tiers are PostgreSQL's")
def test_one_word_exact_and_the_other_close(people):
    """PostgreSQL's tiers between the exact name and the slow surname-only lookups: the given name
    exact with the surname misspelt or cut short (migration 0007's index), and the surname exact
    with the given name misspelt; either order."""
    sources = sorted(Source.objects.filter(restricted=False).values_list("pk", flat=True))

    def keys(tier, text):
        return {row[3] for row in tier(search.parse(text), sources)}

    for text in ("Obrein, Margaret", "Peggy O'Bryan", "margaret obri"):
        assert keys(search._given_exact_surname_close, text) == {"CT0001", "HT77"}, text
    assert keys(search._given_exact_surname_close, "Susan Obrein") == set()
    for text in ("O'Brien, Margret", "Magaret OBrien"):
        assert keys(search._surname_exact_given_close, text) == {"CT0001", "HT77"}, text
    assert keys(search._surname_exact_given_close, "Margaret Obrein") == set()
