"""The SIP line's small jitter buffer (``sip.Line.frames``): late audio is waited for, not heard as a
pause inside a word. No network: pyVoIP's own packet buffer is fed by a thread, as its receiver does."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from pyVoIP.RTP import RTPPacketManager
from pyVoIP.VoIP import CallState

from residenthub.voice import sip

PACKET = 160  # 20 ms at 8 kHz
TONE = sip.to_wire(0.3 * np.sin(2 * np.pi * 440 * np.arange(8000) / 8000))  # one second of sound


class FakeClient:
    def __init__(self):
        self.pmin, self.pmout = RTPPacketManager(), RTPPacketManager()


class FakeCall:
    """What ``sip.Line`` uses of a pyVoIP call."""

    def __init__(self):
        self.state = CallState.ANSWERED
        self.RTPClients = [FakeClient()]

    def read_audio(self, length: int, blocking: bool = True) -> bytes:
        return self.RTPClients[0].pmin.read(length)


def deliver(call: FakeCall, late_at: int, late_by: float) -> None:
    """The caller's packets arriving every 20 ms, one of them ``late_by`` seconds late; then silence."""
    manager = call.RTPClients[0].pmin
    for offset in range(0, len(TONE), PACKET):
        if offset == late_at:
            time.sleep(late_by)
        manager.write(offset, TONE[offset : offset + PACKET])
        time.sleep(0.02)
    for offset in range(len(TONE), len(TONE) + 8000, PACKET):
        manager.write(offset, b"\x80" * PACKET)
        time.sleep(0.02)
    call.state = CallState.ENDED


def heard(monkeypatch, jitter: float, late_by: float) -> list[bool]:
    """Loud or quiet, frame by frame, for the first second the line hears."""
    monkeypatch.setattr(sip, "JITTER", jitter)
    call = FakeCall()
    sender = threading.Thread(target=deliver, args=(call, 25 * PACKET, late_by), daemon=True)
    sender.start()
    loud = []
    for frame in sip.Line(call).frames():
        level = float(np.abs(frame).max())
        if loud or level > 0.05:  # from the first sound on
            loud.append(level > 0.05)
        if len(loud) == 50:
            break
    call.state = CallState.ENDED
    sender.join(5)
    return loud


def test_a_late_packet_is_waited_for_not_heard_as_a_pause(monkeypatch):
    assert all(heard(monkeypatch, jitter=0.25, late_by=0.15))


def test_without_the_buffer_the_same_line_has_a_gap(monkeypatch):
    """The test above can fail: with no waiting, the late packet is a run of quiet frames."""
    loud = heard(monkeypatch, jitter=0.0, late_by=0.15)
    assert loud.count(False) >= 3


@pytest.mark.parametrize("late_by", [0.6])
def test_a_line_that_stays_empty_is_heard_as_quiet_after_one_wait(monkeypatch, late_by):
    """Longer than the buffer: the gap is real quiet, and the line does not wait again at every frame."""
    started = time.monotonic()
    loud = heard(monkeypatch, jitter=0.25, late_by=late_by)
    assert loud.count(False) >= 10
    assert time.monotonic() - started < 3.0


def test_a_reply_is_sent_a_sentence_at_a_time_first_sentence_first(monkeypatch):
    """The caller hears the first sentence as soon as it is synthesised: the line writes each part
    when it is ready, before the next is made (``tts.speak_sentences``)."""
    from residenthub.voice import tts

    reply = (
        "If anyone is in danger now, hang up and call 9 9 9. A member of our staff will call you back first."
    )
    assert tts.sentences(reply) == [
        "If anyone is in danger now, hang up and call 9 9 9.",
        "A member of our staff will call you back first.",
    ]
    events: list[str] = []
    monkeypatch.setattr(tts, "speak", lambda text: events.append(f"made {text.split()[1]}") or np.zeros(80))

    class Sending(FakeCall):
        def write_audio(self, data: bytes) -> None:
            events.append(f"sent {len(data)}")

    sip.Line(Sending()).play(tts.speak_sentences(reply))
    assert events == ["made anyone", "sent 80", "made member", "sent 80"]


