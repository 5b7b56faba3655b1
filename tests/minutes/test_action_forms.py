"""Actions in the forms UK committee minutes write them (ADR 0167): the owner after the verb ("asked
X to", "requested ... from X", "to be circulated by X"), "it was agreed that X would", short first
names, and deadlines such as "ahead of the next meeting". Our own sentences, other names and topics
than the benchmark's."""

import datetime as dt

import pytest

from residenthub.minutes import dates, drafting

PEOPLE = drafting.parse_attendees(
    """Councillor Rhiannon Pryce, chair
Councillor Owain Lloyd, member
Ian Crowther, officer, Head of Housing
Fiona Carmichael, officer, Head of Revenues"""
)
MEETING = dt.date(2027, 6, 9)
NEXT_MEETING = (MEETING + dt.timedelta(days=28)).isoformat()


def _one(text: str) -> drafting.DraftItem:
    segments = [{"start": 0.0, "end": 4.0, "speaker": "", "text": text}]
    return drafting.draft(segments, [], PEOPLE, meeting_date=MEETING).items[0]


@pytest.mark.parametrize(
    ("text", "owner", "due"),
    [
        (
            "It was agreed that Ian would arrange a site visit by the next meeting.",
            "Ian Crowther",
            NEXT_MEETING,
        ),
        (
            "We agreed that Ian should write to the landlords within a fortnight.",
            "Ian Crowther",
            "2027-06-23",
        ),
        (
            "Members requested an update on empty homes from Ian ahead of the next meeting.",
            "Ian Crowther",
            NEXT_MEETING,
        ),
        (
            "The revised fees schedule to be circulated to members by Fiona within a fortnight.",
            "Fiona Carmichael",
            "2027-06-23",
        ),
        (
            "Fiona has agreed to chase the contractor and let members know by end of July.",
            "Fiona Carmichael",
            "2027-07-31",
        ),
    ],
)
def test_minutes_forms_of_an_action(text, owner, due):
    item = _one(text)
    assert not item.decisions, text
    assert len(item.actions) == 1, text
    assert (item.actions[0].owner, item.actions[0].due) == (owner, due)


@pytest.mark.parametrize(
    "text",
    [
        "The housing strategy is expected to be circulated in the autumn.",
        "Members requested more funding from the government for temporary accommodation.",
        "The figures were due to be published in May.",
    ],
)
def test_forecasts_and_requests_of_others_are_not_actions(text):
    assert not _one(text).actions, text


def test_a_three_letter_name_counts_only_with_its_capital():
    assert drafting._names_attendee("It was agreed that Ian would help.", PEOPLE)
    assert not drafting._names_attendee("it was agreed that ian would help", PEOPLE)


@pytest.mark.parametrize("said", ["ahead of the next meeting", "in advance of the next meeting"])
def test_ahead_of_the_next_meeting_is_the_next_meeting(said):
    assert dates.find_due_date(said, MEETING, next_meeting_days=28) == MEETING + dt.timedelta(days=28)


@pytest.mark.parametrize(
    ("said", "days"),
    [
        ("Ian to write to the landlords, my next meeting.", 28),  # "by the" misheard
        ("report back either next meeting", 28),
        ("send the list within a four-night", 14),  # "fortnight" as the recogniser hears it
    ],
)
def test_deadlines_as_the_recogniser_hears_them(said, days):
    assert dates.find_due_date(said, MEETING, next_meeting_days=28) == MEETING + dt.timedelta(days=days)


@pytest.mark.parametrize("said", ["Our next meeting is on the town hall steps.", "until the next meeting"])
def test_a_meeting_named_is_not_a_deadline(said):
    assert dates.find_due_date(said, MEETING, next_meeting_days=28) is None


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        # The verb misheard, the owner and what they agreed to do still there.
        ("Fiona Carmichael has agreed to chaise the contractor and let members know.", "Fiona Carmichael"),
        ("Ian kindly offered to draught a reply to the tenants.", "Ian Crowther"),
        # The owner after a passive task, with no date.
        ("The voids figures to be circulated to members by Ian Crowther.", "Ian Crowther"),
    ],
)
def test_an_owner_named_for_a_task_whatever_the_verb(text, owner):
    item = _one(text)
    assert [a.owner for a in item.actions] == [owner] and not item.decisions, text


@pytest.mark.parametrize(
    "text",
    [
        "Councillor Owain Lloyd agreed to the amendment.",
        "Ian had agreed to review the lettings policy last year.",
        "Fiona said she had volunteered to help at the food bank.",
        "The voids figures are expected to be circulated by the government.",
    ],
)
def test_agreeing_to_a_proposal_a_history_or_others_tasks_are_not_actions(text):
    assert not _one(text).actions, text


def test_end_on_next_month_is_the_end_of_next_month():
    assert dates.find_due_date("let members know by the end on next month", MEETING) == dt.date(2027, 7, 31)


@pytest.mark.parametrize(
    "text",
    [
        "Councillor Lloyd moved the recommendation and the committee agreed to approve the revised fees.",
        "On the proposal of Councillor Pryce, the committee agreed to adopt the empty homes strategy.",
    ],
)
def test_a_resolution_naming_an_attendee_before_agreed_to_stays_a_resolution(text):
    """The owner-named task forms only add actions; they never take a resolution away."""
    item = _one(text)
    assert len(item.decisions) == 1, text
