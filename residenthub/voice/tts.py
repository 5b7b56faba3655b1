"""What the agent says, as 8 kHz audio: a recorded WAV when the council has one, else synthesised
with Debian's flite or espeak-ng (``VOICE_TTS_VOICE``). Repeated prompts are synthesised once; a
reply is synthesised a sentence at a time, so the caller hears the first sentence sooner."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from django.conf import settings

from residenthub.speech import load_audio
from residenthub.speech.synth import synthesise

from . import languages

RATE = 8000


def _recorded(text: str) -> Path | None:
    """``VOICE_PROMPTS_DIR/greeting.wav`` for the greeting, or a file named by the text's hash."""
    if not settings.VOICE_PROMPTS_DIR:
        return None
    from .dialog import greeting

    folder = Path(settings.VOICE_PROMPTS_DIR)
    name = "greeting" if text == greeting() else hashlib.sha256(text.encode()).hexdigest()[:16]
    path = folder / f"{name}.wav"
    return path if path.exists() else None


@functools.lru_cache(maxsize=256)
def _speak(text: str, voice: str) -> np.ndarray:
    audio = synthesise(text, voice=voice, sample_rate=RATE)
    return (audio * (0.7 / max(float(np.abs(audio).max()), 1e-3))).astype(np.float32)


def speak(text: str, voice: str | None = None) -> np.ndarray:
    recorded = _recorded(text)
    if recorded is not None:
        return load_audio(recorded, sample_rate=RATE)
    return _speak(text, voice or settings.VOICE_TTS_VOICE)


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """The reply's sentences: "If anyone is in danger now, ... call 9 9 9. Call the gas emergency
    line on ..." is two."""
    return [part for part in _SENTENCE_END.split(text.strip()) if part]


def speak_sentences(text: str) -> Iterator[np.ndarray]:
    """``speak`` a sentence at a time (a recording of the whole reply, when there is one, in one
    piece): the first sentence is ready after its own synthesis, not the whole reply's (ADR 0166)."""
    if _recorded(text) is not None:
        yield speak(text)
        return
    for sentence in sentences(text):
        yield speak(sentence)


def speak_reply(reply) -> Iterator[np.ndarray]:
    """A ``dialog.Reply``: what it says first in an interpreter caller's language (espeak-ng's voice
    for it), then its English, a sentence at a time."""
    if reply.first:
        language, words = reply.first
        yield speak(words, voice=languages.phrases(language).espeak_voice)
    yield from speak_sentences(reply.say)
