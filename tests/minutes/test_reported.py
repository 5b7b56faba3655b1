"""Discussion lines in the minutes' reported speech, and left as said wherever that would be a guess."""

import pytest

from residenthub.minutes import drafting
from residenthub.minutes.reported import back_shift, reported, reported_declaration


@pytest.mark.parametrize(
    ("said", "minuted"),
    [
        (
            "Was the consultation available on paper as well as online?",
            "A Member asked whether the consultation was available on paper as well as online.",
        ),
        (
            "Why are missed collections still high on the northern estates?",
            "A Member asked why missed collections were still high on the northern estates.",
        ),
        (
            "How many homes are still waiting for a damp inspection?",
            "A Member asked how many homes were still waiting for a damp inspection.",
        ),
        (
            "What is the cost of extending the food waste service to flats?",
            "A Member asked what the cost of extending the food waste service to flats was.",
        ),
        (
            "Is the use of reserves being considered?",
            "A Member asked whether the use of reserves was being considered.",
        ),
        (
            "Is there a plan for residents without internet access?",
            "A Member asked whether there was a plan for residents without internet access.",
        ),
        ("When will the new contract start?", "A Member asked when the new contract would start."),
        (
            "What will happen if the savings do not close the gap?",
            "A Member asked what would happen if the savings did not close the gap.",
        ),
    ],
)
def test_a_members_question_is_reported(said, minuted):
    assert reported(said, "member") == minuted


@pytest.mark.parametrize(
    ("said", "role", "minuted"),
    [
        (
            "A surveying team has been recruited and all homes will be seen by May.",
            "officer",
            "Members heard that a surveying team had been recruited and all homes would be seen by May.",
        ),
        ("The report is late.", "chair", "The Chair noted that the report was late."),
        (
            "DfE funding is confirmed until March.",
            "",
            "It was noted that DfE funding was confirmed until March.",
        ),
        (
            "So, paper copies were available in every library.",
            "officer",
            "Members heard that paper copies were available in every library.",
        ),
    ],
)
def test_a_statement_is_reported_in_the_past(said, role, minuted):
    assert reported(said, role) == minuted


@pytest.mark.parametrize(
    "said",
    [
        "We have recruited twelve new surveyors.",  # who "we" are is for the clerk to say
        "Can you tell us when the works start?",
        "When does the new service start?",  # "started"? "would start"? not guessed
        "How are people with urgent needs identified while they wait?",  # where the subject ends
        "How are residents who are not online being supported?",  # a relative clause
        "The first point. The second point.",
        "How many homes are still waiting for an inspection",  # a question heard without its "?"
        "Is the project on budget.",
    ],
)
def test_what_cannot_be_reported_for_certain_stays_as_said(said):
    assert reported(said, "member") == said


def test_the_chairs_question_is_the_chairs():
    assert (
        reported("Is the report on the website?", "chair")
        == "The Chair asked whether the report was on the website."
    )


def test_an_officers_question_stays_as_said():
    assert reported("Is the report on the website?", "officer") == "Is the report on the website?"


def test_back_shift_keeps_capitals_and_contractions():
    said = "Is it done? It isn't, and we can't by May."
    assert back_shift(said) == "Was it done? It wasn't, and we couldn't by May."  # "May" the month


def test_declarations_are_minuted_in_the_past_and_the_chairs_question_is_not_one():
    assert (
        reported_declaration("There are no declarations of interest.")
        == "There were no declarations of interest."
    )
    assert (
        reported_declaration("I declare an interest as a school governor.")
        == "I declare an interest as a school governor."
    )
    segments = [
        {
            "start": 0.0,
            "end": 3.0,
            "speaker": "Jane Holloway",
            "text": "Are there any declarations of interest?",
        },
        {
            "start": 3.0,
            "end": 6.0,
            "speaker": "Jane Holloway",
            "text": "There are no declarations of interest.",
        },
        {"start": 6.0, "end": 9.0, "speaker": "Jane Holloway", "text": "Item one, the library consultation."},
        {
            "start": 9.0,
            "end": 14.0,
            "speaker": "Sam Patel",
            "text": "The consultation has received more than two thousand responses from residents.",
        },
        {
            "start": 14.0,
            "end": 18.0,
            "speaker": "Amina Shah",
            "text": "Was the consultation available on paper as well as online?",
        },
        {
            "start": 18.0,
            "end": 23.0,
            "speaker": "Sam Patel",
            "text": "Paper copies are available in every library and at the civic centre.",
        },
    ]
    attendees = [
        drafting.Attendee("Jane Holloway", "chair"),
        drafting.Attendee("Amina Shah", "member"),
        drafting.Attendee("Sam Patel", "officer", "Head of Libraries"),
    ]
    result = drafting.draft(segments, ["Library consultation"], attendees)
    assert [line.text for line in result.declarations] == ["There were no declarations of interest."]
    summary = [line.text for line in result.items[0].summary]
    assert "A Member asked whether the consultation was available on paper as well as online." in summary
    assert all(not line.endswith("?") for line in summary), summary


def test_a_question_in_the_summary_comes_with_its_answer():
    said = [
        ("Sam Patel", "The library consultation received more than two thousand responses from residents."),
        ("Sam Patel", "Most respondents asked for longer opening hours on Saturdays and Sundays."),
        ("Sam Patel", "The proposal keeps every library open while moving staff hours to the weekends."),
        ("Amina Shah", "Was the library consultation available on paper as well as online?"),
        ("Sam Patel", "Paper copies were available in every library and at the civic centre."),
        ("David Brennan", "Will the changes to opening hours affect the homework clubs?"),
        ("Sam Patel", "Homework clubs will continue at the same times as now."),
        ("Sam Patel", "Staff have been consulted and most prefer the new weekend rota."),
    ]
    segments = [
        {"start": 10.0 * i, "end": 10.0 * i + 9, "speaker": who, "text": text}
        for i, (who, text) in enumerate(said)
    ]
    attendees = [
        drafting.Attendee("Amina Shah", "member"),
        drafting.Attendee("David Brennan", "member"),
        drafting.Attendee("Sam Patel", "officer"),
    ]
    summary = [
        line.text for line in drafting.draft(segments, ["Library consultation"], attendees).items[0].summary
    ]
    for number, line in enumerate(summary):
        if line.startswith("A Member asked"):
            assert summary[number + 1].startswith("Members heard that"), summary
    assert any(line.startswith("A Member asked") for line in summary), summary
