"""A resolution heard in two sentences, and its vote placed under the next item (ADR 0174). Our own
sentences, other names and topics than the benchmark's; each rule beside a look-alike it must not fire on."""

import datetime as dt

import pytest

from residenthub.minutes import drafting

PEOPLE = drafting.parse_attendees(
    """Councillor Bethan Morgan, chair
Councillor Idris Vaughan, member
Nia Pritchard, officer, Head of Housing"""
)
MEETING = dt.date(2028, 2, 2)


def _segments(*lines: str) -> list[dict]:
    return [{"start": 4.0 * i, "end": 4.0 * i + 3.5, "speaker": "", "text": t} for i, t in enumerate(lines)]


def _sentences(*lines: str) -> list[drafting.Sentence]:
    return [drafting.Sentence(t, 4.0 * i, 4.0 * i + 3.5) for i, t in enumerate(lines)]


def _draft(*lines: str, agenda: list[str] | None = None) -> drafting.Draft:
    return drafting.draft(_segments(*lines), agenda or [], PEOPLE, meeting_date=MEETING, correct=False)


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        (  # the second part said after a pause
            "So the committee resolved that the allotment rents review be noted.",
            "And the proposed waiting list policy be approved.",
            "RESOLVED: That the allotment rents review be noted and the proposed waiting list policy be"
            " approved.",
        ),
        (  # cut before its outcome where the recogniser skipped speech; "waiting" heard on both sides
            "So the committee resolved at the recommendations of the allotment waiting.",
            "The waiting list review be approved.",
            "RESOLVED: That the recommendations of the allotment waiting list review be approved.",
        ),
    ],
)
def test_one_resolution_heard_as_two_sentences_is_one_line(first, second, joined):
    item = _draft(first, second).items[0]
    assert [d.text for d in item.decisions] == [joined]
    assert (item.decisions[0].start, item.decisions[0].end) == (0.0, 7.5)


@pytest.mark.parametrize(
    "second",
    [
        "And the committee resolved that the waiting list policy be approved.",  # a resolution of its own
        "The waiting list policy be approved.",  # the first was complete: not its rest
    ],
)
def test_a_second_resolution_is_not_joined_to_a_complete_first(second):
    item = _draft("So the committee resolved that the allotment rents review be noted.", second).items[0]
    assert len(item.decisions) == 2


def test_an_and_sentence_after_discussion_is_not_joined_to_an_earlier_resolution():
    item = _draft(
        "So the committee resolved that the allotment rents review be noted.",
        "Members discussed the plots at Heol Las.",
        "And the proposed waiting list policy be approved.",
    ).items[0]
    assert all(" and the proposed" not in d.text for d in item.decisions)


def test_a_vote_put_under_the_next_item_is_the_vote_on_the_last_resolution(monkeypatch):
    """The item call was misheard, so the next item was placed to start at the vote (as in a tune meeting)."""
    lines = (
        "It was agreed that the allotment rents review be noted.",
        "That was agreed unanimously.",
        "Thank you.",
        "So the committee resolved that the library opening hours be approved.",
    )
    monkeypatch.setattr(drafting, "align", lambda sentences, titles, method="monotonic": [0, 1, 1, 1])
    minutes = _draft(*lines, agenda=["Allotment rents review", "Library opening hours"])
    decisions = [[d.text for d in item.decisions] for item in minutes.items]
    assert decisions == [
        ["RESOLVED: That the allotment rents review be noted."],
        ["RESOLVED: That the library opening hours be approved."],
    ]
    assert minutes.items[0].decisions[0].vote == "Unanimous"


def test_a_vote_long_after_the_last_items_resolution_is_not_moved_back(monkeypatch):
    """Long after the last item's resolution, a bare vote is not moved back to it."""
    lines = ("It was agreed that the allotment rents review be noted.", *["Members asked about plots."] * 4)
    lines += ("That was agreed unanimously.",)
    monkeypatch.setattr(drafting, "align", lambda sentences, titles, method="monotonic": [0, 1, 1, 1, 1, 1])
    minutes = _draft(*lines, agenda=["Allotment rents review", "Library opening hours"])
    assert minutes.items[0].decisions[0].vote == ""


def test_a_vote_long_after_the_last_resolution_is_not_moved_back():
    assert (
        drafting._previous_decision([], drafting.Sentence("That was agreed unanimously.", 50.0, 52.0, ""))
        is None
    )
    item = drafting.DraftItem(title="Rents")
    item.decisions.append(drafting.Decision("RESOLVED: That the rents be noted.", "", 0.0, 5.0))
    late = drafting.Sentence("That was agreed unanimously.", 40.0, 42.0, "")
    assert drafting._previous_decision([item], late) is None
    soon = drafting.Sentence("That was agreed unanimously.", 7.0, 9.0, "")
    assert drafting._previous_decision([item], soon) is item.decisions[0]


def test_an_item_call_run_into_the_report_is_cut_after_the_title_and_the_presenter():
    agenda = ["Allotment rents review", "Library opening hours"]
    sentences = drafting.split_merged(
        [
            drafting.Sentence(
                "Item 2 Library Opening Hours Nia Pritchard The weekend pilot was approved in May and ran for"
                " six weeks.",
                0.0,
                10.0,
            )
        ],
        PEOPLE,
        drafting.default_detector(),
        MEETING,
        agenda,
    )
    assert [s.text for s in sentences] == [
        "Item 2 Library Opening Hours Nia Pritchard",
        "The weekend pilot was approved in May and ran for six weeks.",
    ]


def test_an_item_call_with_a_resolution_after_it_keeps_the_resolution():
    minutes = _draft(
        "Good evening, everyone.",
        "Item 1 Allotment Rents Review the committee resolved that the allotment rents review be noted.",
        agenda=["Allotment rents review", "Library opening hours"],
    )
    assert [d.text for d in minutes.items[0].decisions] == [
        "RESOLVED: That the allotment rents review be noted."
    ]


def test_no_cut_without_the_title_after_the_call():
    sentence = drafting.Sentence(
        "Item 2 is about the weekend pilot which was approved in May and ran well.", 0.0, 5.0
    )
    out = drafting.split_merged(
        [sentence], PEOPLE, drafting.default_detector(), MEETING, ["Library opening hours"]
    )
    assert [s.text for s in out] == [sentence.text]


def test_a_misheard_item_call_after_moving_on_still_starts_the_item():
    """ "Item 2, Library opening hours" heard as "The library opening hours." after "Moving on."."""
    sentences = _sentences(
        "Good evening, everyone.",
        "Item 1, allotment rents review.",
        "Rents on the plots rise by two per cent.",
        "It was agreed that the allotment rents review be noted.",
        "That was agreed unanimously.",
        "Thank you.",
        "Moving on.",
        "The library opening hours.",
        "Saturday opening was popular with families.",
    )
    assigned = drafting.align(sentences, ["Allotment rents review", "Library opening hours"])
    assert assigned == [-1, 0, 0, 0, 0, 0, 0, 1, 1]


def test_moving_on_before_a_sentence_that_only_mentions_a_title_word_is_no_anchor():
    sentences = _sentences(
        "Good evening, everyone.",
        "Item 1, allotment rents review.",
        "Moving on.",
        "Some plot holders asked whether library cards could be used to pay the rents online.",
        "It was agreed that the allotment rents review be noted.",
    )
    assigned = drafting.align(sentences, ["Allotment rents review", "Library opening hours"])
    assert assigned == [-1, 0, 0, 0, 0]
