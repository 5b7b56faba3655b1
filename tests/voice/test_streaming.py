"""Transcribing a caller's words at their pauses while they are still speaking."""

from __future__ import annotations

import threading

import numpy as np

from residenthub.speech import Segment, Transcript
from residenthub.voice.streaming import PartialTranscriber

RATE = 8000
FRAME = 160


def frames(pattern: str):
    """'S' = 0.1 s of speech, '.' = 0.1 s of quiet, as 20 ms frames with a marker value."""
    for i, mark in enumerate(pattern):
        for _ in range(5):
            yield np.full(FRAME, 0.2 if mark == "S" else 0.0, dtype=np.float32) + i * 1e-6, mark == "S"


class Fake:
    def __init__(self):
        self.calls: list[tuple[float, str | None]] = []
        self.threads: set[str] = set()

    def __call__(self, samples: np.ndarray, language: str | None) -> Transcript:
        self.calls.append((len(samples) / RATE, language))
        self.threads.add(threading.current_thread().name)
        n = len(self.calls)
        return Transcript([Segment(0.0, len(samples) / RATE, f"piece {n}", -0.2, 0.0)], "cy", 0.9, 0.0)


def feed(partial: PartialTranscriber, pattern: str) -> None:
    for frame, loud in frames(pattern):
        partial.add(frame, loud=loud)


def test_short_utterance_is_one_piece():
    fake = Fake()
    partial = PartialTranscriber(fake, language="en", early=False)
    feed(partial, "SSSSS...SSS.......")
    heard = partial.finish()
    assert partial.cuts == 0 and len(fake.calls) == 1
    assert heard.text == "piece 1" and fake.calls[0] == (1.8, "en")


def test_long_utterance_is_cut_at_pauses_and_joined_in_order():
    fake = Fake()
    partial = PartialTranscriber(fake, min_piece=3.0, pause=0.3)
    feed(partial, "S" * 30 + "...." + "S" * 35 + "...." + "S" * 10 + ".......")
    assert partial.cuts == 2  # after 3.3 s and after a further 3.8 s, each at a pause
    heard = partial.finish()
    assert heard.text == "piece 1 piece 2 piece 3"
    assert [round(s.start, 1) for s in heard.segments] == [0.0, 3.3, 7.2]
    assert heard.duration == 9.0
    assert fake.calls[0][1] is None and fake.calls[1][1] == "cy"  # the first piece's language is kept
    assert "pieces:3" in heard.notes
    assert all(name.startswith("partial-stt") for name in fake.threads)  # never the call's own thread


def test_no_cut_mid_speech_without_a_pause():
    fake = Fake()
    partial = PartialTranscriber(fake)
    feed(partial, "S" * 80)
    assert partial.cuts == 0
    assert partial.finish(tail=np.zeros(800, dtype=np.float32)).duration == 8.1


def test_close_without_finishing():
    partial = PartialTranscriber(Fake())
    feed(partial, "S" * 40 + "....")
    partial.close()


def test_early_tail_is_used_when_the_caller_has_finished():
    """At the 0.3 s pause the words are already being transcribed; the end-pointing's remaining
    quiet is never transcribed."""
    fake = Fake()
    partial = PartialTranscriber(fake, language="en")
    feed(partial, "S" * 20 + ".......")  # 2 s of speech, then the 0.7 s that ends the utterance
    assert partial.guesses == 1
    heard = partial.finish()
    assert fake.calls == [(2.3, "en")]  # the guess read up to the pause, nothing after it
    assert heard.text == "piece 1" and heard.duration == 2.7


def test_early_tail_is_dropped_when_the_caller_goes_on():
    fake = Fake()
    partial = PartialTranscriber(fake, language="en")
    feed(partial, "S" * 10 + "...." + "S" * 10 + ".......")
    assert partial.guesses == 2 and partial.cuts == 0
    heard = partial.finish()
    assert len(heard.segments) == 1  # only the last guess, which heard the whole utterance
    assert fake.calls[-1] == (2.7, "en") and heard.text == f"piece {len(fake.calls)}"
    assert heard.duration == 3.1


def test_quiet_after_the_last_cut_is_not_transcribed():
    fake = Fake()
    partial = PartialTranscriber(fake, language="en", early=False)
    feed(partial, "S" * 35 + ".......")
    assert partial.cuts == 1
    heard = partial.finish()
    assert fake.calls == [(3.8, "en")] and heard.text == "piece 1" and heard.duration == 4.2


def test_endpoint_cuts_the_utterance_after_the_closing_quiet():
    from residenthub.voice import sip

    quiet, loud = np.zeros(FRAME, dtype=np.float32), np.full(FRAME, 0.2, dtype=np.float32)
    seen: list[bool] = []
    samples, _ended = sip.endpoint(
        [quiet] * 10 + [loud] * 50 + [quiet] * 100, 30, lambda f, loud: seen.append(loud)
    )
    closing = round(sip.END_SILENCE / 0.02)
    assert len(samples) == (50 + closing) * FRAME  # leading quiet dropped, stops after END_SILENCE
    assert seen == [True] * 50 + [False] * closing
    nothing, _ = sip.endpoint([quiet] * 10 + [loud] * 2 + [quiet] * 50, 30)
    assert nothing.size == 0  # 40 ms of sound is a click, not speech


def test_callers_words_are_encoded_in_a_short_window(monkeypatch):
    """ADR 0162: the phone asks the engine for a window sized to the piece; beam 5 as before."""
    from residenthub.voice import pipeline

    asked: dict = {}

    def transcribe(audio, **options):
        asked.update(options)
        return Transcript()

    monkeypatch.setattr(pipeline, "transcribe", transcribe)
    pipeline.hear(np.zeros(16000, dtype=np.float32), prompt="")
    assert asked["window"] == pipeline.CALL_WINDOW and pipeline.CALL_WINDOW < 30
    assert asked["beam_size"] == pipeline.CALL_BEAM_SIZE and asked["fallback"] is False
