"""The conversation: greet, listen, triage, confirm, take the report one question at a time (or
hand over), read the reference back. The same steps for SIP calls, webhooks and the simulator.

Everything the caller says is kept in ``Call.state`` until the last answer is confirmed; only then
is the case created (in one transaction), so a caller who hangs up half way leaves nothing
half-saved, only a callback for staff.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from residenthub.core.models import Address
from residenthub.core.validators import display_uk_phone, normalise_postcode, normalise_uk_phone
from residenthub.services import questions as form_questions
from residenthub.services.models import Service
from residenthub.triage import urgency
from residenthub.triage.extract import find_dates
from residenthub.triage.prefill import prefill

from . import actions, languages, queries, speaking
from .models import Call, Callback
from .pipeline import Understanding, flag_phrase

YES = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|aye|correct|right|that's right|that is right|it is|sure|ok|okay|please|"
    r"yes please|go ahead|that's it|exactly)\b",
    re.I,
)
NO = re.compile(r"\b(?:no|nope|not right|wrong|incorrect|that's not|that is not|isn't|nah)\b", re.I)
PERSON = re.compile(r"\b(?:person|human|someone|somebody|operator|advisor|adviser|agent|real person)\b", re.I)
SKIP = re.compile(r"\b(?:skip|don't know|do not know|not sure|no idea|pass)\b", re.I)
# "Sorry, can you say that again?": the last question is asked again, not counted as a miss.
# Not at the first question, where "a repeat prescription" or "they didn't come again" is the problem.
REPEAT = re.compile(
    r"\b(?:repeat (?:that|it|the question|yourself|please)|say (?:that|it) again|pardon|"
    r"what did you say|(?:didn't|did not) (?:catch|hear|get|understand) (?:that|it|you|what you said))\b"
    r"|^\W*(?:sorry\W*)?(?:repeat|come again)\W*$",
    re.I,
)
MAX_REPEATS = 3
# Keys on the phone's keypad when yes or no is asked (offered when a yes or no was not understood).
KEYS_YES_NO = {"1": True, "2": False}
YES_NO_AGAIN = "Sorry, please say yes or no, or press 1 for yes and 2 for no."
SPOKEN_TYPES = {
    "text",
    "textarea",
    "number",
    "choice",
    "choices",
    "yesno",
    "location",
    "date",
    "postcode",
    "address",
}
LANGUAGE_NAMES = {
    "cy": "Welsh", "pl": "Polish", "ro": "Romanian", "ur": "Urdu", "bn": "Bengali", "pa": "Punjabi",
    "gu": "Gujarati", "ar": "Arabic", "so": "Somali", "tr": "Turkish", "pt": "Portuguese", "es": "Spanish",
    "fr": "French", "it": "Italian", "de": "German", "lt": "Lithuanian", "zh": "Chinese", "ta": "Tamil",
    "fa": "Persian", "uk": "Ukrainian", "ru": "Russian", "hi": "Hindi", "bg": "Bulgarian",
}  # fmt: skip
MAX_MISSES = 2
SILENCE = "Silence or noise only"


@dataclass
class Reply:
    say: str
    action: str = "listen"  # "listen", "hangup", "transfer"
    transfer_to: str = ""
    expect: str = "speech"  # "yesno" when only yes or no will do (shorter listening); "number": digits
    first: tuple[str, str] | None = None  # (language, words) said before ``say``: an interpreter caller's

    def as_dict(self) -> dict:
        return {
            "say": self.say,
            "action": self.action,
            "transfer_to": self.transfer_to,
            "expect": self.expect,
            "first": {"language": self.first[0], "say": self.first[1]} if self.first else None,
        }


def yes_or_no(text: str) -> bool | None:
    keyed = (text or "").strip().rstrip(".")
    if keyed in KEYS_YES_NO:
        return KEYS_YES_NO[keyed]
    if NO.search(text or ""):
        return False
    if YES.search(text or ""):
        return True
    return None


def greeting() -> str:
    return settings.VOICE_GREETING.format(council=settings.COUNCIL_NAME)


def start(call: Call, *, can_transfer: bool = True) -> Reply:
    """``can_transfer``: the channel can put the caller through (webhooks' <Dial>; not our SIP agent)."""
    call.state = {"step": "problem", "misses": 0, "attempts": 0, "answers": {}, "can_transfer": can_transfer}
    reply = Reply(greeting())
    actions.say(call, reply.say)
    return reply


# Service names that start with what the resident does ("Report a street light fault", "Apply for a
# resident parking permit") follow "I think you want to"; the others ("Council tax - tell us you are
# moving home", "School admissions enquiry") are said as what the call is about.
_DOING = frozenset(
    [
        "apply",
        "ask",
        "book",
        "borrow",
        "buy",
        "cancel",
        "challenge",
        "change",
        "check",
        "claim",
        "complain",
        "contact",
        "find",
        "get",
        "give",
        "join",
        "make",
        "order",
        "pay",
        "register",
        "renew",
        "replace",
        "report",
        "request",
        "tell",
        "update",
    ]
)


def _service_sentence(service: Service) -> str:
    """ "I think you want to report a street light fault" or "I think this is about council tax: tell
    us you are moving home" (not "I think you want to council tax - ...")."""
    name = service.name.strip().rstrip(".")
    name = name[:1].lower() + name[1:]
    if name.split(" ", 1)[0] in _DOING:
        return f"I think you want to {name}"
    return "I think this is about " + re.sub(r"\s+-\s+", ": ", name)


def _spoken_answer(question, value: Any) -> str:
    if isinstance(value, dict) and "text" in value:
        return str(value["text"])
    if isinstance(value, dict):
        return ", ".join(str(v) for v in (value.get("description"), value.get("postcode")) if v)
    if question.type in {"choice", "yesno"}:
        return question.choice_label(str(value)).lower() if question.choices else str(value)
    if isinstance(value, list):
        return "; ".join(question.choice_label(v).lower() for v in value)
    return str(value)


def _question_prompt(question) -> str:
    text = question.label.rstrip()
    if question.type == "choice" and question.choices:
        options = "; ".join(c.label for c in question.choices)
        text += f" You can say: {options}."
    elif question.type == "yesno":
        text += " Please say yes or no."
    elif question.type == "address":
        text += " Please say the house number, the street and the postcode."
    if not question.required:
        text += " You can say skip."
    return text


def _match_choices(question, text: str) -> list[str]:
    said = set(re.findall(r"[a-z]+", text.lower())) - {"the", "a", "it", "is", "and", "or", "on", "of", "to"}
    scored = []
    for choice in question.choices:
        words = set(re.findall(r"[a-z]+", f"{choice.label} {choice.value.replace('_', ' ')}".lower()))
        overlap = len(said & words)
        if overlap:
            scored.append((overlap, choice.value))
    scored.sort(reverse=True)
    if question.type == "choices":
        return [v for _s, v in scored]
    if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return [scored[0][1]]
    return []


def spoken_postcode(text: str) -> str:
    """A postcode said aloud ("E20 1AB", "e 2 0, 1 a b"): the shortest run of words ending latest."""
    words = re.findall(r"[A-Za-z0-9]+", text)
    for end in range(len(words), 0, -1):
        for start in range(end - 1, max(end - 8, 0) - 1, -1):
            candidate = "".join(words[start:end])
            if len(candidate) > 7:
                break
            found = normalise_postcode(candidate) if len(candidate) >= 5 else None
            if found:
                return found
    return ""


def _spoken_address(text: str) -> dict | None:
    """The council's address when the caller said its postcode and number; else the words as said."""
    postcode = spoken_postcode(text)
    if not postcode:
        return None
    numbers = re.findall(r"\b\d+[a-z]?\b", text.lower())
    for address in Address.objects.filter(postcode=postcode):
        line = address.line1.lower()
        if numbers and re.match(rf"(?:flat \S+, )?{re.escape(numbers[0])}\b", line):
            return {"uprn": address.uprn, "text": address.single_line, "postcode": address.postcode}
    said = text.strip()[:200]
    return {"uprn": "", "text": said, "postcode": postcode, "line1": said, "line2": "", "town": ""}


def parse_spoken(question, text: str, today=None) -> tuple[Any, str]:
    """(value, "") when the spoken answer is valid for the question, else (None, what to say)."""
    post = QueryDict(mutable=True)
    kind = question.type
    if kind == "address":
        value = _spoken_address(text)
        if value is None:
            return None, "Sorry, I did not catch a postcode. Please say the address with its postcode."
        return value, ""
    if kind == "postcode":
        text = spoken_postcode(text) or text
    if kind == "location":
        post[f"{question.name}-description"] = text
    elif kind == "date":
        dates = find_dates(text, today or timezone.localdate())
        if not dates:
            return None, "Sorry, I did not catch a date. Please say it like: the third of March."
        year, month, day = dates[0].split("-")
        post.update(
            {f"{question.name}-day": day, f"{question.name}-month": month, f"{question.name}-year": year}
        )
    elif kind in {"choice", "choices"}:
        matches = _match_choices(question, text)
        if not matches:
            return None, "Sorry, I did not catch which one. " + _question_prompt(question)
        post.setlist(question.name, matches) if kind == "choices" else post.__setitem__(
            question.name, matches[0]
        )
    elif kind == "yesno":
        answer = yes_or_no(text)
        if answer is None:
            return None, "Please say yes or no."
        post[question.name] = "yes" if answer else "no"
    elif kind == "number":
        digits = re.findall(r"\d+", text)
        post[question.name] = digits[0] if digits else text
    else:
        post[question.name] = text
    outcome = form_questions.parse(question, post, None, session_key="phone")
    if not outcome.ok:
        return None, f"Sorry, {outcome.errors[0][1]}. " + _question_prompt(question)
    return outcome.value, ""


def _next_question(call: Call, service: Service):
    answers = call.state.get("answers", {})
    for question in service.form.shown_questions(answers):
        if question.name in answers or question.name in call.state.get("skipped", []):
            continue
        if not question.required:
            continue  # optional questions are for the web form; the phone keeps calls short
        return question
    return None


def _callback(call: Call, reason: str, detail: str, rank: int, say: str, *, ask_number: bool = True) -> Reply:
    actions.book_callback(call, reason=reason, detail=detail, rank=rank)
    return _goodbye(call, say, ask_number=ask_number)


ASK_NUMBER = (
    "We cannot see the number you are calling from. Please say the phone number we should call you back on,"
    " or key it in and then press the hash key."
)
ASK_NUMBER_AGAIN = (
    "Sorry, I did not catch a phone number. Please say it one digit at a time, or key it in and press hash."
)
_NUMBER_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9",
}  # fmt: skip
_REPEATS = {"double": 2, "treble": 3, "triple": 3}


