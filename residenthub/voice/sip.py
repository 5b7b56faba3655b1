"""The SIP user agent: registers to the council's PBX or SIP trunk and answers calls.

Built on pyVoIP 1.6.8 (pure Python; pjsua2 has no installable wheel on PyPI, see ADR 0091). Audio
is G.711 mu-law at 8 kHz. pyVoIP converts mu-law to 8-bit linear audio, which would throw away
resolution the speech model needs, so ``keep_mulaw()`` makes it pass the mu-law bytes through
untouched (XORed with 0x7F so that mu-law silence is pyVoIP's own "no audio" byte, 0x80); we
decode them ourselves to float samples.

Each call runs in its own thread: play the prompt, listen until the caller stops speaking
(energy-based end-pointing on 20 ms frames), understand, reply, until the conversation ends.

Keys pressed on the caller's keypad arrive as RFC 4733 telephone events (RTP payload type 101, what
SIP trunks, PBXs and Teams Direct Routing send); pyVoIP collects them. When a phone number, or yes or
no, is asked for, a caller may key it instead of saying it (ADR 0092).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import wave
from io import BytesIO

import numpy as np
from django.conf import settings
from django.db import close_old_connections, connection

from residenthub.speech.audio import pcm16_bytes
from residenthub.speech.synth import mulaw_decode, mulaw_encode, resample

from . import actions, dialog, tts
from .models import Call
from .pipeline import hear, prompt_for, understand, understand_text, understand_transcript
from .streaming import PartialTranscriber

log = logging.getLogger(__name__)
FRAME = 160  # 20 ms at 8 kHz
START_TIMEOUT = 8.0  # seconds to wait for the caller to start speaking
END_SILENCE = 0.7  # seconds of quiet that end an utterance
MIN_SPEECH = 0.1  # seconds of sound that count as speech (shorter is a click)
JITTER = 0.25  # seconds of late audio waited for before a gap in the line is heard as quiet
KEY_WAIT = 5.0  # seconds after the last key before a keyed number counts as finished (# ends it at once)
MAX_KEYS = 20
KEYED = {"number", "yesno"}  # what the caller may key instead of saying: a phone number, 1 or 2
_patched = False


def keep_mulaw() -> None:
    """Make pyVoIP hand us, and send, G.711 mu-law bytes unchanged (see the module docstring)."""
    global _patched
    if _patched:
        return
    from pyVoIP import RTP

    table = bytes(b ^ 0x7F for b in range(256))

    def parse_pcmu(self, packet):
        self.pmin.write(packet.timestamp, packet.payload.translate(table))

    def encode_pcmu(self, packet: bytes) -> bytes:
        return packet.translate(table)

    original_event = RTP.RTPClient.parse_telephone_event

    def parse_telephone_event(self, packet):
        """One key per event: senders may repeat an event's first packet (marker set each time, same
        RTP timestamp) to survive packet loss; pyVoIP would take each copy as another key press."""
        if packet.marker and getattr(self, "last_event_timestamp", None) == packet.timestamp:
            return
        if packet.marker:
            self.last_event_timestamp = packet.timestamp
        original_event(self, packet)

    RTP.RTPClient.parse_pcmu = parse_pcmu
    RTP.RTPClient.encode_pcmu = encode_pcmu
    RTP.RTPClient.parse_telephone_event = parse_telephone_event
    _patched = True


_TO_WIRE = bytes(b ^ 0x7F for b in range(256))


def to_wire(samples: np.ndarray) -> bytes:
    return mulaw_encode(samples).tobytes().translate(_TO_WIRE)


def from_wire(data: bytes) -> np.ndarray:
    return mulaw_decode(data.translate(_TO_WIRE))


class Line:
    """One call's audio, in float samples at 8 kHz, over a pyVoIP ``VoIPCall``."""

    def __init__(self, voip_call):
        self.voip = voip_call
        self.pressed = ""  # keys that stopped the last listen (see ``frames``)

    @property
    def up(self) -> bool:
        from pyVoIP.VoIP import CallState

        return self.voip.state == CallState.ANSWERED

    def _left(self, direction: str) -> int:
        """Bytes in pyVoIP's ``pmout`` (written, not yet sent) or ``pmin`` (received, not yet read)."""
        left = 0
        for client in self.voip.RTPClients:
            manager = getattr(client, direction)
            with manager.bufferLock:
                left += manager.buffer.getbuffer().nbytes - manager.buffer.tell()
        return left

    def _unsent(self) -> int:
        """Bytes written but not yet sent (pyVoIP paces sending itself, slower on a busy machine)."""
        return self._left("pmout")

    def play(self, parts) -> None:
        """Send the audio, part by part as each is ready (``tts.speak_sentences``: the caller hears
        the first sentence while the next is synthesised), and wait until it has all gone out (not
        just its nominal length)."""
        if isinstance(parts, np.ndarray):
            parts = [parts]
        sent = 0
        for samples in parts:
            self.voip.write_audio(to_wire(samples))
            sent += len(samples)
        limit = time.monotonic() + 3 * sent / tts.RATE + 5
        while self.up and time.monotonic() < limit and self._unsent() > 0:
            time.sleep(0.02)

    def drain(self, *, keep_keys: bool = False) -> None:
        """Forget what arrived while we were talking (no barge-in); keys pressed too, unless the prompt
        asked for keys (``keep_keys``): a caller may start keying before it ends."""
        self.voip.read_audio(8000 * 120, blocking=False)
        if not keep_keys:
            self.keys()
            self.pressed = ""

    def keys(self) -> str:
        """Keys pressed since the last look."""
        return self.voip.get_dtmf(length=64)

    def keyed_entry(self, *, single: bool = False) -> str:
        """A number keyed on the keypad: the keys that stopped listening and those after them, until
        # (not part of the entry) or ``KEY_WAIT`` seconds without a key; with ``single``, one key
        (1 for yes, 2 for no)."""
        entry, last = self.pressed, time.monotonic()
        self.pressed = ""
        if single:
            return entry[:1]
        while self.up and "#" not in entry and len(entry) < MAX_KEYS and time.monotonic() - last < KEY_WAIT:
            pressed = self.keys()
            if pressed:
                entry, last = entry + pressed, time.monotonic()
            else:
                time.sleep(0.05)
        return entry.split("#")[0].replace("*", "")

    def frames(self, *, keys: bool = False):
        """20 ms frames as they arrive, paced in real time; with ``keys``, they stop at the first key
        pressed (kept in ``pressed``).

        A small jitter buffer: when the caller's audio is late (a busy network or machine) the line
        waits up to ``JITTER`` for it rather than hearing silence, which would be a pause inside a word
        and cut the utterance there ("River" | "side Close"). A line that stays empty (the far end
        stopped sending) is waited for once, not at every frame."""
        next_at = time.monotonic()
        starved = False
        while self.up:
            if keys:
                self.pressed = self.keys()
                if self.pressed:
                    return
            next_at += FRAME / tts.RATE
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if not starved:
                give_up = time.monotonic() + JITTER
                while self.up and self._left("pmin") < FRAME and time.monotonic() < give_up:
                    time.sleep(0.005)
            starved = self._left("pmin") < FRAME
            yield from_wire(self.voip.read_audio(FRAME, blocking=False))

    def listen(self, max_seconds: float, on_frame=None, *, keys: bool = False) -> tuple[np.ndarray, float]:
        """One utterance from the line (see ``endpoint``); with ``keys``, cut short by a key press."""
        return endpoint(self.frames(keys=keys), max_seconds, on_frame)


