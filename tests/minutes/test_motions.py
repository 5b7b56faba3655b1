"""Recommendations put to a committee, minuted as resolutions (ADR 0178): each act a recommendation asks
for becomes "That ... be approved", the thing named by its agenda title and people by their posts, and
only once the room has agreed. Sentences of our own, not the tuning meetings'."""

from __future__ import annotations

import datetime as dt

import pytest

from residenthub.minutes import drafting, motions

MEETING = dt.date(2027, 6, 9)
PEOPLE = drafting.parse_attendees(
    "Councillor Nia Rowlands, chair, Leader of the Council\n"
    "Councillor Tom Hesketh, member, Cabinet Member for Environment\n"
    "Councillor Ada Obi, member\n"
    "Priya Lal, officer, Director of Housing\n"
    "Sam Cole, officer, Head of Finance\n"
)


def as_segments(turns) -> list[dict]:
    """Transcript segments from (speaker, words) turns, ten seconds apart."""
    return [
        {"start": 10.0 * k, "end": 10.0 * k + 8, "speaker": who, "text": said}
        for k, (who, said) in enumerate(turns)
    ]


def draft(*turns: tuple[str, str], title: str = "Tenancy Strategy 2027-2030"):
    turns = (("Councillor Nia Rowlands", f"Item one, the {title.lower()}. Priya."), *turns)
    return drafting.draft(as_segments(turns), [title], PEOPLE, meeting_date=MEETING).items[0]


@pytest.mark.parametrize(
    ("body", "title", "minuted"),
    [
        (
            "that Cabinet recommends the strategy to full Council in October, and agrees to open a "
            "register of interest and to commission an independent review of rents",
            "Tenancy Strategy 2027-2030",
            [
                "RESOLVED: That the Tenancy Strategy 2027-2030 be recommended to full Council in October.",
                "RESOLVED: That a register of interest be opened.",
                "RESOLVED: That an independent review of rents be commissioned.",
            ],
        ),
        (
            "to approve it for publication, and to note the consultation responses",
            "Air Quality Action Plan",
            [
                "RESOLVED: That the Air Quality Action Plan be approved for publication.",
                "RESOLVED: That the consultation responses be noted.",
            ],
        ),
        (
            "award to the highest scoring tenderer",
            "Award of Grounds Maintenance Contract",
            ["RESOLVED: That the Grounds Maintenance Contract be awarded to the highest scoring tenderer."],
        ),
        (
            "that the board defers the item to September",
            "Community Safety Plan",
            ["RESOLVED: That consideration of the Community Safety Plan be deferred to September."],
        ),
        ("the report sets out three options for members", "Budget Monitoring", []),
    ],
)
def test_each_act_a_recommendation_asks_for_is_one_resolution(body, title, minuted):
    assert motions.recommended_resolutions(body, title, PEOPLE) == minuted


def test_a_delegation_names_people_by_their_posts():
    said = (
        "delegate authority to me as Director of Housing, in consultation with Tom and with the Chair, "
        "to agree the final allocations"
    )
    assert motions.recommended_resolutions(said, "Tenancy Strategy 2027-2030", PEOPLE) == [
        "RESOLVED: That authority be delegated to the Director of Housing, in consultation with the Cabinet "
        "Member for Environment and with the Chair, to agree the final allocations."
    ]
    # "Councillor" is a courtesy, not a name: it never stands for the first attendee it appears in.
    assert motions.as_minuted("Councillor", PEOPLE) == "Councillor"
    assert motions.as_minuted("Sam", PEOPLE) == "the Head of Finance"
    assert motions.as_minuted("Ada", PEOPLE) == "Ada"  # no post on the list: as said


def test_recommendations_put_by_reference_and_agreed():
    item = draft(
        (
            "Priya Lal",
            "The recommendation is to approve the strategy and to delegate to the Head of Finance "
            "the setting of the rent bands.",
        ),
        ("Councillor Ada Obi", "I support it."),
        ("Councillor Nia Rowlands", "Are we agreed on the recommendations? Agreed."),
    )
    assert [d.text for d in item.decisions] == [
        "RESOLVED: That the Tenancy Strategy 2027-2030 be approved.",
        "RESOLVED: That authority be delegated to the Head of Finance for the setting of the rent bands.",
    ]


def test_bare_assent_after_an_officers_recommendation_decides_it():
    item = draft(
        ("Priya Lal", "So the recommendation is to adopt the strategy."),
        ("Councillor Nia Rowlands", "Anyone against?"),
        ("Councillor Ada Obi", "No."),
    )
    assert [d.text for d in item.decisions] == ["RESOLVED: That the Tenancy Strategy 2027-2030 be adopted."]