def spoken_phone_number(text: str, language: str | None = None) -> str | None:
    """A UK phone number said aloud ("oh seven seven double oh, nine oh oh one two three", or the digits
    the recogniser wrote, in any script: Arabic-Indic, Devanagari, Bengali...) as E.164, or None when
    what was heard is not a valid UK number. With an interpreter caller's ``language``, its digit words
    count too ("zero siedem siedem ...")."""
    words = {**_NUMBER_WORDS, **languages.digit_words(language)}
    digits, repeat = "", 1
    for token in re.findall(r"\+|\d+|[^\W\d_]+", (text or "").lower()):
        if token in {"+", "plus"}:
            digits += "+"
        elif token.isdecimal() or token in words:
            said = "".join(str(unicodedata.decimal(c)) for c in token) if token.isdecimal() else words[token]
            digits += said[0] * repeat + said[1:]
            repeat = 1
        elif token in _REPEATS:
            repeat = _REPEATS[token]
    # "Oh, it's 07700 ...": an exclamation heard as a zero in front.
    for candidate in (digits, digits[1:] if digits.startswith("00") else ""):
        number = normalise_uk_phone(candidate) if candidate else None
        if number:
            return number
    return None


def _spoken(call: Call, reply: Reply, words) -> Reply:
    """Say ``reply``; to a caller booked an interpreter, first in their own language, when
    ``languages`` has it: ``words(phrases)`` builds what is said in it."""
    language = call.state.get("interpreter_language")
    found = languages.phrases(language)
    if found:
        reply.first = (language, words(found))
        actions.say(call, reply.first[1])
    actions.say(call, reply.say)
    return reply


