"""Done means: real SIP calls through Kamailio on loopback, answered by the agent (pyVoIP)."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from pyVoIP.VoIP import CallState, VoIPPhone

from residenthub.cases.models import Case, Channel
from residenthub.speech import transcribe
from residenthub.speech.synth import resample
from residenthub.voice import dialog, sip, speaking
from residenthub.voice.models import Call, Callback

from .conftest import caller_audio, free_udp_port

STREET_LIGHT = "the street light outside number 4 Riverside Close has been out for a week"
GAS = "there's a smell of gas and my mum is disabled"


class Caller:
    """A phone placing a call through the proxy, speaking recorded prompts and keeping what it hears. It
    presents a London landline number (Ofcom's drama range), so the agent has a number to ring back and
    does not offer a text message."""

    def __init__(self, proxy_port: int, number: str = "02079460123"):
        sip.keep_mulaw()
        self.phone = VoIPPhone(
            "127.0.0.1", proxy_port, number, "", myIP="127.0.0.1", sipPort=free_udp_port(),
            rtpPortLow=12000, rtpPortHigh=12100,
        )  # fmt: skip
        self.phone.start()
        self.call = None

    def dial(self, who: str = "hub", timeout: float = 15) -> None:
        self.call = self.phone.call(who)
        end = time.monotonic() + timeout
        while self.call.state != CallState.ANSWERED and time.monotonic() < end:
            time.sleep(0.05)
        assert self.call.state == CallState.ANSWERED

    def hear(self, timeout: float = 90, quiet: float = 1.5) -> np.ndarray:
        """Everything the agent says next, until it has been quiet for ``quiet`` seconds.

        Reads what arrived since the last look (by the clock), so a busy test process never lags."""
        frames, started, silent = [], False, 0.0
        end = time.monotonic() + timeout
        last = time.monotonic()
        while time.monotonic() < end and self.call.state == CallState.ANSWERED:
            time.sleep(0.02)
            now = time.monotonic()
            chunk = sip.from_wire(self.call.read_audio(max(160, int((now - last) * 8000)), blocking=False))
            last = now
            for i in range(0, len(chunk) - 159, 160):
                frame = chunk[i : i + 160]
                if float(np.abs(frame).max()) > 0.02:
                    started, silent = True, 0.0
                elif started:
                    silent += 0.02
                if started:
                    frames.append(frame)
            if started and silent >= quiet:
                break
        return np.concatenate(frames) if frames else np.zeros(0, dtype=np.float32)

    def say(self, audio: np.ndarray) -> None:
        self.call.write_audio(sip.to_wire(audio))
        time.sleep(len(audio) / 8000 + 0.1)

    def press(self, keys: str) -> None:
        """Keys on the keypad, sent as RFC 4733 telephone events (payload type 101) as phones send them:
        each event's first packet three times with the marker bit and one RTP timestamp, then its end
        packets; a tenth of a second between keys."""
        client = self.call.RTPClients[0]
        sequence, timestamp = 30000, 160000
        for key in keys:
            event = "0123456789*#".index(key)
            timestamp += 1600
            # (marker, end bit + volume 10, duration)
            packets = [(True, 0x0A, 400)] * 3 + [(False, 0x8A, 800)] * 3
            for marker, flags, duration in packets:
                header = bytes([0x80, (0x80 if marker else 0) | 101]) + sequence.to_bytes(2, "big")
                header += timestamp.to_bytes(4, "big") + client.outSSRC.to_bytes(4, "big")
                client.sout.sendto(header + bytes([event, flags]) + duration.to_bytes(2, "big"),
                                   (client.outIP, client.outPort))  # fmt: skip
                sequence += 1
                time.sleep(0.02)
            time.sleep(0.1)

    def wait_hangup(self, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while self.call.state == CallState.ANSWERED and time.monotonic() < end:
            time.sleep(0.05)

    def stop(self) -> None:
        self.phone.stop()


class Replies(list):
    def __init__(self):
        super().__init__()
        self.done = threading.Event()


@pytest.fixture
def agent(kamailio, warm, settings, tmp_path):
    """The council's agent registered as "hub"; yields the replies it gave, in order."""
    settings.VOICE_RECORDING_DIR = str(tmp_path / "recordings")
    settings.VOICE_RTP_PORTS = "12200-12300"
    replies = Replies()
    done = replies.done

    def on_call(voip_call):
        try:
            sip.handle_call(voip_call, on_turn=lambda reply, latency: replies.append(reply))
        finally:
            done.set()

    phone = sip.make_phone(
        on_call, server="127.0.0.1", port=kamailio, username="hub", password="", local_port=free_udp_port()
    )
    phone.start()
    yield replies
    done.wait(30)
    phone.stop()


def heard_words(audio: np.ndarray) -> str:
    return transcribe(resample(audio, 8000, 16000), language="en").text.lower()


@pytest.mark.django_db(transaction=True)
def test_street_light_reported_by_phone(catalogue, kamailio, agent):
    caller = Caller(kamailio)
    try:
        caller.dial()
        greeting = caller.hear()
        assert len(greeting) > 8000  # over a second of greeting
        caller.say(caller_audio(STREET_LIGHT))
        confirmation = caller.hear()
        caller.say(caller_audio("yes"))
        # Synthetic speech down an 8 kHz line is now and then misheard on a one-word answer: the agent
        # then offers the keypad ("... or press 1 for yes"), and the caller presses 1.
        for _attempt in range(2):
            after = caller.hear(quiet=2.0)
            if len(after) == 0 or "reference" in heard_words(after):  # nothing: the agent has hung up
                break
            caller.press("1")
        caller.wait_hangup()
    finally:
        caller.stop()
    agent.done.wait(30)
    call = Call.objects.get()
    assert "I think you want to report a street light fault" in agent[1].say, call.turns
    assert "riverside close" in agent[1].say.lower(), call.turns
    heard = heard_words(confirmation)
    assert "street" in heard and "is that right" in heard
    case = Case.objects.first()
    assert case and Case.objects.count() == 1, call.turns
    assert case.channel == Channel.PHONE_AUTOMATED and case.team.slug == "highways"
    assert case.service.code == "report-street-light"
    from residenthub.voice.speaking import reference

    assert reference(case.reference) in agent[-1].say
    call.refresh_from_db()
    assert call.via == Call.Via.SIP and call.outcome == Call.Outcome.CASE_CREATED and call.ended_at
    assert call.recording  # kept for staff, access-controlled


@pytest.mark.django_db(transaction=True)
def test_gas_call_gets_the_number_at_once_and_tops_the_callback_list(catalogue, kamailio, agent):
    earlier = Callback.objects.count()
    caller = Caller(kamailio)
    try:
        caller.dial()
        caller.hear()
        caller.say(caller_audio(GAS))
        warning = caller.hear(quiet=2.0)
        caller.wait_hangup()
    finally:
        caller.stop()
    agent.done.wait(30)
    assert agent[1].say.startswith("If anyone is in danger now, hang up and call 9 9 9.")
    assert (
        "0 8 0 0" in agent[1].say.replace("zero", "0").replace("eight", "8")
        or "zero eight zero zero" in agent[1].say
    )
    words = heard_words(warning)
    assert "999" in words or "9 9 9" in words or "nine nine nine" in words
    first = Callback.objects.order_by("rank", "created_at").first()
    assert first.rank == 0 and first.call.via == Call.Via.SIP and Callback.objects.count() == earlier + 1
    assert first.call.caller == "02079460123" and not first.number  # presented: no number asked for


@pytest.mark.django_db(transaction=True)
def test_a_withheld_caller_keys_the_number_to_ring_back(catalogue, kamailio, agent):
    """The gas call from a withheld number: the emergency numbers first, then the number to ring back,
    keyed on the keypad (each key counted once although its first packet came three times)."""
    caller = Caller(kamailio, number="anonymous")
    try:
        caller.dial()
        caller.hear()
        caller.say(caller_audio(GAS))
        caller.hear(quiet=2.0)
        caller.press("07700900123#")
        read_back = caller.hear(quiet=2.0)
        caller.wait_hangup()
    finally:
        caller.stop()
    agent.done.wait(30)
    assert agent[1].say.startswith("If anyone is in danger now") and agent[1].say.endswith(dialog.ASK_NUMBER)
    assert agent[1].expect == "number"
    assert agent[2].say.startswith("Thank you. We will call you back on") and agent[2].action == "hangup"
    assert speaking.phone_number("07700 900123") in agent[2].say
    assert len(read_back) > 4000  # the read-back was heard down the line (half a second at least)
    first = Callback.objects.order_by("rank", "created_at").first()
    assert first.rank == 0 and first.call.caller == "" and first.number == "+447700900123"
