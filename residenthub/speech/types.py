"""What a transcription returns, whichever engine produced it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Segment:
    """One stretch of speech: times in seconds from the start of the audio."""

    start: float
    end: float
    text: str
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0

    def as_dict(self) -> dict:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


@dataclass
class Transcript:
    segments: list[Segment] = field(default_factory=list)
    language: str = "en"
    language_probability: float = 0.0
    duration: float = 0.0  # seconds of audio heard (not of speech)
    notes: list[str] = field(default_factory=list)  # e.g. "repetition_removed", "silence"
    # Other hearings of the same audio, whole texts, best first (the beam's runners-up; only when
    # asked for: ``transcribe(alternatives=)``). Not part of ``as_dict``: nobody is shown them.
    alternatives: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip()).strip()

    @property
    def confidence(self) -> float:
        """A rough 0-1 figure from the segments' mean log-probability (for thresholds, not display)."""
        if not self.segments:
            return 0.0
        import math

        weights = [max(s.end - s.start, 0.01) for s in self.segments]
        mean = sum(w * s.avg_logprob for w, s in zip(weights, self.segments, strict=True)) / sum(weights)
        return round(math.exp(mean), 3)

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "language": self.language,
            "language_probability": round(self.language_probability, 3),
            "duration": round(self.duration, 3),
            "segments": [s.as_dict() for s in self.segments],
            "notes": list(self.notes),
        }
