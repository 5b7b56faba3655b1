"""The conversation, driven with text (speech is tested in tests/speech and the end-to-end call)."""

from __future__ import annotations

import pytest

from residenthub.cases.models import Case, Channel, NotifyBy, Priority
from residenthub.core.models import AuditEntry
from residenthub.voice import actions, dialog, queries
from residenthub.voice.models import Call, Callback
from residenthub.voice.pipeline import understand_text
from residenthub.voice.speaking import phone_number, reference

pytestmark = pytest.mark.django_db

STREET_LIGHT = "the street light outside number 4 Riverside Close has been out for a week"


def call_with(*lines: str, caller: str = "") -> tuple[Call, list[dialog.Reply]]:
    call = actions.start_call(via=Call.Via.SIMULATOR, caller=caller)
    replies = [dialog.start(call)]
    for line in lines:
        replies.append(dialog.hear(call, understand_text(line)))
        if replies[-1].action != "listen":
            break
    return call, replies


def test_street_light_confirmed_then_reference_read_back(catalogue):
    call, replies = call_with(STREET_LIGHT, "yes")
    assert replies[0].say.startswith("Hello, you are through to")
    assert "I think you want to report a street light fault" in replies[1].say
    assert "Riverside Close" in replies[1].say and replies[1].expect == "yesno"
    final = replies[-1]
    assert final.action == "hangup" and "Your reference is" in final.say
    case = Case.objects.get()
    assert case.channel == Channel.PHONE_AUTOMATED and case.get_channel_display() == "Phone (automated)"
    assert case.service.code == "report-street-light" and case.team.slug == "highways"
    assert case.answers["location"]["description"].lower().startswith("outside number 4 riverside close")
    assert case.answers["fault"] == "out"
    assert reference(case.reference) in final.say  # digit by digit, twice
    assert final.say.count(reference(case.reference)) == 2
    call.refresh_from_db()
    assert call.outcome == Call.Outcome.CASE_CREATED and call.case == case
    assert [t["who"] for t in call.turns] == ["hub", "caller", "hub", "caller", "hub"]


def test_questions_one_at_a_time_each_confirmed(catalogue):
    call, replies = call_with(
        "the street lamp is broken",
        "yes",
        "outside the library on Mill Lane",
        "yes",
        "it flickers on and off",
        "no",
        "it does not come on at night",
        "yes",
    )
    says = [r.say for r in replies]
    assert "Where is the street light?" in says[2]
    assert says[3] == "I heard: outside the library on Mill Lane. Is that right?"
    assert says[4].startswith("What is wrong with the light? You can say:")
    assert "flickers" in says[5] and "Sorry. What is wrong" in says[6]
    assert "does not come on at night" in says[7]
    assert "Your reference is" in says[-1]
    case = Case.objects.get()
    assert (
        case.answers["fault"] == "out"
        and case.answers["location"]["description"] == "outside the library on Mill Lane"
    )


def test_sms_offered_to_a_mobile_and_sent(catalogue):
    call, replies = call_with(STREET_LIGHT, "yes", "yes please", caller="07700 900123")
    assert "text message" in replies[2].say
    case = Case.objects.get()
    assert case.notify_by == NotifyBy.SMS and case.contact_phone == "+447700900123"
    assert "sent it to you by text message" in replies[-1].say


def test_gas_and_disabled_mum_gets_the_number_at_once_and_first_callback(catalogue):
    earlier, _ = call_with("my bins were not collected", "yes")  # an ordinary callback-less call
    waiting, _ = call_with("I want to speak to a person")
    call, replies = call_with("there's a smell of gas and my mum is disabled")
    reply = replies[1]
    assert reply.say.startswith("If anyone is in danger now, hang up and call 9 9 9.")
    assert "National Gas Emergency Service on zero eight zero zero, one one one, nine nine nine" in reply.say
    # What to do, in the order to do it, without a second "call" to confuse a frightened caller.
    assert "nine, free, 24 hours a day: leave the building first, without using switches" in reply.say
    assert "then call" not in reply.say
    first = Callback.objects.order_by("rank", "created_at").first()
    assert first.call == call and first.rank == 0 and first.reason == Callback.Reason.URGENT
    assert "gas" in first.detail.lower() and "disabled" in first.detail.lower()
    call.refresh_from_db()
    assert call.outcome == Call.Outcome.EMERGENCY and call.urgent
    assert Callback.objects.filter(call=waiting).get().rank == 2


def test_priority_transfer_when_configured(catalogue, settings):
    settings.VOICE_PRIORITY_TRANSFER = "sip:priority@127.0.0.1"
    _call, replies = call_with("help help someone please help me")
    assert replies[1].action == "transfer" and replies[1].transfer_to == "sip:priority@127.0.0.1"