def test_a_recommendation_nobody_agreed_is_not_a_resolution():
    item = draft(
        ("Priya Lal", "The recommendation is to adopt the strategy."),
        ("Councillor Ada Obi", "I have real doubts about the rent bands."),
        ("Councillor Nia Rowlands", "Let's hear from Sam on the figures first."),
    )
    assert item.decisions == []


def test_a_count_of_hands_is_not_a_resolution():
    item = draft(
        ("Councillor Nia Rowlands", "All those in favour of the strategy?"),
        ("Councillor Nia Rowlands", "That's, yes, that's all four."),
        ("Councillor Nia Rowlands", "Unanimous."),
    )
    assert all("all four" not in d.text for d in item.decisions)


def test_the_chair_thinking_aloud_then_agreed():
    item = draft(("Councillor Nia Rowlands", "I think we note the report. Agreed."))
    assert [d.text for d in item.decisions] == [
        "RESOLVED: That the Tenancy Strategy 2027-2030 report be noted."
    ]


@pytest.mark.parametrize(
    "promise",
    [
        "I can take the tenancy figures back to committee in March.",
        "I'll get a short note out to members on the void numbers.",
        "We'll send you the consultation responses before the next meeting.",
        "I can circulate the rent modelling by the end of the month.",
    ],
)
def test_an_attendees_own_promise_with_where_or_when_is_an_action(promise):
    item = draft(("Councillor Ada Obi", "How many homes are empty?"), ("Priya Lal", promise))
    assert [a.owner for a in item.actions] == ["Priya Lal"], promise


@pytest.mark.parametrize(
    "statement",
    [
        "I can tell you that voids are down this year.",
        "We'll see how the new lettings policy beds in.",
        "I'll be brief.",
    ],
)
def test_saying_what_one_can_do_is_not_a_promise(statement):
    item = draft(("Councillor Ada Obi", "How many homes are empty?"), ("Priya Lal", statement))
    assert item.actions == [], statement


def test_the_last_item_called_as_such_starts_it():
    segments = [
        {
            "start": 0.0,
            "end": 5.0,
            "speaker": "Councillor Nia Rowlands",
            "text": "Item one, the rent review.",
        },
        {"start": 5.0, "end": 9.0, "speaker": "Sam Cole", "text": "Rents rise by the formula this year."},
        {
            "start": 9.0,
            "end": 12.0,
            "speaker": "Councillor Ada Obi",
            "text": "Will we see the final figures?",
        },
        {
            "start": 12.0,
            "end": 15.0,
            "speaker": "Sam Cole",
            "text": "Yes, I'll circulate them to all members.",
        },
        {
            "start": 15.0,
            "end": 19.0,
            "speaker": "Councillor Nia Rowlands",
            "text": "Lovely. Last item, the garden waste charge.",
        },
        {"start": 19.0, "end": 25.0, "speaker": "Priya Lal", "text": "The garden waste charge is unchanged."},
    ]
    draft = drafting.draft(segments, ["Rent Review", "Garden Waste Charge"], PEOPLE, meeting_date=MEETING)
    assert [len(item.actions) for item in draft.items] == [1, 0]


PLANNING = "Application 27/00412/FUL - 9 Quarry Row - Two-storey rear extension"


def test_a_planning_recommendation_said_as_a_noun():
    assert motions.recommended_resolutions(
        "approval subject to the nine conditions in the report", PLANNING
    ) == ["RESOLVED: That planning permission be granted subject to the nine conditions in the report."]
    assert motions.recommended_resolutions("approval of the revised fees", "Fees and Charges") == [
        "RESOLVED: That the revised Fees and Charges be approved."
    ]


def test_refusal_moved_against_the_officers_recommendation_with_its_reasons_and_delegation():
    segments = [
        ("Councillor Nia Rowlands", "Item one, the application at Quarry Row. Priya."),
        ("Priya Lal", "The recommendation is approval subject to the nine conditions in the report."),
        (
            "Councillor Ada Obi",
            "I'd like to move refusal on the grounds that the extension would overshadow the neighbouring "
            "garden.",
        ),
        ("Councillor Tom Hesketh", "I'll second that."),
        (
            "Councillor Nia Rowlands",
            "Then I'll put the motion to refuse, with the wording of the reasons delegated to the Director "
            "of Housing.",
        ),
        (
            "Councillor Nia Rowlands",
            "All those in favour? Five. Against? Two. That's carried, so the application is refused.",
        ),
    ]
    rows = as_segments(segments)
    item = drafting.draft(rows, [PLANNING], PEOPLE, meeting_date=MEETING).items[0]
    assert [d.text for d in item.decisions] == [
        "RESOLVED: That planning permission be refused, contrary to the officer recommendation, on the "
        "grounds that the extension would overshadow the neighbouring garden.",
        "RESOLVED: That authority be delegated to the Director of Housing for the wording of the reasons.",
    ]
    assert item.decisions[0].vote


