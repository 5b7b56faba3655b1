"""What the agent says, as 8 kHz audio: a recorded WAV when the council has one, else synthesised
with Debian's flite or espeak-ng (``VOICE_TTS_VOICE``). Repeated prompts are synthesised once."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import numpy as np
from django.conf import settings

from residenthub.speech import load_audio
from residenthub.speech.synth import synthesise

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


def speak(text: str) -> np.ndarray:
    recorded = _recorded(text)
    if recorded is not None:
        return load_audio(recorded, sample_rate=RATE)
    return _speak(text, settings.VOICE_TTS_VOICE)
