"""The council's own street names, put back together in what a caller said.

Recognition splits and mis-cases street names: "Riverside, close", "river side close", and, when a
pause on a jittery line falls inside the name, "number 4 River. side close" (the piece before the
pause and the piece after it are transcribed apart). The confirmation must read the street back as
the council writes it, or the caller hears "Side Close" and the case goes to the wrong place. Each
street in the gazetteer is looked for by its letters alone, so spaces, commas, full stops and case
inside it do not matter; only whole words are replaced.
"""

from __future__ import annotations

import re
import threading
import time

CACHE_SECONDS = 300  # addresses change rarely; a new street is heard within five minutes
MIN_LETTERS = 8  # shorter names ("Elm Way") are left to the ordinary extractors
# "4 Riverside Close", "Flat 2, 10 Mill Lane": the house part before the street.
_HOUSE = re.compile(r"^(?:(?:flat|unit|apartment)\s+\S+,?\s*)?\d+[a-z]?(?:-\d+[a-z]?)?,?\s+", re.I)

_cached: tuple[float, tuple[tuple[str, str], ...]] | None = None
_lock = threading.Lock()


def street_of(line1: str) -> str:
    """ "4 Riverside Close" -> "Riverside Close"; "" when the line has no house number before a name."""
    match = _HOUSE.match(line1.strip())
    return line1.strip()[match.end() :].strip(" ,") if match else ""


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def build(lines) -> tuple[tuple[str, str], ...]:
    """(letters, name) for each distinct street, longest first so "Mill Lane East" wins over "Mill Lane".

    Names starting "The" are left out: "the green bin" must not become "The Green"."""
    streets = {}
    for line in lines:
        name = street_of(line)
        letters = _letters(name)
        if len(letters) >= MIN_LETTERS and not name.lower().startswith("the "):
            streets.setdefault(letters, name)
    return tuple(sorted(((k, v) for k, v in streets.items()), key=lambda kv: -len(kv[0])))


def known() -> tuple[tuple[str, str], ...]:
    """The gazetteer's streets, re-read at most every five minutes."""
    global _cached
    with _lock:
        if _cached is None or time.monotonic() - _cached[0] > CACHE_SECONDS:
            from residenthub.core.models import Address

            lines = Address.objects.values_list("line1", flat=True).distinct().iterator()
            _cached = (time.monotonic(), build(lines))
        return _cached[1]


def forget() -> None:
    """Drop the cached streets (after addresses are loaded; tests)."""
    global _cached
    with _lock:
        _cached = None


def restore(text: str, streets: tuple[tuple[str, str], ...] | None = None) -> str:
    """``text`` with every known street, however split or cased, written as the gazetteer writes it."""
    streets = known() if streets is None else streets
    if not text or not streets:
        return text
    positions = [i for i, ch in enumerate(text) if ch.isascii() and ch.isalpha()]
    squashed = "".join(text[i] for i in positions).lower()
    spans = []
    for letters, name in streets:
        start = squashed.find(letters)
        while start != -1:
            first, last = positions[start], positions[start + len(letters) - 1]
            whole = (first == 0 or not text[first - 1].isalpha()) and (
                last + 1 == len(text) or not text[last + 1].isalpha()
            )
            if whole and all(first > end or last < begin for begin, end, _ in spans):
                spans.append((first, last, name))
            start = squashed.find(letters, start + 1)
    for first, last, name in sorted(spans, reverse=True):
        text = text[:first] + name + text[last + 1 :]
    return text
