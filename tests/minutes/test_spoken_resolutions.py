"""Decisions and actions as committees say them aloud (ADR 0176): the chair's question or announcement
becomes the minuted resolution, a vote takes the motion put before it, and "leave that with me" gives the
task just asked for to whoever said it. Sentences of our own, not the tuning meetings'."""

from __future__ import annotations

import datetime as dt

import pytest

from residenthub.minutes import drafting

MEETING = dt.date(2027, 3, 3)
PEOPLE = drafting.parse_attendees(
    "Councillor Ruth Ambrose, chair\nCouncillor Dev Patel, member\nCouncillor Ines Duarte, member\n"
    "Callum Reid, officer, Head of Parks\n"
)


def draft(*turns: tuple[str, str], title: str = "Parks and Open Spaces Update"):
    turns = (("Councillor Ruth Ambrose", f"Item one, the {title.lower()}. Callum."), *turns)
    segments = [
        {"start": 10.0 * k, "end": 10.0 * k + 8, "speaker": who, "text": said}
        for k, (who, said) in enumerate(turns)
    ]
    return drafting.draft(segments, [title], PEOPLE, meeting_date=MEETING).items[0]


@pytest.mark.parametrize(
    ("said", "after", "minuted"),
    [
        (
            "Can I take it we're happy to note the update?",
            "",
            "RESOLVED: That the Parks and Open Spaces Update be noted.",
        ),
        (
            "Are members content to approve the report?",
            "",
            "RESOLVED: That the Parks and Open Spaces Update report be approved.",
        ),
        ("So we endorse the plan.", "", "RESOLVED: That the Parks and Open Spaces Update plan be endorsed."),
        (
            "I propose we defer the item to the April meeting.",
            "Agreed.",
            "RESOLVED: That consideration of the Parks and Open Spaces Update be deferred to the April "
            "meeting.",
        ),
        (
            "I think we should approve the new opening hours for the lido.",
            "Is everyone happy with that?",
            "RESOLVED: That the new opening hours for the lido be approved.",
        ),
        (
            "So we recommend to Cabinet that they fund the second phase of the play area works.",
            "",
            "RESOLVED: That Cabinet be recommended to fund the second phase of the play area works.",
        ),
    ],
)
def test_the_chairs_words_become_the_minuted_resolution(said, after, minuted):
    assert minuted in drafting.spoken_resolutions(said, "Parks and Open Spaces Update", after)


def test_a_proposal_said_as_a_statement_needs_assent():
    assert drafting.spoken_resolutions("I think we should approve the new opening hours.", "Parks") == []
    assert drafting.spoken_resolutions("We will note that the lido was busy last summer.", "Parks") == []


def test_a_vote_takes_the_motion_put_before_it():
    item = draft(
        (
            "Callum Reid",
            "The recommendation is that Cabinet approve a five per cent rise in allotment rents from April.",
        ),
        ("Councillor Dev Patel", "I'll move that."),
        ("Councillor Ines Duarte", "Seconded."),
        (
            "Councillor Ruth Ambrose",
            "All those in favour? Thank you. That's four in favour, one against, so that's carried.",
        ),
    )
    texts = [d.text for d in item.decisions]
    assert texts == ["RESOLVED: That Cabinet approve a five per cent rise in allotment rents from April."]
    assert item.decisions[0].vote


def test_a_decision_recalled_from_before_the_meeting_is_not_this_meetings():
    item = draft(
        ("Callum Reid", "Members will recall that Cabinet approved the tree strategy back in October."),
        ("Councillor Ruth Ambrose", "Can I take it we're happy to note the update?"),
    )
    assert [d.text for d in item.decisions] == ["RESOLVED: That the Parks and Open Spaces Update be noted."]


def test_a_promise_takes_the_task_just_asked_for_and_its_owner():
    item = draft(
        (
            "Councillor Dev Patel",
            "Could we have the figures for vandalism in each park before the next meeting?",
        ),
        ("Callum Reid", "That's a fair question. Leave that with me."),
    )
    (action,) = item.actions
    assert "vandalism" in action.text and action.owner == "Callum Reid"
    assert action.due == (MEETING + dt.timedelta(days=28)).isoformat()


