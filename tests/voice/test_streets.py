"""The council's street names put back together in recognised speech (voice/streets.py)."""

import pytest

from residenthub.triage.extract import extract
from residenthub.voice import pipeline, streets

GAZETTEER = streets.build(
    [
        "4 Riverside Close",
        "Flat 2, 10 Mill Lane",
        "12 Mill Lane East",
        "3 The Green",
        "7 Elm Way",
        "Rose Cottage",
    ]
)


def test_street_of_drops_the_house_part():
    assert streets.street_of("4 Riverside Close") == "Riverside Close"
    assert streets.street_of("Flat 2, 10 Mill Lane") == "Mill Lane"
    assert streets.street_of("12a-14 High Street") == "High Street"
    assert streets.street_of("Rose Cottage") == ""


def test_gazetteer_keeps_long_names_longest_first_and_never_the():
    names = [name for _, name in GAZETTEER]
    assert names == ["Riverside Close", "Mill Lane East", "Mill Lane"]


@pytest.mark.parametrize(
    ("heard", "restored"),
    [
        ("outside number 4 River. side close has been out", "outside number 4 Riverside Close has been out"),
        ("outside number 4 Riverside, close, has been out", "outside number 4 Riverside Close, has been out"),
        ("by RIVERSIDE CLOSE", "by Riverside Close"),
        ("bins on mill lane east not emptied", "bins on Mill Lane East not emptied"),
        ("bins on mill lane, not emptied", "bins on Mill Lane, not emptied"),
    ],
)
def test_split_and_miscased_names_are_restored(heard, restored):
    assert streets.restore(heard, GAZETTEER) == restored


@pytest.mark.parametrize(
    "heard",
    [
        "my riverside closet is damp",  # not a whole word at the end
        "the green bin was not collected",  # "The Green" is left out of the gazetteer
        "nothing about a street here",
        "",
    ],
)
def test_other_words_are_left_alone(heard):
    assert streets.restore(heard, GAZETTEER) == heard


def test_no_gazetteer_changes_nothing():
    assert streets.restore("River side close", ()) == "River side close"


@pytest.mark.django_db
def test_a_split_street_reaches_the_confirmation_whole(catalogue):
    """The landing CI once confirmed "Side Close" to a caller: the pause fell inside "Riverside"."""
    streets.forget()
    assert "Riverside Close" in [name for _, name in streets.known()]
    text = pipeline.clean_text("The street light outside number 4 River. side close has been out for a week.")
    assert extract(text).places == ["outside number 4 Riverside Close"]