# --- Keys pressed on the caller's keypad (RFC 4733 telephone events) --------------------------------


def event_packet(key: str, *, marker: bool, end: bool, timestamp: int, sequence: int) -> bytes:
    header = bytes([0x80, (0x80 if marker else 0) | 101]) + sequence.to_bytes(2, "big")
    header += timestamp.to_bytes(4, "big") + (4321).to_bytes(4, "big")
    return header + bytes(["0123456789*#".index(key), 0x8A if end else 0x0A]) + (400).to_bytes(2, "big")


def test_a_key_whose_first_packet_comes_three_times_is_one_key():
    from pyVoIP.RTP import PayloadType, RTPClient, TransmitType

    sip.keep_mulaw()
    keys: list[str] = []
    client = RTPClient(
        {0: PayloadType.PCMU, 101: PayloadType.EVENT}, "127.0.0.1", 0, "127.0.0.1", 0,
        TransmitType.SENDRECV, dtmf=keys.append,
    )  # fmt: skip
    sequence = 1
    for timestamp, key in ((1600, "0"), (3200, "7"), (4800, "7")):  # the same key twice is two events
        for marker, end in [(True, False)] * 3 + [(False, True)] * 3:
            packet = event_packet(key, marker=marker, end=end, timestamp=timestamp, sequence=sequence)
            client.parse_packet(packet)
            sequence += 1
    assert keys == ["0", "7", "7"]


class KeyedCall(FakeCall):
    """A call whose caller presses ``keys`` at the given seconds from now."""

    def __init__(self, presses: list[tuple[float, str]]):
        super().__init__()
        self.start, self.presses = time.monotonic(), list(presses)

    def get_dtmf(self, length: int = 1) -> str:
        now = time.monotonic() - self.start
        due = [keys for at, keys in self.presses if at <= now]
        self.presses = [(at, keys) for at, keys in self.presses if at > now]
        return "".join(due)[:length]


def test_a_keyed_number_stops_listening_and_ends_at_the_hash_key():
    line = sip.Line(KeyedCall([(0.1, "0770"), (0.5, "09001"), (0.9, "23#"), (1.0, "999")]))
    samples, _ = line.listen(10, keys=True)
    assert samples.size == 0 and line.pressed == "0770"
    assert line.keyed_entry() == "07700900123"


def test_a_keyed_number_without_the_hash_key_ends_after_a_pause(monkeypatch):
    monkeypatch.setattr(sip, "KEY_WAIT", 0.4)
    line = sip.Line(KeyedCall([(0.0, "0*7700"), (0.2, "900123")]))
    line.listen(10, keys=True)
    started = time.monotonic()
    assert line.keyed_entry() == "07700900123"
    assert time.monotonic() - started < 2


def test_keys_are_not_listened_for_unless_a_number_is_asked():
    call = KeyedCall([(0.0, "5")])
    call.state = CallState.ANSWERED
    threading.Timer(0.3, lambda: setattr(call, "state", CallState.ENDED)).start()
    line = sip.Line(call)
    line.listen(10)
    assert line.pressed == ""


def test_one_key_answers_yes_or_no_without_waiting_for_more():
    line = sip.Line(KeyedCall([(0.1, "1"), (0.2, "2")]))
    line.listen(10, keys=True)
    started = time.monotonic()
    assert line.keyed_entry(single=True) == "1" and time.monotonic() - started < 0.5


def test_keys_pressed_while_the_agent_speaks_are_kept_only_when_keys_were_asked_for():
    early = KeyedCall([(0.0, "0770")])
    line = sip.Line(early)
    time.sleep(0.05)
    line.drain(keep_keys=True)  # "... or key it in and then press the hash key": typed ahead
    early.presses.append((0.0, "0900123#"))
    line.listen(10, keys=True)
    assert line.keyed_entry() == "07700900123"
    stray = sip.Line(KeyedCall([(0.0, "5")]))
    time.sleep(0.05)
    stray.drain()
    stray.voip.state = CallState.ENDED
    stray.listen(1, keys=True)
    assert stray.pressed == ""
