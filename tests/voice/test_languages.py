"""A caller the council cannot serve in English hears the interpreter callback in their own language
first (``voice.languages``), on a SIP call (espeak-ng's voice for it) and on a webhook call (<Say
language=...>), and can key the number to ring back."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from residenthub.speech.types import Segment, Transcript
from residenthub.voice import actions, dialog, languages, tts, twiml
from residenthub.voice.models import Call, Callback
from residenthub.voice.pipeline import understand_text

pytestmark = pytest.mark.django_db

POLISH = "Dzień dobry, chciałabym zgłosić, że mój kosz na śmieci nie został opróżniony."
SOMALI = "Subax wanaagsan, qashinkayga lama qaadin maanta."


def heard_in(language: str, text: str):
    transcript = Transcript(segments=[Segment(0.0, 4.0, text)], language=language, language_probability=0.97)
    return understand_text(text, transcript)


def first_turn(language: str, text: str, caller: str = ""):
    call = actions.start_call(via=Call.Via.SIMULATOR, caller=caller)
    dialog.start(call)
    return call, dialog.hear(call, heard_in(language, text))


def test_a_polish_caller_with_a_withheld_number_is_told_in_polish_and_asked_to_key_it(catalogue):
    call, reply = first_turn("pl", POLISH)
    polish = languages.PHRASES["pl"]
    assert reply.first == ("pl", f"{polish.callback} {polish.key_number}")
    assert "Polish interpreter" in reply.say and reply.say.endswith(dialog.ASK_NUMBER)
    assert reply.expect == "number" and reply.action == "listen"
    assert Callback.objects.get(call=call).reason == Callback.Reason.INTERPRETER
    final = dialog.hear(call, understand_text("07700900123"))  # keyed
    assert final.action == "hangup"
    assert final.first == ("pl", f"{polish.thanks} 0 7 7 0 0, 9 0 0 1 2 3. {polish.goodbye}")
    assert Callback.objects.get(call=call).number == "+447700900123"
    said = [turn["text"] for turn in call.turns if turn["who"] == "hub"]
    assert said[-4:] == [reply.first[1], reply.say, final.first[1], final.say]  # their language first


def test_a_polish_caller_whose_number_we_have_hears_goodbye_in_polish(catalogue):
    _call, reply = first_turn("pl", POLISH, caller="07700 900456")
    polish = languages.PHRASES["pl"]
    assert reply.first == ("pl", f"{polish.callback} {polish.goodbye}") and reply.action == "hangup"


def test_the_number_asked_again_and_then_the_councils_number_in_the_callers_language(catalogue, settings):
    call, _ = first_turn("ar", "مرحبا، لم يتم جمع القمامة اليوم")
    arabic = languages.PHRASES["ar"]
    again = dialog.hear(call, understand_text("لا أعرف"))
    assert again.first == ("ar", arabic.key_number) and again.say == dialog.ASK_NUMBER_AGAIN
    last = dialog.hear(call, understand_text("لا"))
    assert last.action == "hangup"
    assert last.first[1].startswith(arabic.call_us)
    assert languages.digits(settings.COUNCIL_PHONE) in last.first[1]


def test_a_language_without_written_phrases_gets_the_english_message_only(catalogue):
    _call, reply = first_turn("so", SOMALI, caller="07700 900456")
    assert reply.first is None and "interpreter" in reply.say


def test_an_english_callers_replies_are_never_said_in_another_language(catalogue):
    call, replies = first_turn("en", "I want to speak to a person")
    assert replies.first is None and replies.expect == "number"
    assert dialog.hear(call, understand_text("07700 900123")).first is None


def test_every_language_has_every_phrase_and_a_voice_espeak_knows():
    voices = None
    if shutil.which("espeak-ng"):
        import subprocess

        listing = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True, check=True).stdout
        voices = {line.split()[1] for line in listing.splitlines()[1:] if line.split()}
    for code, phrases in languages.PHRASES.items():
        assert code in dialog.LANGUAGE_NAMES, code
        written = [phrases.callback, phrases.key_number, phrases.thanks, phrases.call_us, phrases.goodbye]
        assert all(written), code
        if voices is not None:
            assert phrases.espeak_voice in voices, code


def test_webhook_says_the_callers_language_first_and_listens_in_it(catalogue):
    _call, reply = first_turn("pl", POLISH)
    xml = twiml.response(reply, action_url="https://hub.example/voice/twiml/gather/")
    polish_say = xml.index('<Say language="pl-PL">Oddzwonimy')
    assert polish_say < xml.index('<Say voice="alice" language="en-GB">I think you are speaking Polish')
    assert 'input="dtmf speech" finishOnKey="#"' in xml and 'language="pl-PL" hints=' in xml


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng not installed")
def test_a_sip_call_speaks_the_callers_language_with_its_own_voice(catalogue, monkeypatch):
    _call, reply = first_turn("pl", POLISH)
    voices = []
    real = tts._speak

    def spy(text, voice):
        voices.append(voice)
        return real(text, voice)

    monkeypatch.setattr(tts, "_speak", spy)
    parts = list(tts.speak_reply(reply))
    assert voices[0] == "pl" and set(voices[1:]) == {tts.settings.VOICE_TTS_VOICE}
    assert all(isinstance(p, np.ndarray) and p.size > 4000 for p in parts)


@pytest.mark.parametrize(
    ("said", "language", "number"),
    [
        ("zero siedem siedem zero zero, dziewięć zero zero, jeden dwa trzy", "pl", "+447700900123"),
        ("cero siete siete cero cero nueve cero cero uno dos tres", "es", "+447700900123"),
        ("null sieben sieben null null neun null null eins zwei drei", "de", "+447700900123"),
        ("٠٧٧٠٠ ٩٠٠١٢٣", "ar", "+447700900123"),  # Arabic-Indic digits, as Whisper writes Arabic
        ("०७७०० ९००१२३", "hi", "+447700900123"),  # Devanagari
        ("07700 900123", "pl", "+447700900123"),
    ],
)
def test_an_interpreter_caller_may_say_the_number_in_their_language(said, language, number):
    assert dialog.spoken_phone_number(said, language) == number


def test_another_languages_digit_words_are_not_read_in_an_english_call():
    # "um" is one in Portuguese and a hesitation in English.
    assert (
        dialog.spoken_phone_number("um, oh seven seven double oh, nine oh oh, one two three")
        == "+447700900123"
    )
    assert dialog.spoken_phone_number("siedem siedem") is None


def test_a_polish_caller_says_the_number_in_polish(catalogue):
    call, _reply = first_turn("pl", POLISH)
    final = dialog.hear(
        call, understand_text("zero siedem siedem zero zero dziewięć zero zero jeden dwa trzy")
    )
    assert final.action == "hangup" and Callback.objects.get(call=call).number == "+447700900123"