def test_vulnerable_caller_reports_and_is_called_back_first(catalogue):
    call, replies = call_with(STREET_LIGHT + " and I am disabled and scared to go out in the dark", "yes")
    assert "reference" in replies[-1].say.lower()
    case = Case.objects.get()
    assert case.priority == Priority.URGENT
    callback = Callback.objects.get(call=call)
    assert callback.rank == 1 and callback.reason == Callback.Reason.VULNERABLE and callback.case == case
    assert "disabled" in callback.detail


def test_address_said_with_its_postcode_is_found(catalogue):
    call, replies = call_with(
        "my bins were not collected on Tuesday", "yes", "3 Station Road, E20 1AB", "yes"
    )
    assert "What is the address?" in replies[2].say
    assert replies[3].say == "I heard: 3 Station Road, Demoborough, E20 1AB. Is that right?"
    assert "Which bins were missed?" in replies[4].say
    assert dialog.spoken_postcode("it's e 20, 1 a b") == "E20 1AB"
    assert dialog.parse_spoken(type("Q", (), {"type": "address"})(), "no idea")[0] is None


def test_silence_twice_then_callback(catalogue):
    call, replies = call_with("", "", "")
    assert replies[1].say.startswith("Sorry, I did not hear anything.")
    assert replies[-1].action == "hangup"
    assert Callback.objects.get(call=call).reason == Callback.Reason.NOT_UNDERSTOOD


def test_hang_up_mid_report_saves_nothing_but_a_callback(catalogue):
    call, replies = call_with("the street lamp is broken", "yes", "outside the library on Mill Lane")
    assert replies[-1].expect == "yesno"
    dialog.caller_hung_up(call)
    assert Case.objects.count() == 0
    call.refresh_from_db()
    assert call.outcome == Call.Outcome.ABANDONED and call.ended_at
    callback = Callback.objects.get(call=call)
    assert callback.reason == Callback.Reason.HUNG_UP
    assert callback.detail == "Hung up before confirming the answer to: Where is the street light?"
    assert callback.team.slug == "highways"


def test_hang_up_before_saying_anything_books_nothing(catalogue):
    call, _ = call_with()
    dialog.caller_hung_up(call)
    assert not Callback.objects.exists()


def test_too_long_call_is_cut_with_a_message(catalogue):
    call, _ = call_with("the street lamp is broken")
    reply = dialog.too_long(call)
    assert reply.action == "hangup" and "gone on too long" in reply.say
    call.refresh_from_db()
    assert call.outcome == Call.Outcome.CUT_OFF and call.callback.reason == Callback.Reason.CUT_OFF


def test_not_understood_three_times_gets_a_callback(catalogue):
    call, replies = call_with(
        "purple monkey dishwasher", "elephant trombone", "kazoo banana", "zebra", caller="07700 900123"
    )
    assert replies[-1].action == "hangup"
    assert Callback.objects.get(call=call).reason == Callback.Reason.NOT_UNDERSTOOD


def test_a_withheld_caller_in_danger_is_asked_for_a_number_after_the_emergency_numbers(catalogue):
    call, replies = call_with(
        "there's a smell of gas and my mum is disabled", "oh seven seven double oh, nine oh oh one two three"
    )
    asked = replies[1]
    assert asked.say.startswith("If anyone is in danger now, hang up and call 9 9 9.")
    assert asked.say.endswith(dialog.ASK_NUMBER) and asked.action == "listen" and asked.expect == "number"
    assert "Goodbye" not in asked.say
    final = replies[2]
    assert final.action == "hangup"
    assert "call you back on zero seven seven zero zero, nine zero zero one two three" in final.say
    callback = Callback.objects.get(call=call)
    assert callback.number == "+447700900123" and callback.rank == 0
    assert queries.callback_number(call) == "+447700900123"
    entry = AuditEntry.objects.get(action="voice.callback_number_given")
    assert "07700" not in str(entry.detail) and "447700" not in str(entry.detail)


def test_a_number_not_caught_twice_gets_the_councils_number_and_the_callback_stays(catalogue, settings):
    call, replies = call_with("I want to speak to a person", "I don't know", "no idea, sorry")
    assert replies[1].expect == "number"
    assert replies[2].say == dialog.ASK_NUMBER_AGAIN and replies[2].action == "listen"
    assert replies[3].action == "hangup" and "call us again on zero two zero" in replies[3].say
    assert Callback.objects.get(call=call).number == ""  # still on the list, with the number withheld


