"""Triage of one message: suggestions, flags, languages, translation, bad input."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from residenthub.triage import engine

pytestmark = pytest.mark.django_db


def codes(result):
    return [s.code for s in result.suggestions]


def test_bins_and_rats_offers_missed_bin_and_pest_control():
    result = engine.analyse("the bins weren't collected again and now there's rats")
    assert result.outcome == "suggested"
    assert {"missed-bin", "pest-control"} <= set(codes(result))


def test_done_means_rubbish_and_rats_and_a_neighbour_who_is_90():
    """The issue's own example: two services offered, the vulnerable neighbour flagged for staff."""
    result = engine.analyse(
        "huge pile of rubbish dumped behind the shops and rats everywhere, "
        "my neighbour is 90 and can't get out"
    )
    assert result.outcome == "suggested"
    assert codes(result)[:2] == ["report-fly-tipping", "pest-control"]
    assert next(s for s in result.suggestions if s.code == "pest-control").from_part
    (flag,) = result.flags
    assert (flag.category, flag.kind, flag.phrase) == ("older_or_disabled", "vulnerable", "neighbour is 90")
    assert result.urgent  # a vulnerable resident makes the case urgent for staff


def test_done_means_potholes_on_the_way_to_the_station():
    result = engine.analyse("lot of potholes on the way to the station")
    assert result.outcome == "suggested" and codes(result)[0] == "report-pothole"
    assert result.confidence >= engine.confident_threshold()


def test_stray_dogs_reach_the_dog_warden():
    """A service added to the catalogue with its words (ADR 0014), before any labelled example."""
    result = engine.analyse("stray dogs chasing people near the school gate every morning")
    assert "report-stray-dog" in codes(result)[:2]


def test_children_left_alone_is_urgent_and_goes_to_safeguarding_first():
    result = engine.analyse("my neighbour's kids have been left alone for two days")
    assert result.urgent
    assert codes(result)[0] == "child-safeguarding-concern"
    assert result.flags[0].phrase == "kids have been left alone"


def test_a_flag_puts_its_service_first_whatever_the_model_says():
    result = engine.analyse(
        "the bins were not collected, and the kids next door have been left alone all week"
    )
    assert codes(result)[0] == "child-safeguarding-concern"
    assert result.suggestions[0].from_flag == "child_at_risk"


def test_a_clear_message_is_suggested_with_high_confidence():
    result = engine.analyse("There's a huge pothole on Station Road outside the Co-op")
    assert result.outcome == "suggested"
    assert codes(result)[0] == "report-pothole"
    assert result.confidence >= 0.5
    assert result.details.places == ["outside the Co-op"] or result.details.places


def test_off_topic_is_not_a_council_matter():
    result = engine.analyse("what's the weather going to be like in Manchester at the weekend")
    assert result.outcome == "not_council"
    assert result.suggestions == []


def test_polish_without_translation_goes_to_a_person(settings):
    settings.TRIAGE_TRANSLATE_URL = ""
    result = engine.analyse("Dzień dobry, od dwóch tygodni nikt nie odebrał moich śmieci. Co mam zrobić?")
    assert result.language.code == "pl"
    assert result.outcome == "translation_needed"
    assert result.suggestions == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mae twll mawr yn y ffordd ger yr ysgol", "cy"),
        ("Bună ziua, nu mi s-a ridicat gunoiul de două săptămâni", "ro"),
        ("Hola, necesito ayuda porque me van a desahuciar de mi casa", "es"),
        ("আমার বাড়িতে ইঁদুর আছে, দয়া করে সাহায্য করুন", "bn"),
        ("میرے گھر میں چوہے ہیں، براہ کرم مدد کریں", "ur"),
    ],
)
def test_languages_are_detected(text, code):
    assert engine.analyse(text).language.code == code


def test_short_english_is_not_mistaken_for_another_language():
    assert engine.analyse("ok").language.code in {"en", "und"}
    assert engine.analyse("pothole").language.code == "en"


class _FakeLibreTranslate(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's hook name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _FakeLibreTranslate.received.append(body)
        answer = {"translatedText": "Nobody has collected my rubbish bins for two weeks."}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def libretranslate(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeLibreTranslate)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TRIAGE_TRANSLATE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.TRIAGE_TRANSLATE_API_KEY = "key-123"
    _FakeLibreTranslate.received = []
    yield _FakeLibreTranslate
    server.shutdown()
    server.server_close()


def test_translation_when_configured(libretranslate):
    text = "Od dwóch tygodni nikt nie odebrał moich śmieci"
    result = engine.analyse(text)
    assert libretranslate.received == [
        {"q": text, "source": "pl", "target": "en", "format": "text", "api_key": "key-123"}
    ]
    assert result.translated_text.startswith("Nobody has collected")
    assert result.outcome == "suggested"
    assert codes(result)[0] == "missed-bin"


def test_translation_service_down_keeps_the_message_for_a_person(settings):
    settings.TRIAGE_TRANSLATE_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.TRIAGE_TRANSLATE_TIMEOUT = 0.5
    result = engine.analyse("Od dwóch tygodni nikt nie odebrał moich śmieci")
    assert result.outcome == "translation_needed"
    assert result.translated_text == ""


# --- Bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "😀😀😀", "🙏🏽🔥💀", "12345", "?!?!"])
def test_nothing_to_read(text):
    result = engine.analyse(text)
    assert result.outcome == "empty"
    assert result.suggestions == []
    assert result.text == text


def test_twenty_thousand_characters():
    text = ("My bin was not collected on Mill Lane. " * 600)[:20_000] + " THE END"
    result = engine.analyse(text)
    assert result.text == text  # nothing lost
    assert "truncated" in result.notes
    assert codes(result)[0] == "missed-bin"


def test_html_is_read_as_text():
    result = engine.analyse("<script>alert('x')</script><b>pothole</b> on Mill Lane")
    assert "html" in result.notes
    assert codes(result)[0] == "report-pothole"


def test_abuse_is_noted_and_the_request_still_triaged():
    result = engine.analyse("you useless idiots, my bin was missed AGAIN")
    assert "abusive" in result.notes
    assert codes(result)[0] == "missed-bin"


def test_mixed_languages():
    result = engine.analyse("My bin was not collected, nikt nie odebrał śmieci od tygodnia, please help")
    assert result.language.code in {"en", "pl"}
    assert result.outcome in {"suggested", "translation_needed", "not_sure"}
    if result.outcome == "translation_needed":
        assert result.language.mixed_with == "en" or not result.suggestions


def test_urgent_words_in_emoji_only_message_are_still_caught():
    result = engine.analyse("😢 I want to kill myself 😢")
    assert result.urgent
    assert [f.category for f in result.flags] == ["self_harm"]
