"""A call to vote answered by a bare result ("All in favour? ... Approved."), an item called with "Next, ..."
and "I'd move that we ..." (ADR 0183). Our own sentences, other names and topics than the blind meetings';
each rule beside a look-alike it must not fire on."""

import datetime as dt

from residenthub.minutes import drafting, motions

PEOPLE = drafting.parse_attendees(
    """Councillor Rhian Powell, chair
Councillor Owen Tudor, member
Gareth Lloyd, officer, Head of Parks"""
)
MEETING = dt.date(2028, 3, 8)
CHAIR = "Councillor Rhian Powell"
OFFICER = "Gareth Lloyd"
AGENDA = ["Allotment Rents Review", "Playground Refurbishment Programme", "Tree Planting Strategy"]


def _draft(*lines: str, agenda: list[str] | None = None) -> drafting.Draft:
    lines = (f"{CHAIR}: Item one, the allotment rents review.", *lines)
    segments = [
        {"start": 4.0 * i, "end": 4.0 * i + 3.5, "speaker": speaker, "text": text}
        for i, (speaker, text) in enumerate(line.split(": ", 1) for line in lines)
    ]
    return drafting.draft(segments, agenda or AGENDA[:1], PEOPLE, meeting_date=MEETING, correct=False)


def test_a_call_to_vote_answered_by_a_bare_result_decides_the_recommendation():
    item = _draft(
        f"{OFFICER}: Members are asked to approve the new water charges.",
        f"{CHAIR}: Thank you, Gareth.",
        f"{CHAIR}: All in favour?",
        f"{CHAIR}: That's everyone.",
        f"{CHAIR}: Approved.",
    ).items[0]
    assert [d.text for d in item.decisions] == ["RESOLVED: That the new water charges be approved."]
    assert item.decisions[0].start == 12.0  # the call to vote: where the clerk plays it from


def test_a_count_with_more_for_than_against_is_carried_without_a_word_for_it():
    item = _draft(
        f"{OFFICER}: Members are asked to approve the new water charges.",
        f"{CHAIR}: Those in favour?",
        f"{CHAIR}: Five.",
        f"{CHAIR}: Against?",
        f"{CHAIR}: Two.",
        f"{CHAIR}: Thank you.",
    ).items[0]
    assert [(d.text, d.vote) for d in item.decisions] == [
        ("RESOLVED: That the new water charges be approved.", "For 5, against 2")
    ]


def test_a_motion_lost_is_not_minuted():
    item = _draft(
        "Councillor Owen Tudor: I'd move that we defer the review.",
        f"{CHAIR}: All in favour?",
        f"{CHAIR}: Two.",
        f"{CHAIR}: Against?",
        f"{CHAIR}: Six.",
        f"{CHAIR}: Lost.",
    ).items[0]
    assert item.decisions == []


def test_a_call_to_vote_with_nothing_before_the_room_decides_nothing_and_says_where_to_listen():
    draft = _draft(
        f"{OFFICER}: Plot holders have asked about water butts.",
        f"{CHAIR}: All in favour?",
        f"{CHAIR}: Approved.",
    )
    assert draft.items[0].decisions == []
    assert draft.warnings == [
        "Allotment Rents Review: a vote was taken at 0:08 (approved) but what was put to it was not heard. "
        "Check the recording and write the resolution by hand."
    ]


def test_a_result_said_in_words_of_its_own_keeps_its_own_reading():
    """ "That's carried, so the rents are approved." is read by the spoken-resolution rules, as before."""
    item = _draft(
        f"{OFFICER}: The recommendation is that the committee approves the revised allotment rents.",
        f"{CHAIR}: All in favour?",
        f"{CHAIR}: That's carried, so the revised allotment rents are approved.",
    ).items[0]
    assert len(item.decisions) == 1
    assert item.decisions[0].text.endswith("be approved.")


def test_i_would_move_is_a_motion():
    moved = motions.motion_moved("Then I'd move that we defer it for a site visit.")
    assert moved == "defer it for a site visit"
    assert motions.motion_moved("I would move approval.") == "approval"
    assert motions.motion_moved("I'd say that's a fair point.") == ""


def test_next_and_an_items_words_start_that_item():
    """Without the call, the words of the vote (none of them the first item's) went to the next item."""
    lines = [
        drafting.Sentence("Item one, the allotment rents review.", 0.0, 3.0),
        drafting.Sentence("Allotment rents rise by two per cent under the review.", 4.0, 7.0),
        drafting.Sentence("Good.", 8.0, 9.0),
        drafting.Sentence("Vote on deferral.", 10.0, 11.0),
        drafting.Sentence("All in favour?", 12.0, 13.0),
        drafting.Sentence("Six.", 14.0, 15.0),
        drafting.Sentence("Deferred.", 16.0, 17.0),
        drafting.Sentence("I'll write to the plot holders by Friday.", 18.0, 20.0),
        drafting.Sentence("Next, the playground refurbishment.", 21.0, 23.0),
        drafting.Sentence("The playground refurbishment programme covers four playgrounds.", 24.0, 27.0),
        drafting.Sentence("Refurbishment starts with the oldest playground equipment.", 28.0, 31.0),
    ]
    assert drafting.align(lines, AGENDA[:2]) == [0] * 8 + [1] * 3


def test_next_week_is_not_an_item_call():
    assert not drafting._NEXT_CALLED.match("Next week the playground refurbishment starts on site.")
    assert drafting._NEXT_CALLED.match("Right. Next, the playground refurbishment.")


def test_a_motion_drafted_when_moved_is_taken_back_when_the_vote_is_lost():
    for result in ("Lost.", "That's lost.", "The motion falls."):
        item = _draft(
            "Councillor Owen Tudor: I move that we defer the review to the next meeting.",
            f"{CHAIR}: All in favour?",
            f"{CHAIR}: Two.",
            f"{CHAIR}: Against?",
            f"{CHAIR}: Six.",
            f"{CHAIR}: {result}",
        ).items[0]
        assert item.decisions == [], result


def test_a_motion_moved_and_carried_is_minuted_once_in_its_fuller_form():
    item = _draft(
        "Councillor Owen Tudor: I move that we defer the review to the next meeting.",
        f"{CHAIR}: All in favour?",
        f"{CHAIR}: Six.",
        f"{CHAIR}: Carried.",
    ).items[0]
    assert [d.text for d in item.decisions] == [
        "RESOLVED: That consideration of the Allotment Rents Review be deferred to the next meeting."
    ]


def test_i_propose_that_is_the_lead_of_a_resolution_not_part_of_it():
    assert drafting.resolution_text("I propose that the report is deferred.") == (
        "RESOLVED: That the report is deferred."
    )
