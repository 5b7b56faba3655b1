"""Messages in other languages: the right service with a translation service configured (a local
server speaking LibreTranslate's API), an honest answer without one, and the mixed and transliterated
messages real residents send (the Hinglish below is from the public Mumbai tweets, SOURCES.md)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from residenthub.triage import engine

HINDI = "सड़क पर बहुत सारे गड्ढे हैं, गाड़ी चलाना मुश्किल है"
SPANISH = "Hay basura tirada detrás de las tiendas desde hace semanas"
TRANSLATIONS = {
    HINDI: "There are a lot of potholes on the road, driving is hard",
    SPANISH: "There is rubbish dumped behind the shops for weeks",
}


class _Translator(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's hook name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Translator.received.append(body)
        data = json.dumps({"translatedText": TRANSLATIONS.get(body["q"], "")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def translator(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Translator)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.TRIAGE_TRANSLATE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    _Translator.received = []
    yield _Translator
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("text", "language", "service"),
    [
        ("सड़क पर बहुत सारे गड्ढे हैं, गाड़ी चलाना मुश्किल है", "hi", "report-pothole"),
        ("Hay basura tirada detrás de las tiendas desde hace semanas", "es", "report-fly-tipping"),
    ],
)
def test_another_language_reaches_the_right_service_through_translation(
    translator, catalogue, text, language, service
):
    result = engine.analyse(text)
    assert translator.received[0]["source"] == language and translator.received[0]["target"] == "en"
    assert result.translated_text == TRANSLATIONS[text]
    assert result.outcome == "suggested" and result.best.code == service


def test_without_translation_the_answer_is_honest(settings, catalogue):
    settings.TRIAGE_TRANSLATE_URL = ""
    result = engine.analyse("सड़क पर बहुत सारे गड्ढे हैं, गाड़ी चलाना मुश्किल है")
    assert result.language.code == "hi"
    assert result.outcome == "translation_needed" and not result.suggestions


def test_transliterated_hinglish_is_never_confidently_misrouted(settings, catalogue):
    settings.TRIAGE_TRANSLATE_URL = ""
    text = (
        "Pls come to swadarshan CHS, yaha society k kuch log bade speakers laga k songs baja rahe hai. "
        "muje pata hai aaj janmashtmi hai but jyada hi jyada aawaz"
    )
    result = engine.analyse(text)
    if result.outcome == "suggested":
        assert result.best.code == "report-noise"
    else:
        assert result.outcome in {"not_sure", "translation_needed"}


def test_english_with_a_hindi_clause_reads_the_english(settings, catalogue):
    settings.TRIAGE_TRANSLATE_URL = ""
    result = engine.analyse("Garbage not collected from our street for 5 days, कचरा सड़क पर पड़ा है")
    codes = [s.code for s in result.suggestions]
    assert {"missed-bin", "report-fly-tipping"} & set(codes)