@pytest.mark.parametrize(
    "said",
    ["Members are entitled to come to a different view on planning matters.", "It's going to be tight."],
)
def test_coming_to_a_view_is_not_moving_on_to_an_item(said):
    sentences = drafting.split_sentences(
        [
            {"start": 0.0, "end": 4.0, "speaker": "", "text": "Item one, the rent review."},
            {"start": 4.0, "end": 8.0, "speaker": "", "text": said},
        ]
    )
    assert drafting.align(sentences, ["Rent Review", "Planning Matters Update"]) == [0, 0]


def test_a_request_then_the_promise_is_one_action_owned_by_whoever_promised():
    item = draft(
        ("Councillor Ada Obi", "Can you come back to us with a breakdown of arrears by estate?"),
        ("Councillor Ada Obi", "Quarter by quarter."),
        ("Sam Cole", "Yes Chair, we'll do that."),
    )
    assert len(item.actions) == 1
    action = item.actions[0]
    assert action.owner == "Sam Cole"
    assert "arrears by estate" in action.text and "Quarter by quarter" in action.text


def test_those_a_promise_goes_to_do_not_own_it():
    item = draft(
        ("Councillor Ada Obi", "Could we have the void figures?"),
        ("Sam Cole", "I'll send them to Councillor Obi and to Tom by Friday."),
    )
    assert [a.owner for a in item.actions] == ["Sam Cole"]


def test_a_promise_in_two_sentences_is_one_action():
    item = draft(
        ("Councillor Ada Obi", "How many tenants are in arrears?"),
        (
            "Sam Cole",
            "I believe around four hundred, but I'd want to check that, and I can split it by estate.",
        ),
        ("Sam Cole", "I'll provide that to members before the next meeting."),
    )
    assert len(item.actions) == 1
    assert "split it by estate" in item.actions[0].text and item.actions[0].due


def test_a_short_promise_keeps_what_it_is_about():
    item = draft(
        (
            "Sam Cole",
            "There's new guidance on rent setting, and members would benefit from a briefing on it.",
        ),
        ("Sam Cole", "I'll get some dates out to members."),
    )
    assert ["guidance on rent setting" in a.text for a in item.actions] == [True]


def test_a_version_is_named_by_the_item():
    item = draft(("Priya Lal", "I'll get a revised version to members by the end of the month."))
    assert "a revised version of the Tenancy Strategy 2027-2030" in item.actions[0].text


def test_confirming_the_previous_minutes_in_their_own_form():
    segments = [
        ("Councillor Nia Rowlands", "Item one, the minutes of the third of May."),
        ("Councillor Ada Obi", "I'm happy to move them."),
        ("Councillor Nia Rowlands", "So, um, I think we're agreed then?"),
        ("Councillor Nia Rowlands", "Item two, the tenancy strategy."),
        ("Priya Lal", "The strategy is attached."),
    ]
    rows = as_segments(segments)
    result = drafting.draft(
        rows, ["Minutes of the Previous Meeting", "Tenancy Strategy"], PEOPLE, meeting_date=MEETING
    )
    assert [d.text for d in result.items[0].decisions] == [
        "RESOLVED: That the minutes of the meeting held on 3 May 2027 be approved as a correct record and "
        "signed by the Chair."
    ]


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("So we, er, we note the review.", "So we note the review."),
        ("I'll, um, I'll withdraw that.", "I'll withdraw that."),
        ("We had had enough of it.", "We had had enough of it."),
        ("I think that that is right.", "I think that that is right."),
    ],
)
def test_hesitations_are_not_minuted(said, kept):
    assert drafting.without_fillers(said) == kept


@pytest.mark.parametrize(
    "said",
    [
        "I just didn't agree with that bit.",
        "Right, we'll vote on the amendment first.",
        "So the amendment is lost.",
    ],
)
def test_said_about_a_decision_without_being_one(said):
    item = draft(("Councillor Nia Rowlands", said))
    assert item.decisions == []