def _goodbye(call: Call, say: str, *, ask_number: bool = True) -> Reply:
    """End the call with ``say``; but when a callback is booked and there is no number to ring (the
    caller's was withheld), ask for one first instead of saying goodbye (not of a caller we could not
    hear at all: ``ask_number`` False)."""
    if ask_number and Callback.objects.filter(call=call).exists() and not queries.callback_number(call):
        call.state.update({"step": "callback_number", "number_misses": 0})
        say = f"{say.removesuffix('Goodbye.').rstrip()} {ASK_NUMBER}"
        return _spoken(call, Reply(say, expect="number"), lambda p: f"{p.callback} {p.key_number}")
    return _spoken(call, Reply(say, "hangup"), lambda p: f"{p.callback} {p.goodbye}")


def _callback_number(call: Call, heard: Understanding) -> Reply:
    number = spoken_phone_number(heard.text, call.state.get("interpreter_language"))
    if number:
        actions.record_callback_number(call, number)
        shown = display_uk_phone(number)
        say = f"Thank you. We will call you back on {speaking.phone_number(shown)}. Goodbye."
        spoken_digits = languages.digits(shown)
        return _spoken(call, Reply(say, "hangup"), lambda p: f"{p.thanks} {spoken_digits}. {p.goodbye}")
    call.state["number_misses"] = call.state.get("number_misses", 0) + 1
    if call.state["number_misses"] <= 1:
        return _spoken(call, Reply(ASK_NUMBER_AGAIN, expect="number"), lambda p: p.key_number)
    say = (
        "I am sorry, I could not take a number. Please call us again on "
        f"{speaking.phone_number(settings.COUNCIL_PHONE)}, in office hours. Goodbye."
    )
    council = languages.digits(settings.COUNCIL_PHONE)
    return _spoken(call, Reply(say, "hangup"), lambda p: f"{p.call_us} {council}. {p.goodbye}")


