"""Decisions, actions and due dates through recognition errors (ADR 0170): a day number heard as a
word that sounds like it, an action and a resolution run together with only a comma between, and the
chair's hand-over run into the report after it. Our own sentences, other names and topics than the
benchmark's; each rule beside a look-alike it must not fire on."""

import datetime as dt

import pytest

from residenthub.minutes import dates, drafting

PEOPLE = drafting.parse_attendees(
    """Councillor Bethan Morgan, chair
Councillor Idris Vaughan, member
Nia Pritchard, officer, Head of Housing
Gareth Lewis, officer, Head of Finance"""
)
MEETING = dt.date(2028, 2, 2)


def _item(text: str) -> drafting.DraftItem:
    segments = [{"start": 0.0, "end": 10.0, "speaker": "", "text": text}]
    return drafting.draft(segments, [], PEOPLE, meeting_date=MEETING, correct=False).items[0]


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Gareth to report back on the arrears my sick March 2028.", "2028-03-06"),
        ("Nia will send the list by sick April.", "2028-04-06"),
        ("Nia to confirm the figures by the for of May.", "2028-05-04"),
        ("Circulate the options on sick April.", "2028-04-06"),
        ("The survey closes tree March 2028.", "2028-03-03"),
    ],
)
def test_a_day_heard_as_a_word_that_sounds_like_it(text, due):
    assert dates.find_due_date(text, MEETING).isoformat() == due


@pytest.mark.parametrize(
    "text",
    [
        "The budget for March 2028 is on track.",
        "We are moving on to April's figures.",
        "The plans for March were agreed with residents.",
        "Fees moved to April 2028 after the review.",
        "He was sick March and April.",
    ],
)
def test_prepositions_and_words_before_a_month_are_not_days(text):
    assert dates.find_due_date(text, MEETING) is None


def test_an_action_run_into_the_resolution_gives_both_lines():
    item = _item(
        "Nia Pritchard agreed to share the voids figures with members by next Friday, "
        "so revolting the tenancy strategy be approved."
    )
    assert [a.owner for a in item.actions] == ["Nia Pritchard"]
    assert item.actions[0].due == "2028-02-11"
    assert item.decisions and "tenancy strategy be approved" in item.decisions[0].text


def test_a_resolution_run_into_an_action_gives_both_lines():
    item = _item(
        "The committee resolved that the arrears report be noted, Gareth Lewis to circulate the "
        "collection rates by 1 March."
    )
    assert len(item.decisions) == 1 and "arrears report be noted" in item.decisions[0].text
    assert [(a.owner, a.due) for a in item.actions] == [("Gareth Lewis", "2028-03-01")]


def test_an_action_run_into_a_misheard_resolution_with_no_comma_gives_both_lines():
    # "RESOLVED: That" heard as "with hope that", and no pause heard before it (ADR 0171's note).
    item = _item(
        "Nia Pritchard will bring the voids figures back to the committee within four weeks with hope "
        "that the tenancy strategy will be approved for April."
    )
    assert [(a.owner, a.due) for a in item.actions] == [("Nia Pritchard", "2028-03-01")]
    assert "tenancy strategy" not in item.actions[0].text
    assert item.decisions and "tenancy strategy will be approved" in item.decisions[0].text


@pytest.mark.parametrize(
    "text",
    [
        # The action's own "that the": nothing after it is a resolution.
        "Gareth Lewis will check that the arrears figures are right by 1 March.",
        # One resolution naming an officer's report: no task, not cut.
        "The committee agreed that the report Nia Pritchard brought in January be approved.",
    ],
)
def test_a_that_clause_without_a_comma_is_not_cut_without_both_sides(text):
    item = _item(text)
    assert len(item.decisions) + len(item.actions) == 1


def test_the_owner_stays_with_the_action_when_cut():
    item = _item(
        "Officers were asked to bring the ward figures back by the end of March, with Nia leading, "
        "it was agreed that the allocations policy be noted."
    )
    assert "Nia leading" in item.actions[0].text
    assert "allocations policy be noted" in item.decisions[0].text


@pytest.mark.parametrize(
    "text",
    [
        # One resolution whose words span a comma: not cut, no action.
        "The committee resolved that the report be noted, and that officers review the charges.",
        # A resolution that names an officer and a date but gives nobody a task.
        "It was agreed that the housing plan, presented by Nia Pritchard in January, be approved.",
    ],
)
def test_one_resolution_with_commas_is_not_cut(text):
    item = _item(text)
    assert len(item.decisions) == 1
    assert not item.actions