def test_a_decision_taken_in_so_many_words():
    item = draft(
        ("Councillor Nia Rowlands", "We have decided to approve the strategy, with the changes Sam set out."),
    )
    assert [d.text for d in item.decisions] == [
        "RESOLVED: That the Tenancy Strategy 2027-2030 be approved, with the changes Sam set out."
    ]
    assert motions.decided_as_said(
        "Council approves the report and the indicators.", "Treasury Report 2026", []
    ) == ["RESOLVED: That the Treasury Report 2026 and the indicators be approved."]


@pytest.mark.parametrize(
    "said",
    [
        "Just to see whether the new lettings policy is working.",
        "Councillor Obi to move.",
        "Under the Housing Act we have to review it every five years.",
    ],
)
def test_not_a_task(said):
    item = draft(("Councillor Nia Rowlands", said))
    assert item.actions == [], said


def test_a_request_answered_with_a_fuller_promise_is_one_action():
    item = draft(
        ("Councillor Ada Obi", "Can members have a briefing before the consultation closes?"),
        ("Priya Lal", "Yes, we'll arrange a members' briefing, probably in April."),
    )
    assert [(a.owner, "briefing before the consultation" in a.text) for a in item.actions] == [
        ("Priya Lal", True)
    ]


def test_a_correction_to_the_minutes_is_not_a_decision_of_this_meeting():
    segments = [
        ("Councillor Nia Rowlands", "Item one, the minutes of the third of May."),
        ("Councillor Ada Obi", "Page two, where it says we agreed to close the depot."),
        ("Councillor Nia Rowlands", "Are we happy to approve them as a correct record?"),
    ]
    rows = as_segments(segments)
    result = drafting.draft(rows, ["Minutes", "Tenancy Strategy"], PEOPLE, meeting_date=MEETING)
    assert [d.text for d in result.items[0].decisions] == [
        "RESOLVED: That the minutes of the meeting held on 3 May 2027 be approved as a correct record and "
        "signed by the Chair."
    ]


@pytest.mark.parametrize(
    ("said", "decided"),
    [
        ("Three complaints were resolved informally.", False),
        ("It was resolved that the report be noted.", True),
    ],
)
def test_settled_complaints_are_not_resolutions(said, decided):
    item = draft(("Councillor Nia Rowlands", said))
    assert bool(item.decisions) is decided


def test_the_committees_formal_noting():
    item = draft(("Councillor Nia Rowlands", "Any further questions? Then the Committee notes the strategy."))
    assert [d.text for d in item.decisions] == ["RESOLVED: That the Tenancy Strategy 2027-2030 be noted."]


def test_recommendations_read_out_as_a_list_then_agreed():
    item = draft(
        ("Councillor Nia Rowlands", "The recommendations are in the report."),
        ("Councillor Nia Rowlands", "To approve the strategy, and to delegate to Sam any minor changes."),
        ("Councillor Nia Rowlands", "Are we all agreed? Agreed."),
    )
    assert [d.text for d in item.decisions] == [
        "RESOLVED: That the Tenancy Strategy 2027-2030 be approved.",
        "RESOLVED: That authority be delegated to the Head of Finance for any minor changes.",
    ]


def test_a_report_asking_for_a_recommendation_to_council_and_a_delegation():
    said = (
        "The report asks Cabinet to recommend to Council a capital allocation of two million pounds for new "
        "vehicles, and to delegate the contract award to me, in consultation with Tom."
    )
    assert motions.recommended_resolutions(motions.recommendation_in(said), "Fleet", PEOPLE, "Priya Lal") == [
        "RESOLVED: That Council be recommended to approve a capital allocation of two million pounds for new "
        "vehicles.",
        "RESOLVED: That authority be delegated to the Director of Housing, in consultation with the Cabinet "
        "Member for Environment, for the contract award.",
    ]


def test_an_interest_declared_in_a_later_item_does_not_start_it():
    sentences = drafting.split_sentences(
        [
            {"start": 0.0, "end": 3.0, "speaker": "", "text": "Item one, declarations of interest."},
            {
                "start": 3.0,
                "end": 7.0,
                "speaker": "",
                "text": "Chair, I'm a governor at the school in item two.",
            },
            {"start": 7.0, "end": 9.0, "speaker": "", "text": "Thank you, noted."},
            {"start": 9.0, "end": 12.0, "speaker": "", "text": "Item two, the school transport review."},
        ]
    )
    assert drafting.align(sentences, ["Declarations of Interest", "School Transport Review"]) == [0, 0, 0, 1]