def _emergency(call: Call, heard: Understanding) -> Reply:
    flags = heard.flags
    contacts = urgency.contacts_for(flags) if flags else []
    if not contacts:
        contacts = urgency.contacts_for([urgency.Flag("fallen", "", "urgent")])
    lines = []
    for contact in contacts:
        if contact.key == "999":
            lines.append("If anyone is in danger now, hang up and call 9 9 9.")
        else:
            lines.append(
                f"Call the {contact.name} on {speaking.phone_number(contact.number)}, {contact.when}."
            )
    phrases = "; ".join(flag_phrase(f) for f in heard.flag_dicts() if f.get("phrase"))
    actions.book_callback(call, reason=Callback.Reason.URGENT, detail=phrases, rank=0)
    actions.set_outcome(call, Call.Outcome.EMERGENCY)
    if settings.VOICE_PRIORITY_TRANSFER and call.state.get("can_transfer", True):
        say = " ".join(lines) + " I am putting you through to our priority line now."
        actions.say(call, say)
        return Reply(say, "transfer", settings.VOICE_PRIORITY_TRANSFER)
    return _goodbye(call, " ".join(lines) + " A member of our staff will call you back first. Goodbye.")


def _interpreter(call: Call, language: str) -> Reply:
    """An interpreter callback, said first in the caller's language where we can (``languages``)."""
    name = LANGUAGE_NAMES.get(language, language)
    say = (
        f"I think you are speaking {name}. I can only help in English, so we will call you back "
        f"with a {name} interpreter. Goodbye."
    )
    call.state["interpreter_language"] = language
    return _callback(call, Callback.Reason.INTERPRETER, f"Language heard: {name} ({language})", 2, say)


def _ask_again(call: Call, reason: str, prompt: str, *, expect: str = "speech") -> Reply:
    call.state["misses"] = call.state.get("misses", 0) + 1
    if call.state["misses"] > MAX_MISSES:
        say = "I am sorry, I could not understand. A member of our staff will call you back. Goodbye."
        heard_nothing = reason == SILENCE
        return _callback(call, Callback.Reason.NOT_UNDERSTOOD, reason, 2, say, ask_number=not heard_nothing)
    actions.say(call, prompt)
    return Reply(prompt, expect=expect)


_EXPECTED = {"confirm": "yesno", "confirm_answer": "yesno", "sms": "yesno", "callback_number": "number"}


