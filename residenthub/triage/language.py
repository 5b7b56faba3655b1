"""Which language a message is written in, among those common in a London borough.

lingua ships its models inside the wheel (nothing is fetched). The detector is built once per
process for the listed languages only: far faster to load and smaller than all 75. The first
detection loads the models (about 2 s here); ``warm_up()`` does it ahead of the first resident.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from django.conf import settings

# ISO 639-1 codes. English, then the languages most spoken in London boroughs (2021 census).
DEFAULT_LANGUAGES = [
    "en", "pl", "ro", "pa", "ur", "gu", "ta", "so", "ar",
    "bn", "pt", "es", "cy", "fr", "it", "lt", "tr", "bg", "hi",
]  # fmt: skip

NAMES = {
    "en": "English", "pl": "Polish", "ro": "Romanian", "pa": "Punjabi", "ur": "Urdu", "gu": "Gujarati",
    "ta": "Tamil", "so": "Somali", "ar": "Arabic", "bn": "Bengali", "pt": "Portuguese", "es": "Spanish",
    "cy": "Welsh", "fr": "French", "it": "Italian", "lt": "Lithuanian", "tr": "Turkish", "bg": "Bulgarian",
    "hi": "Hindi", "fa": "Persian", "ru": "Russian", "uk": "Ukrainian", "zh": "Chinese",
}  # fmt: skip

UNDETERMINED = "und"

_lock = threading.Lock()
_detector = None
_LETTERS = re.compile(r"[^\W\d_]", re.U)
_ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "my",
        "is",
        "are",
        "was",
        "were",
        "there",
        "their",
        "have",
        "has",
        "had",
        "been",
        "not",
        "it",
        "its",
        "on",
        "in",
        "of",
        "to",
        "for",
        "at",
        "by",
        "with",
        "from",
        "this",
        "that",
        "i",
        "i'm",
        "i've",
        "we",
        "you",
        "your",
        "our",
        "me",
        "he",
        "she",
        "they",
        "them",
        "his",
        "her",
        "can",
        "can't",
        "don't",
        "please",
        "again",
        "now",
        "still",
        "outside",
        "near",
        "road",
        "street",
        "bin",
        "bins",
        "missed",
    ]
)


@dataclass(frozen=True)
class Detected:
    code: str  # ISO 639-1, or "und" when there is nothing to tell from
    confidence: float
    mixed_with: str = ""  # a second language clearly present too

    @property
    def name(self) -> str:
        return NAMES.get(self.code, self.code)


def languages() -> list[str]:
    return list(settings.TRIAGE_LANGUAGES or DEFAULT_LANGUAGES)


def detector():
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

                wanted = []
                for code in languages():
                    iso = getattr(IsoCode639_1, code.upper(), None)
                    if iso is not None:
                        wanted.append(Language.from_iso_code_639_1(iso))
                if Language.ENGLISH not in wanted:
                    wanted.append(Language.ENGLISH)
                builder = LanguageDetectorBuilder.from_languages(*wanted)
                if settings.TRIAGE_LANGUAGE_ACCURACY != "high":
                    # Trigram models only: loads in ~0.2 s instead of ~3.9 s on one core (measured);
                    # weaker on very short text, which the English guard below covers.
                    builder = builder.with_low_accuracy_mode()
                _detector = builder.build()
    return _detector


def warm_up() -> None:
    detector().compute_language_confidence_values("warm up the language models")


def detect(text: str) -> Detected:
    """The main language of ``text``. Very short Latin-script text is taken as English."""
    letters = _LETTERS.findall(text or "")
    if len(letters) < 3:
        return Detected(UNDETERMINED, 0.0)
    sample = text[:1000]
    values = detector().compute_language_confidence_values(sample)
    if not values:
        return Detected(UNDETERMINED, 0.0)
    top = values[0]
    code = top.language.iso_code_639_1.name.lower()
    confidence = float(top.value)
    ascii_only = all(ord(ch) < 128 for ch in letters)
    tokens = re.findall(r"[a-z']+", sample.lower())
    words = len(tokens)
    english = next((float(v.value) for v in values if v.language.iso_code_639_1.name == "EN"), 0.0)
    english_words = sum(1 for t in tokens if t in _ENGLISH_WORDS)
    if code != "en" and ascii_only and (words < 3 or english >= 0.3 or english_words * 3 >= words):
        # "ok", "help me", "pothole on Mill Lane": too little to tell, or plainly English words;
        # residents here mostly write English.
        return Detected("en", max(english, 0.5))
    second = values[1] if len(values) > 1 else None
    mixed = ""
    if second is not None and float(second.value) >= 0.15 and words >= 4:
        mixed = second.language.iso_code_639_1.name.lower()
    return Detected(code, confidence, mixed)
