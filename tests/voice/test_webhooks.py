"""TwiML-style webhooks, driven by a local simulator posting what the platform documents
(CallSid, From, CallStatus, SpeechResult/Confidence or RecordingUrl) with X-Twilio-Signature."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.etree import ElementTree

import pytest
from django.test import Client

from residenthub.cases.models import Case, Channel
from residenthub.speech.audio import write_wav
from residenthub.voice import twiml
from residenthub.voice.models import Call, Callback

from .conftest import caller_audio

pytestmark = pytest.mark.django_db
TOKEN = "12345678901234567890123456789012"
BASE = "http://testserver/voice/twiml/"


class Platform:
    """Plays the telephony platform: posts signed webhooks and follows the TwiML it gets back."""

    def __init__(
        self, client: Client, sid: str = "CA0123456789abcdef0123456789abcdef", caller="+447700900123"
    ):
        self.client, self.sid, self.caller = client, sid, caller

    def post(self, path: str, params: dict, *, sign: bool = True, token: str = TOKEN):
        params = {
            "CallSid": self.sid,
            "AccountSid": "AC" + "0" * 32,
            "From": self.caller,
            "To": "+442079460000",
            **params,
        }
        headers = {"HTTP_X_TWILIO_SIGNATURE": twiml.signature(BASE + path, params, token)} if sign else {}
        return self.client.post(f"/voice/twiml/{path}", params, **headers)

    def start(self):
        return self.post("incoming/", {"CallStatus": "ringing", "Direction": "inbound"})

    def speak(self, words: str, confidence: str = "0.92"):
        return self.post(
            "gather/", {"CallStatus": "in-progress", "SpeechResult": words, "Confidence": confidence}
        )


def twiml_of(response) -> ElementTree.Element:
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own answer


@pytest.fixture
def platform(settings, client):
    settings.VOICE_WEBHOOK_AUTH_TOKEN = TOKEN
    return Platform(client)


def test_street_light_by_webhook(catalogue, platform):
    first = twiml_of(platform.start())
    gather = first.find("Gather")
    assert gather.get("input") == "speech" and gather.get("action") == BASE + "gather/"
    assert gather.find("Say").text.startswith("Hello, you are through to")
    confirm = twiml_of(
        platform.speak("the street light outside number 4 Riverside Close has been out for a week")
    )
    assert "I think you want to report a street light fault" in confirm.find("Gather/Say").text
    assert confirm.find("Gather").get("hints") == "yes, no"
    assert confirm.find("Gather").get("input") == "dtmf speech"  # 1 for yes, 2 for no, as well as said
    assert confirm.find("Gather").get("numDigits") == "1"
    sms = twiml_of(platform.speak("yes"))
    assert "text message" in sms.find("Gather/Say").text
    done = twiml_of(platform.speak("no thanks"))
    assert "Your reference is" in done.find("Say").text and done.find("Hangup") is not None
    case = Case.objects.get()
    assert case.channel == Channel.PHONE_AUTOMATED and case.team.slug == "highways"
    call = Call.objects.get()
    assert call.via == Call.Via.WEBHOOK and call.ended_at and call.caller == "+447700900123"


def test_gas_by_webhook_reads_the_number_and_dials_the_priority_line(catalogue, platform, settings):
    settings.VOICE_PRIORITY_TRANSFER = "+442079460999"
    platform.start()
    answer = twiml_of(platform.speak("there's a smell of gas and my mum is disabled"))
    assert answer.find("Say").text.startswith("If anyone is in danger now, hang up and call 9 9 9.")
    assert answer.find("Dial").text == "+442079460999"
    assert Callback.objects.get().rank == 0


def test_bad_signatures_and_requests_are_refused(catalogue, platform, settings):
    assert platform.post("incoming/", {}, sign=False).status_code == 403
    assert platform.post("incoming/", {}, token="not-the-token").status_code == 403
    assert platform.client.get("/voice/twiml/incoming/").status_code == 405
    assert platform.speak("hello").status_code == 404  # no such call yet
    nosid = platform.client.post(
        "/voice/twiml/incoming/", {}, HTTP_X_TWILIO_SIGNATURE=twiml.signature(BASE + "incoming/", {}, TOKEN)
    )
    assert nosid.status_code == 400
    settings.VOICE_WEBHOOK_AUTH_TOKEN = ""
    assert b"set VOICE_WEBHOOK_AUTH_TOKEN" in platform.start().content


def test_hang_up_mid_report_by_status_callback(catalogue, platform):
    platform.start()
    platform.speak("the street lamp is broken")
    platform.speak("yes")
    assert platform.post("status/", {"CallStatus": "completed"}).status_code == 204
    assert not Case.objects.exists()
    assert Callback.objects.get().reason == Callback.Reason.HUNG_UP
    assert platform.speak("hello").status_code == 404  # the call is over


def test_no_input_redirects_and_silence_ends_in_a_callback(catalogue, platform):
    first = twiml_of(platform.start())
    assert first.find("Redirect").text == BASE + "gather/"
    for _ in range(3):
        last = twiml_of(platform.post("gather/", {"CallStatus": "in-progress"}))
    assert last.find("Hangup") is not None
    assert Callback.objects.get().reason == Callback.Reason.NOT_UNDERSTOOD


def test_a_caller_not_understood_at_yes_or_no_may_press_1(catalogue, platform):
    platform.start()
    platform.speak("the street light outside number 4 Riverside Close has been out for a week")
    again = twiml_of(platform.speak("mmm"))
    assert "press 1 for yes and 2 for no" in again.find("Gather/Say").text
    assert again.find("Gather").get("numDigits") == "1"
    after = twiml_of(platform.post("gather/", {"CallStatus": "in-progress", "Digits": "1"}))
    assert "text message" in after.find("Gather/Say").text  # 1 was yes: the report is ready to send


def test_a_withheld_caller_keys_the_number_to_ring_back(catalogue, settings, client):
    settings.VOICE_WEBHOOK_AUTH_TOKEN = TOKEN
    platform = Platform(client, caller="anonymous")
    platform.start()
    asked = twiml_of(platform.speak("I want to speak to a person"))
    gather = asked.find("Gather")
    assert gather.get("input") == "dtmf speech" and gather.get("finishOnKey") == "#"
    assert "call you back on" in gather.find("Say").text
    done = twiml_of(platform.post("gather/", {"CallStatus": "in-progress", "Digits": "07700900123"}))
    assert done.find("Hangup") is not None
    assert "zero seven seven zero zero, nine zero zero one two three" in done.find("Say").text
    assert Callback.objects.get().number == "+447700900123"


@pytest.fixture
def recordings(tmp_path):
    """The platform's media server on loopback, serving the caller's recordings."""
    write_wav(tmp_path / "RE1.wav", caller_audio("my bins were not collected on Tuesday"), sample_rate=8000)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            path = tmp_path / self.path.strip("/").split("/")[-1]
            if not path.exists():
                self.send_response(404)
                self.end_headers()
                return
            data = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "audio/x-wav")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/2010-04-01/Accounts/AC0/Recordings/"
    server.shutdown()
    server.server_close()


def test_record_mode_transcribes_the_recording_ourselves(catalogue, platform, settings, recordings):
    settings.VOICE_WEBHOOK_SPEECH = "local"
    settings.VOICE_WEBHOOK_RECORDING_HOSTS = ["127.0.0.1"]
    first = twiml_of(platform.start())
    assert first.find("Record").get("action") == BASE + "gather/"
    reply = twiml_of(
        platform.post("gather/", {"CallStatus": "in-progress", "RecordingUrl": recordings + "RE1.wav"})
    )
    assert "missed bin" in reply.find("Say").text.lower()
    # A recording on any other host is never fetched (no server-side request forgery).
    settings.VOICE_WEBHOOK_RECORDING_HOSTS = ["api.twilio.com"]
    refused = twiml_of(
        platform.post("gather/", {"CallStatus": "in-progress", "RecordingUrl": recordings + "RE1.wav"})
    )
    assert refused.find("Say").text.startswith("Sorry")