def _repeat(call: Call) -> Reply | None:
    """The agent's last words again, when the caller asks ("pardon?"), up to ``MAX_REPEATS`` a call."""
    said = [turn["text"] for turn in call.turns if turn["who"] == "hub"]
    if not said or call.state.get("repeats", 0) >= MAX_REPEATS:
        return None
    call.state["repeats"] = call.state.get("repeats", 0) + 1
    say = f"Of course. {said[-1]}"
    actions.say(call, say)
    return Reply(say, expect=_EXPECTED.get(call.state.get("step", ""), "speech"))


def hear(call: Call, heard: Understanding) -> Reply:
    """What the caller said (already understood) -> what to say next. Persists every turn."""
    state = call.state
    actions.heard(call, heard)
    if heard.result is not None and heard.emergency and not state.get("emergency_given"):
        state["emergency_given"] = True
        return _emergency(call, heard)
    step = state.get("step", "problem")
    if step == "callback_number":
        return _callback_number(call, heard)
    if heard.silent:
        prompt = "Sorry, I did not hear anything. " + (
            "Please tell me in a few words what you need." if step == "problem" else "Please answer again."
        )
        return _ask_again(call, SILENCE, prompt)
    if step != "problem" and REPEAT.search(heard.text) and len(heard.text.split()) <= 8:
        again = _repeat(call)
        if again is not None:
            return again
    if PERSON.search(heard.text) and step in {"problem", "confirm"}:
        say = "Of course. A member of our staff will call you back. Goodbye."
        return _callback(call, Callback.Reason.ASKED, "Asked for a person", 2, say)
    if step == "problem":
        lead = _danger_line(call, heard)
        reply = _problem(call, heard)
        return replace(reply, say=f"{lead} {reply.say}") if lead else reply
    if step == "confirm":
        return _confirm(call, heard)
    if step == "question":
        return _answer(call, heard)
    if step == "confirm_answer":
        return _confirm_answer(call, heard)
    if step == "sms":
        return _sms(call, heard)
    return Reply("Goodbye.", "hangup")


DANGER_LINE = "If anyone is in danger now, hang up and call 9 9 9."


def _danger_line(call: Call, heard: Understanding) -> str:
    """Once a call, the 999 line, when only the learned model heard an emergency or a person at risk in
    the caller's words (ADR 0175); the rules' emergencies end the call with their numbers instead."""
    learned = any(f.category == urgency.CALLER_MODEL.category for f in heard.flags)
    if not learned or call.state.get("danger_line_given"):
        return ""
    call.state["danger_line_given"] = True
    actions.say(call, DANGER_LINE)
    return DANGER_LINE


def _problem(call: Call, heard: Understanding) -> Reply:
    state = call.state
    language = heard.transcript.language
    if (
        heard.transcript.segments
        and language not in settings.VOICE_LANGUAGES
        and heard.transcript.language_probability >= settings.VOICE_LANGUAGE_MIN_PROBABILITY
    ):
        return _interpreter(call, language)
    result = heard.result
    if heard.urgent and not state.get("vulnerable_noted"):
        state["vulnerable_noted"] = True
        phrases = "; ".join(flag_phrase(f) for f in heard.flag_dicts() if f.get("phrase"))
        actions.book_callback(call, reason=Callback.Reason.VULNERABLE, detail=phrases, rank=1, final=False)
    best = result.best if result else None
    service = Service.objects.filter(code=best.code, active=True).first() if best else None
    if service is None or best.confidence < settings.VOICE_MIN_CONFIDENCE:
        state["attempts"] = state.get("attempts", 0) + 1
        return _ask_again(
            call,
            f"Not understood: {heard.text[:200]}",
            "Sorry, I am not sure what you need. Please tell me again in a few words, or say person.",
        )
    filled = prefill(service, heard.text, result.details)["answers"]
    spoken = []
    for question in service.form.questions:
        if question.name in filled and question.type in SPOKEN_TYPES and question.type != "textarea":
            spoken.append(_spoken_answer(question, filled[question.name]))
    state.update({"step": "confirm", "service": service.code, "prefilled": filled})
    actions.set_service(call, service, best.confidence)
    about = f", {'; '.join(spoken)}" if spoken else ""
    say = f"{_service_sentence(service)}{about}. Is that right?"
    actions.say(call, say)
    return Reply(say, expect="yesno")


