"""Sound-alike matching of recognised words against a known vocabulary.

Both the phone (a catalogue's service names) and the minutes (a meeting's attendance and agenda)
correct words Whisper misheard by comparing rough sound keys, so the key and the distance live here,
below both apps (ADR 0164).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SOUNDS = (
    ("ph", "f"), ("ck", "k"), ("gh", ""), ("wh", "w"), ("kn", "n"), ("wr", "r"), ("mb", "m"),
    ("tch", "ch"), ("dge", "j"), ("ce", "se"), ("ci", "si"), ("y", "i"), ("z", "s"), ("q", "k"),
    ("x", "ks"), ("ee", "i"), ("ea", "i"), ("ou", "u"), ("oo", "u"), ("ai", "a"), ("ay", "a"),
)  # fmt: skip


def sound_key(text: str) -> str:
    """A rough sound-alike key: letters only, common spellings of one sound made one."""
    text = re.sub(r"[^a-z]", "", text.lower())
    for spelling, sound in _SOUNDS:
        text = text.replace(spelling, sound)
    return re.sub(r"(.)\1+", r"\1", text)


def edit_distance(a: Sequence, b: Sequence) -> int:
    """Levenshtein distance (insertions, deletions, substitutions) between two strings, or two lists
    of words (word error counts)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[:], i
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
    return row[-1]


def keys_near(heard: str, term: str, max_share: float, min_length: int) -> bool:
    """Sound keys ``heard`` and ``term`` within ``max_share`` of the term's length, with the same
    first sound (rarely lost) and the term at least ``min_length`` sounds long (short words are too
    risky to rewrite)."""
    if not heard or not term or heard == term:
        return heard == term and bool(heard)
    if heard[0] != term[0] or len(term) < min_length:
        return False
    allowed = max(1, int(max_share * len(term)))
    return abs(len(heard) - len(term)) <= allowed and edit_distance(heard, term) <= allowed
