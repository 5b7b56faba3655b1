"""Details found in a message, and the answers they prefill."""

import datetime as dt

import pytest

from residenthub.services.models import Service
from residenthub.triage.extract import extract
from residenthub.triage.prefill import prefill

TODAY = dt.date(2026, 3, 12)  # a Thursday


def test_postcode_phone_email_place():
    details = extract(
        "Pothole outside 14 Mill Lane e20 1ab, ring me on 07700 900123 or a.b@example.com", TODAY
    )
    assert details.postcodes == ["E20 1AB"]
    assert details.phones == ["+447700900123"]
    assert details.emails == ["a.b@example.com"]
    assert details.places == ["outside 14 Mill Lane"]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("it was missed yesterday", "2026-03-11"),
        ("bin missed on Tuesday", "2026-03-10"),
        ("last Thursday", "2026-03-05"),
        ("on 3rd March", "2026-03-03"),
        ("issued 15/02/2026", "2026-02-15"),
        ("March 1st 2026", "2026-03-01"),
    ],
)
def test_dates(text, date):
    assert extract(text, TODAY).dates[0] == date


def test_pcn_and_registration():
    details = extract("PCN DB12345678 was given to my car AB12 CDE", TODAY)
    assert details.pcn == "DB12345678"
    assert details.registrations == ["AB12CDE"]


def test_street_light_is_not_a_street_and_a_comma_after_the_number_is_allowed():
    """Speech recognition writes "The Street light outside number 4, Riverside Close" (a SIP test once
    confirmed "The Street" to the caller)."""
    details = extract("The Street light outside number 4, Riverside Close has been out for a week", TODAY)
    assert details.places == ["outside number 4, Riverside Close"]
    assert extract("Street lighting on Mill Lane is off", TODAY).places == ["on Mill Lane"]
    assert extract("The Street lamp by the school is broken", TODAY).places == []


def test_no_false_details_in_plain_text():
    assert extract("my bin was not collected", TODAY).as_dict() == {}


@pytest.mark.django_db
def test_prefill_missed_bin(catalogue):
    service = Service.objects.get(code="missed-bin")
    text = "recycling bin missed on Tuesday at 3 Oak Road E20 1AB"
    filled = prefill(service, text, extract(text, TODAY), today=TODAY)
    assert filled["lookup"] == {"address": "E20 1AB"}  # the resident still picks the address
    assert filled["answers"]["collection_date"] == "2026-03-10"
    assert filled["answers"]["bin_types"] == ["recycling"]


@pytest.mark.django_db
def test_prefill_parking_fine_and_pest(catalogue):
    fine = Service.objects.get(code="challenge-parking-fine")
    text = "I want to challenge PCN DB12345678 for AB12 CDE, the sign was hidden"
    answers = prefill(fine, text, extract(text, TODAY), today=TODAY)["answers"]
    assert answers["pcn_number"] == "DB12345678" and answers["registration"] == "AB12CDE"
    assert answers["explanation"] == text
    pest = Service.objects.get(code="pest-control")
    answers = prefill(pest, "rats in the kitchen", extract("rats in the kitchen", TODAY), today=TODAY)[
        "answers"
    ]
    assert answers["pest"] == "rats"


@pytest.mark.django_db
def test_prefill_never_uses_a_date_for_a_date_of_birth(catalogue):
    service = Service.objects.get(code="blue-badge")
    text = "blue badge for my dad, his birthday is 3rd March 1940"
    assert "date_of_birth" not in prefill(service, text, extract(text, TODAY), today=TODAY)["answers"]