def _confirm(call: Call, heard: Understanding) -> Reply:
    state = call.state
    answer = yes_or_no(heard.text)
    if answer is None:
        return _ask_again(call, "No yes or no", YES_NO_AGAIN, expect="yesno")
    if not answer:
        state.update({"step": "problem", "service": "", "prefilled": {}})
        state["attempts"] = state.get("attempts", 0) + 1
        if state["attempts"] > MAX_MISSES:
            say = "I am sorry I could not help. A member of our staff will call you back. Goodbye."
            return _callback(call, Callback.Reason.NOT_UNDERSTOOD, "Service not confirmed", 2, say)
        say = "Sorry. Please tell me again what you need, in a few words."
        actions.say(call, say)
        return Reply(say)
    state["answers"] = dict(state.get("prefilled", {}))
    state["problem_text"] = call.caller_words
    return _ask_next(call)


def _service(call: Call) -> Service:
    return Service.objects.get(code=call.state["service"])


def _ask_next(call: Call) -> Reply:
    service = _service(call)
    question = _next_question(call, service)
    if question is None:
        return _offer_sms(call)
    if question.type not in SPOKEN_TYPES:
        say = (
            f"I cannot take this report by phone, because it needs {question.label.lower().rstrip('?')}. "
            "A member of our staff will call you back to finish it. Goodbye."
        )
        return _callback(call, Callback.Reason.CANNOT_TAKE, f"Needs: {question.label}", 2, say)
    call.state.update({"step": "question", "question": question.name})
    say = _question_prompt(question)
    actions.say(call, say)
    return Reply(say)


def _answer(call: Call, heard: Understanding) -> Reply:
    service = _service(call)
    question = service.form.question(call.state["question"])
    if not question.required and SKIP.search(heard.text):
        call.state.setdefault("skipped", []).append(question.name)
        return _ask_next(call)
    value, problem = parse_spoken(question, heard.text)
    if problem:
        return _ask_again(call, f"Could not use the answer to {question.name}", problem)
    call.state.update({"step": "confirm_answer", "pending": value})
    say = f"I heard: {_spoken_answer(question, value)}. Is that right?"
    actions.say(call, say)
    return Reply(say, expect="yesno")


def _confirm_answer(call: Call, heard: Understanding) -> Reply:
    answer = yes_or_no(heard.text)
    service = _service(call)
    question = service.form.question(call.state["question"])
    if answer is None:
        return _ask_again(call, "No yes or no", YES_NO_AGAIN, expect="yesno")
    if not answer:
        call.state["step"] = "question"
        say = "Sorry. " + _question_prompt(question)
        actions.say(call, say)
        return Reply(say)
    call.state["answers"][question.name] = call.state.pop("pending")
    return _ask_next(call)


def _offer_sms(call: Call) -> Reply:
    if actions.mobile_number(call.caller):
        call.state["step"] = "sms"
        say = "Would you like your reference sent by text message to the phone you are calling from?"
        actions.say(call, say)
        return Reply(say, expect="yesno")
    return _finish(call, sms=False)


def _sms(call: Call, heard: Understanding) -> Reply:
    answer = yes_or_no(heard.text)
    if answer is None:
        return _ask_again(call, "No yes or no", YES_NO_AGAIN, expect="yesno")
    return _finish(call, sms=answer)


def _finish(call: Call, *, sms: bool) -> Reply:
    case = actions.take_report(call, sms=sms)
    spoken = speaking.reference(case.reference)
    say = (
        f"Thank you. Your report is made. Your reference is {spoken} Again, that is {spoken}"
        + (" We have sent it to you by text message." if sms else "")
        + " Goodbye."
    )
    return _goodbye(call, say)  # a vulnerable caller's callback still needs a number to ring


def caller_hung_up(call: Call) -> None:
    """Nothing half-saved: answers given so far stay on the call only; staff get a callback."""
    actions.hung_up(call)


def too_long(call: Call) -> Reply:
    say = (
        "I am sorry, this call has gone on too long for me. A member of our staff will call you back "
        "to finish. Goodbye."
    )
    actions.book_callback(call, reason=Callback.Reason.CUT_OFF, detail="Call cut at the time limit", rank=2)
    actions.set_outcome(call, Call.Outcome.CUT_OFF)
    actions.say(call, say)
    return Reply(say, "hangup")