def test_the_chairs_hand_over_run_into_the_report_is_not_an_action():
    item = _item(
        "I will hand over to Nia Pritchard, the allocations policy was approved in October and "
        "lettings have risen within twelve months."
    )
    assert not item.actions


@pytest.mark.parametrize(
    "text",
    [
        "I will hand over to Nia Pritchard the allocations policy was approved in October and lettings "
        "have risen within twelve months.",
        "So I'll hand over to Councillor Morgan the arrears fell by March and collection is up.",
        "I'd like to hand over to the Head of Finance rent arrears fell within six months of the change.",
    ],
)
def test_a_hand_over_with_no_comma_run_into_the_report_is_not_an_action(text):
    # No comma heard after the name (ADR 0171): the cut falls after the attendee's name or title.
    assert not _item(text).actions


def test_a_hand_over_with_no_comma_keeps_a_task_said_after_it():
    item = _item("I will hand over to Gareth Nia Pritchard to circulate the rent figures by 1 March.")
    assert [(a.owner, a.due) for a in item.actions] == [("Nia Pritchard", "2028-03-01")]


def test_a_hand_over_with_a_task_after_it_keeps_the_task():
    item = _item("I will hand over to Gareth, Nia Pritchard to circulate the rent figures by 1 March.")
    assert [(a.owner, a.due) for a in item.actions] == [("Nia Pritchard", "2028-03-01")]


@pytest.mark.parametrize(
    "text", ["within a fort-ite", "within a Fortnite", "in a fort night", "within a fortnight"]
)
def test_a_fortnight_heard_as_a_sound_alike(text):
    assert dates.find_due_date(f"Nia to send the list {text}.", MEETING) == MEETING + dt.timedelta(days=14)


@pytest.mark.parametrize(
    "text",
    ["within a forthright manner", "in a fortress", "in a fortnightly report", "within a fortified area"],
)
def test_words_near_fortnight_are_not_one(text):
    assert dates.find_due_date(f"The team spoke {text}.", MEETING) is None


@pytest.mark.parametrize("heard", ["hand", "end", "and"])
def test_an_item_called_then_handed_over_is_cut_twice(heard):
    # "Item 2, <title>, I will hand over to X, <the report>" run together: the item call and the
    # hand-over are both cut, so "by 6 percent" in the report is not read as a deadline of X's.
    segments = [
        {
            "start": 0.0,
            "end": 10.0,
            "speaker": "",
            "text": f"Item 2, Empty Homes, I will {heard} over to Nia Pritchard, the number of empty homes "
            "fell by 6 percent this year.",
        }
    ]
    draft = drafting.draft(segments, ["Rents", "Empty Homes"], PEOPLE, meeting_date=MEETING, correct=False)
    assert not [a for item in draft.items for a in item.actions]


def test_end_over_elsewhere_is_not_a_hand_over():
    # Not after "I will" and before "to": no cut, the action stays.
    item = _item("Nia to end overtime claims for the repairs team by 1 March.")
    assert [a.owner for a in item.actions] == ["Nia Pritchard"]


def test_a_resolution_whose_agreed_that_was_lost_is_still_a_resolution():
    item = _item("It was a great idea to update on the empty homes strategy being noted.")
    assert len(item.decisions) == 1 and not item.actions


def test_being_noted_inside_a_sentence_is_not_a_resolution():
    item = _item("Members asked whether the plan being approved by Cabinet would delay the lettings.")
    assert not item.decisions


def test_a_misheard_vote_question_is_not_a_resolution():
    item = _item("At what carried we seek spoke in favour and what against?")
    assert not item.decisions


def test_carried_said_as_a_statement_is_still_the_vote():
    assert _item("The recommendation was put to the vote and carried.").decisions


def test_an_agreed_task_with_that_heard_as_at_is_an_action():
    item = _item("It was agreed at Nia Pritchard would circulate the lettings figures within four weeks.")
    assert [a.owner for a in item.actions] == ["Nia Pritchard"] and not item.decisions


def test_what_has_been_done_beside_a_name_and_a_deadline_is_not_an_action():
    item = _item("A new surveying team has been recruited to inspect homes with Gareth within 10 days.")
    assert not item.actions


def test_has_been_asked_to_with_a_deadline_is_still_an_action():
    item = _item("Gareth Lewis has been asked to send the arrears figures within 10 days.")
    assert [a.owner for a in item.actions] == ["Gareth Lewis"]