def test_a_vulnerable_caller_who_made_a_report_is_asked_for_a_number_after_the_reference(catalogue):
    call, replies = call_with(
        STREET_LIGHT + " and I am disabled and scared to go out in the dark", "yes", "07700 900456"
    )
    case = Case.objects.get()
    asking = next(r for r in replies if r.expect == "number")
    assert "Your reference is" in asking.say and asking.say.endswith(dialog.ASK_NUMBER)
    assert Callback.objects.get(call=call).number == "+447700900456" and case.reference


def test_a_presented_number_is_never_asked_for(catalogue):
    _call, replies = call_with("I want to speak to a person", caller="+44 7700 900123")
    assert replies[-1].action == "hangup" and dialog.ASK_NUMBER not in replies[-1].say


@pytest.mark.parametrize(
    ("said", "number"),
    [
        ("07700 900123", "+447700900123"),
        ("It's oh seven seven double oh nine oh oh one two three.", "+447700900123"),
        ("Oh, 07700 900123", "+447700900123"),
        ("zero two zero, seven nine four six, treble zero one", "+442079460001"),
        ("plus four four seven seven double oh nine oh oh one two three", "+447700900123"),
        ("seven seven double oh", None),
        ("I don't know it", None),
    ],
)
def test_a_phone_number_said_aloud(said, number):
    assert dialog.spoken_phone_number(said) == number


def test_no_audit_detail_holds_what_the_caller_said(catalogue):
    call_with(STREET_LIGHT, "yes", caller="07700 900123")
    for entry in AuditEntry.objects.filter(action__startswith="voice."):
        text = str(entry.detail)
        assert "Riverside" not in text and "07700" not in text


def test_spoken_numbers():
    assert phone_number("0800 111 999") == "zero eight zero zero, one one one, nine nine nine"
    assert reference("DBC-K7MQ-4TXA") == "D, B, C. K, seven, M, Q. four, T, X, A."


@pytest.mark.parametrize(
    ("said", "meaning"),
    [("yes", True), ("yeah that's right", True), ("no", False), ("that's not right", False), ("maybe", None)],
)
def test_yes_or_no(said, meaning):
    assert dialog.yes_or_no(said) is meaning


def test_a_service_named_as_a_topic_is_not_read_as_a_verb():
    """ "I think you want to council tax - tell us ..." was what a caller heard for a service whose name
    does not start with what the resident does."""
    from residenthub.services.models import Service

    assert dialog._service_sentence(Service(name="Report a street light fault")) == (
        "I think you want to report a street light fault"
    )
    assert dialog._service_sentence(Service(name="Council tax - tell us you are moving home")) == (
        "I think this is about council tax: tell us you are moving home"
    )
    assert dialog._service_sentence(Service(name="School admissions enquiry")) == (
        "I think this is about school admissions enquiry"
    )


def test_a_yes_or_no_not_understood_offers_the_keypad_and_takes_a_key(catalogue):
    call, replies = call_with(STREET_LIGHT, "purple monkey", "1")
    assert replies[2].say == dialog.YES_NO_AGAIN and replies[2].expect == "yesno"
    assert call.state["step"] != "confirm" and Case.objects.count() == 1  # 1 was yes: the report is made
    call, replies = call_with(STREET_LIGHT, "hmm", "2")
    assert replies[-1].say.startswith("Sorry. Please tell me again") and call.state["step"] == "problem"


def test_pardon_repeats_the_last_question_without_counting_a_miss(catalogue):
    call, replies = call_with(STREET_LIGHT, "Sorry, can you say that again?")
    assert replies[2].say == f"Of course. {replies[1].say}" and replies[2].expect == "yesno"
    assert call.state.get("misses", 0) == 0 and call.state["step"] == "confirm"
    dialog.hear(call, understand_text("yes"))
    assert Case.objects.count() == 1


def test_repeats_are_limited_so_a_call_cannot_go_round_for_ever(catalogue):
    call, replies = call_with(STREET_LIGHT, *["pardon?"] * (dialog.MAX_REPEATS + 1))
    assert [r.say.startswith("Of course.") for r in replies[2:]] == [True] * dialog.MAX_REPEATS + [False]
    assert replies[-1].say == dialog.YES_NO_AGAIN  # the fourth is a miss like any other


@pytest.mark.parametrize("said", ["I need a repeat prescription", "The bin men didn't come again"])
def test_a_problem_with_repeat_words_in_it_is_not_a_request_to_repeat(catalogue, said):
    _call, replies = call_with(said)
    assert not replies[1].say.startswith("Of course.")


@pytest.mark.parametrize(
    "said", ["Sorry, come again?", "Repeat.", "Could you repeat that please?", "Pardon?"]
)
def test_ways_of_asking_to_hear_the_question_again(catalogue, said):
    _call, replies = call_with(STREET_LIGHT, said)
    assert replies[2].say == f"Of course. {replies[1].say}"
