"""Offline speech-to-text shared by the phone front door (voice) and meeting minutes.

    from residenthub.speech import load_audio, transcribe, AudioError, Transcript, Segment

Decisions: docs/adr/0090-speech-engine.md. User guide: docs/speech.md.
"""

from .audio import AudioError, load_audio
from .engine import SpeechEngine, get_engine, set_engine, transcribe
from .models import ModelUnavailable
from .types import Segment, Transcript

__all__ = [
    "AudioError",
    "ModelUnavailable",
    "Segment",
    "SpeechEngine",
    "Transcript",
    "get_engine",
    "load_audio",
    "set_engine",
    "transcribe",
]
