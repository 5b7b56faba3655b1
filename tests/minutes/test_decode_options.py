"""Decode options reach faster-whisper as the minutes mean them (ADR 0167): the shipped call is
unchanged, ``vad_*`` sets one VAD parameter, other keys override the call."""

import threading
from types import SimpleNamespace

import numpy as np

from residenthub.minutes import transcription
from residenthub.speech import engine as speech_engine


class _Model:
    def __init__(self):
        self.calls = []

    def transcribe(self, samples, **call):
        self.calls.append(call)
        piece = SimpleNamespace(start=0.0, end=2.0, text=" Hello.", avg_logprob=-0.1, no_speech_prob=0.0)
        return iter([piece]), SimpleNamespace(language="en", language_probability=1.0)


def _engine(monkeypatch):
    engine = object.__new__(speech_engine.LocalWhisper)
    engine.model, engine.beam_size, engine._lock = _Model(), 1, threading.Lock()
    monkeypatch.setattr(speech_engine, "get_engine", lambda: engine)
    return engine.model


def test_the_shipped_call_and_options_over_it(monkeypatch):
    model = _engine(monkeypatch)
    samples = (np.random.default_rng(0).standard_normal(16000 * 3) * 0.1).astype(np.float32)
    transcription.decode(samples, hotwords="Holloway", beam_size=5, condition=True)
    shipped = model.calls[-1]
    assert shipped["beam_size"] == 5 and shipped["hotwords"] == "Holloway"
    assert shipped["vad_parameters"] == {"min_silence_duration_ms": 500, "speech_pad_ms": 200}
    assert "repetition_penalty" not in shipped  # faster-whisper's own default
    transcription.decode(
        samples, hotwords="Holloway", beam_size=5, options={"vad_threshold": 0.35, "length_penalty": 1.2}
    )
    changed = model.calls[-1]
    assert changed["vad_parameters"]["threshold"] == 0.35 and changed["length_penalty"] == 1.2
    assert "threshold" not in transcription.VAD_PARAMETERS  # the module's defaults are not altered
