"""Guards against what Whisper says when nobody is speaking.

On silence or line noise Whisper tends to invent a stock phrase ("Thank you.", "Thanks for
watching!") or to loop on one phrase. Faster-whisper already drops segments that are both likely
non-speech and unlikely text; these rules catch the rest, without hiding a caller who really says
"help, help, help" (a repeat is cut to three, never removed).
"""

from __future__ import annotations

import bisect
import re

import numpy as np

from .types import Segment, Transcript

SILENCE_RMS = 10 ** (-60 / 20)  # -60 dBFS: below this there is nothing to hear
MAX_REPEATS = 3
# What Whisper says over silence and noise (normalised: lower case, no punctuation).
STOCK_PHRASES = {
    "thank you",
    "thank you very much",
    "thanks for watching",
    "thank you for watching",
    "please subscribe",
    "subtitles by the amara org community",
    "you",
    "bye",
    "so",
    "oh",
    "hmm",
    "music",
}
_NORMAL = re.compile(r"[^\w' ]+", re.U)


def is_silent(samples: np.ndarray) -> bool:
    if samples.size == 0:
        return True
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) < SILENCE_RMS


def _normal(text: str) -> str:
    return " ".join(_NORMAL.sub(" ", text.lower()).split())


def collapse_repeats(text: str, keep: int = MAX_REPEATS) -> str:
    """A word or phrase (up to 8 words) repeated more than ``keep`` times in a row is cut to ``keep``."""
    words = text.split()
    if len(words) <= keep:
        return text
    out: list[str] = []
    i = 0
    while i < len(words):
        cut = False
        for n in range(1, 9):
            unit = [w.lower().strip(".,!?") for w in words[i : i + n]]
            if len(unit) < n:
                break
            count = 1
            while [w.lower().strip(".,!?") for w in words[i + count * n : i + (count + 1) * n]] == unit:
                count += 1
            if count > keep:
                out.extend(words[i : i + keep * n])
                i += count * n
                cut = True
                break
        if not cut:
            out.append(words[i])
            i += 1
    return " ".join(out)


PROMPT_ECHO_TERMS = 5


def echoes_prompt(text: str, prompt: str, *, terms: int = PROMPT_ECHO_TERMS) -> bool:
    """Whisper reciting its prompt instead of hearing the audio: ``terms`` or more of the prompt's
    comma-separated terms found in ``text`` in the prompt's own order. Seen on unintelligible calls, whose
    re-decoding with the urgent words (``voice.vocabulary.PROMPT_URGENT``) came back as "Or an emergency,
    ... flooded, collapsed, disabled, wheelchair, carer, pregnant, domestic abuse, suicide" and raised five
    flags on a caller asking for a parking permit (ADR 0185). A caller naming five of them in that order is
    not expected; one who does is still heard by the best hearing."""
    heard = f" {_normal(text)} "
    order = []
    for index, term in enumerate(t for t in (_normal(x) for x in re.split(r"[,.:;]", prompt)) if t):
        where = heard.find(f" {term} ")
        if where >= 0:
            order.append((where, index))
    # The terms heard in the prompt's order: the longest increasing run of their places in the prompt.
    return _longest_increasing([index for _where, index in sorted(order)]) >= terms


def _longest_increasing(values: list[int]) -> int:
    """The length of the longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    for v in values:
        at = bisect.bisect_left(tails, v)
        tails[at : at + 1] = [v]
    return len(tails)


def clean(transcript: Transcript) -> Transcript:
    segments: list[Segment] = []
    notes = list(transcript.notes)
    previous = ""
    repeats = 0
    for seg in transcript.segments:
        normal = _normal(seg.text)
        if not normal:
            continue
        if normal in STOCK_PHRASES and (seg.no_speech_prob > 0.3 or seg.avg_logprob < -0.7):
            notes.append("stock_phrase_removed")
            continue
        repeats = repeats + 1 if normal == previous else 0
        previous = normal
        if repeats >= MAX_REPEATS:
            notes.append("repetition_removed")
            continue
        text = collapse_repeats(seg.text.strip())
        if text != seg.text.strip():
            notes.append("repetition_removed")
        segments.append(Segment(seg.start, seg.end, text, seg.avg_logprob, seg.no_speech_prob))
    transcript.segments = segments
    transcript.notes = list(dict.fromkeys(notes))
    # Other hearings of audio whose best hearing was nothing are not kept either; loops are cut.
    transcript.alternatives = [collapse_repeats(a) for a in transcript.alternatives] if segments else []
    return transcript