def endpoint(frames, max_seconds: float, on_frame=None) -> tuple[np.ndarray, float]:
    """One utterance (samples at 8 kHz) from 20 ms ``frames`` arriving in real time, and the
    monotonic time its speech ended; empty if none.

    Energy end-pointing: speech starts at the first frame louder than the line's noise floor and ends
    after ``END_SILENCE`` of quiet. ``on_frame(frame, loud=)`` sees every frame from the start of
    speech as it arrives (the partial transcriber works on them while the caller is still talking).
    A function of its own so the benchmark times exactly this code on paced frames."""
    heard: list[np.ndarray] = []
    floor = 0.002
    speaking = 0.0
    quiet = 0.0
    waited = 0.0
    ended_at = time.monotonic()
    for frame in frames:
        level = float(np.sqrt(np.mean(frame.astype(np.float64) ** 2)))
        loud = level > max(0.01, floor * 4)
        if not heard:
            if loud:
                heard.append(frame)
                if on_frame:
                    on_frame(frame, loud=True)
                speaking = 0.02
                ended_at = time.monotonic()
            else:
                floor = 0.95 * floor + 0.05 * level
                waited += 0.02
                if waited >= START_TIMEOUT:
                    break
            continue
        heard.append(frame)
        if on_frame:
            on_frame(frame, loud=loud)
        if loud:
            speaking += 0.02
            quiet = 0.0
            ended_at = time.monotonic()
        else:
            quiet += 0.02
        if quiet >= END_SILENCE or len(heard) * 0.02 >= max_seconds:
            break
    if speaking < MIN_SPEECH:
        return np.zeros(0, dtype=np.float32), time.monotonic()
    return np.concatenate(heard), ended_at


def _wav(samples: np.ndarray, rate: int = tts.RATE) -> bytes:
    buffer = BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm16_bytes(samples))
    return buffer.getvalue()