def test_an_action_said_with_ill_is_found():
    item = draft(
        ("Callum Reid", "I'll circulate the play inspection reports to members by the end of next week.")
    )
    (action,) = item.actions
    assert action.owner == "Callum Reid" and action.due


def test_a_delegation_names_the_officer_by_job_title_and_the_chair_by_office():
    said = (
        "Are we agreeing to delegate authority to Callum, in consultation with me as Chair, to let the kiosk?"
    )
    assert drafting.spoken_resolutions(said, "Parks", "", PEOPLE) == [
        "RESOLVED: That authority be delegated to the Head of Parks, in consultation with the Chair, "
        "to let the kiosk."
    ]


def test_more_ways_a_committee_decides_aloud():
    assert drafting.spoken_resolutions(
        "So, can we agree the work plan with a visit to the lido in June?", "Work Plan", "Agreed."
    ) == ["RESOLVED: That the work plan with a visit to the lido in June be agreed."]
    assert drafting.spoken_resolutions("I think we should note the report.", "Parks", "Noted.") == [
        "RESOLVED: That the Parks report be noted."
    ]
    # The chair's summary after the vote, in the present tense; "revised" is kept before the item's title.
    assert drafting.spoken_resolutions(
        "The revised strategy's approved, with the review in two years.", "Tree Strategy"
    ) == ["RESOLVED: That the revised Tree Strategy be approved, with the review in two years."]


def test_an_amendment_is_the_motion_and_one_motion_is_minuted_once():
    item = draft(
        (
            "Councillor Ines Duarte",
            "I'd like to move an amendment: that the fees are frozen for the whole of next year.",
        ),
        ("Councillor Dev Patel", "Seconded."),
        ("Councillor Ruth Ambrose", "All in favour of the amendment?"),
        ("Councillor Ruth Ambrose", "That's carried, and we'll recommend it to Cabinet."),
    )
    assert [d.text for d in item.decisions] == [
        "RESOLVED: That it be recommended to Cabinet that the fees are frozen for the whole of next year."
    ]


def test_the_chair_announcing_a_decision_or_saying_the_outcome_alone():
    """ADR 0177: the chair's "And we note the update." is minuted with the item's name (it was "That we
    note the update"); "Deferred to May, so ... Agreed?" is the item deferred."""
    item = draft(
        ("Callum Reid", "The tree survey is finished and the results are in the appendix."),
        ("Councillor Ruth Ambrose", "Thank you. And we note the update."),
    )
    assert [d.text for d in item.decisions] == ["RESOLVED: That the Parks and Open Spaces Update be noted."]
    deferred = draft(
        ("Callum Reid", "I would rather bring this back once the costs are known."),
        ("Councillor Ruth Ambrose", "So, deferred to May, so the costs can be checked. Agreed?"),
        ("Councillor Dev Patel", "Agreed."),
        title="Play Area Refurbishment",
    )
    assert [d.text for d in deferred.decisions] == [
        "RESOLVED: That consideration of the Play Area Refurbishment be deferred to May, so the costs can "
        "be checked."
    ]
    # "Noted, thanks." with nothing after it is an acknowledgement, not a resolution.
    assert not draft(("Councillor Ruth Ambrose", "Noted, thanks.")).decisions


def test_the_outcome_said_after_the_vote_is_the_resolution():
    """ADR 0177: "So that's carried and planning permission is granted."."""
    item = draft(
        ("Councillor Dev Patel", "I move approval as recommended."),
        ("Councillor Ruth Ambrose", "All those in favour? Five. Against? Two."),
        ("Councillor Ruth Ambrose", "So that's carried and planning permission is granted."),
        title="Land at Mill Farm",
    )
    assert "RESOLVED: That planning permission be granted." in [d.text for d in item.decisions]


def test_a_promise_keeps_where_and_to_whom_beside_the_request():
    """ADR 0177: the request alone ("Could we see the full report?") lost what the promise added."""
    item = draft(
        ("Councillor Ines Duarte", "Could we see the full survey report, Callum?"),
        ("Callum Reid", "Of course. I'll circulate it to all members of the committee by Friday."),
    )
    (action,) = item.actions
    assert "survey report" in action.text and "all members of the committee" in action.text
    assert action.owner == "Callum Reid" and action.due