def _pieces(prompt: str):
    """Speech to text for the pieces of one utterance (8 kHz, already cut out by end-pointing: no
    VAD), with the catalogue prompt read beforehand in the call's own thread."""

    def piece(samples: np.ndarray, language: str | None):
        return hear(resample(samples, tts.RATE, 16000), language=language, vad=False, prompt=prompt)

    return piece


def caller_number(voip_call) -> str:
    raw = voip_call.request.headers.get("From", {})
    number = raw.get("number", "") if isinstance(raw, dict) else ""
    return number if number.replace("+", "").isdigit() else ""


def handle_call(voip_call, *, on_turn=None) -> Call | None:
    """Answer and hold one conversation. ``on_turn(reply, latency)`` is called after each reply
    starts (tests and the benchmark measure with it)."""
    close_old_connections()
    line = Line(voip_call)
    call = None
    try:
        voip_call.answer()
        call = actions.start_call(
            via=Call.Via.SIP,
            call_id=str(voip_call.request.headers.get("Call-ID", "")),
            caller=caller_number(voip_call),
        )
        reply = dialog.start(call, can_transfer=False)  # pyVoIP cannot REFER: numbers + top callback
        recording: list[np.ndarray] = []
        silent = 0
        started = time.monotonic()
        latency = None
        while True:
            if on_turn:
                on_turn(reply, latency)
            line.play(tts.speak_reply(reply))
            if not line.up:
                break
            if reply.action in {"hangup", "transfer"}:
                break
            line.drain(keep_keys=reply.expect in KEYED)
            if time.monotonic() - started > settings.VOICE_MAX_CALL_SECONDS:
                reply = dialog.too_long(call)
                continue
            # The caller's language is detected on their first words, then kept (a "yes" is too short).
            step = call.state.get("step")
            language = call.language if step != "problem" else None
            partial = PartialTranscriber(_pieces(prompt_for(step)), language=language or None)
            samples, ended_at = line.listen(
                settings.VOICE_MAX_UTTERANCE_SECONDS, on_frame=partial.add, keys=reply.expect in KEYED
            )
            if not line.up:
                partial.close()
                break
            recording.append(samples)
            if line.pressed:  # the caller keys the number (or 1 for yes, 2 for no) instead of saying it
                partial.close()
                entry = line.keyed_entry(single=reply.expect == "yesno")
                reply = dialog.hear(call, understand_text(entry, silent_turns=0))
                latency = None
                silent = 0
                continue
            silent = silent + 1 if samples.size == 0 else 0
            if samples.size:
                heard = understand_transcript(partial.finish(), silent_turns=silent)
            else:
                partial.close()
                heard = understand(
                    np.zeros(1600, dtype=np.float32), silent_turns=silent, vad=False, prompt=""
                )
            reply = dialog.hear(call, heard)
            latency = time.monotonic() - ended_at
        if recording and any(r.size for r in recording) and settings.VOICE_RECORDING_RETENTION_DAYS > 0:
            actions.save_recording(call, _wav(np.concatenate([r for r in recording if r.size])))
        if line.up:
            voip_call.hangup()
            actions.end_call(call)
        else:
            dialog.caller_hung_up(call)
    except Exception:
        log.exception("call failed")
        if call is not None:
            dialog.caller_hung_up(call)
        with contextlib.suppress(Exception):  # the line may already be gone
            voip_call.hangup()
    finally:
        connection.close()  # this thread's own database connection: never left open behind a call
    return call


def make_phone(on_call, *, server=None, port=None, username=None, password=None, bind=None, local_port=None):
    """A registered-on-start pyVoIP phone; ``on_call(voip_call)`` runs in a thread per call."""
    from pyVoIP.VoIP import VoIPPhone

    keep_mulaw()
    low, high = (int(p) for p in settings.VOICE_RTP_PORTS.split("-"))
    return VoIPPhone(
        server or settings.VOICE_SIP_SERVER,
        port or settings.VOICE_SIP_PORT,
        username or settings.VOICE_SIP_USERNAME,
        password if password is not None else settings.VOICE_SIP_PASSWORD,
        myIP=bind or settings.VOICE_SIP_BIND,
        callCallback=on_call,
        sipPort=local_port or settings.VOICE_SIP_LOCAL_PORT,
        rtpPortLow=low,
        rtpPortHigh=high,
    )


def run_agent(*, seconds: float | None = None, log=print) -> None:
    phone = make_phone(lambda voip_call: handle_call(voip_call))
    phone.start()
    log(f"SIP agent registered as {settings.VOICE_SIP_USERNAME} at {settings.VOICE_SIP_SERVER}")
    stop = threading.Event()
    try:
        stop.wait(seconds) if seconds else stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        phone.stop()
