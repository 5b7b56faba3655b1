"""A learned second opinion on a caller's first words: does this sound like an emergency? (ADR 0175)

Triage's rules (``triage/urgency.py``) are explainable but read phrases: on calls written by someone
who never saw them they caught about three urgent callers in four ("he's out cold on the sofa", "the
through-floor lift has jammed with my wife in it"). This model reads what the words mean instead: a
logistic regression over the same sentence vector the service model uses (all-MiniLM-L6-v2), trained
by ``benchmarks/train_caller_urgency.py`` on callers' words (urgent and ordinary, tune rows only) and
on real residents' ordinary messages, with its bar set so that it adds one false alarm in a hundred
ordinary messages.

It speaks only when no rule did, and only on the phone: its flag is of the "vulnerable" kind, so the
caller is put at the top of the callback list with the words that scored, and told once to call 999
if anyone is in danger now; the call then goes on. It never ends a call with emergency numbers on its
own, which stay with the rules.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from residenthub.triage import linear_file
from residenthub.triage.urgency import CALLER_MODEL, Flag

MODEL_FILE = Path(__file__).resolve().parent / "data" / "caller_urgency.json"
PHRASE_CHARS = 160


class CallerUrgencyError(ValueError):
    """The model file is missing a part or has the wrong shape."""


class CallerUrgency(linear_file.Linear):
    FILE = MODEL_FILE
    ERROR = CallerUrgencyError
    WHAT = "caller urgency model"

    def score(self, vector: np.ndarray) -> float:
        return self.probability(vector)


_shipped = linear_file.Shipped(CallerUrgency.from_file, MODEL_FILE)


def get_model(path: Path | None = None) -> CallerUrgency | None:
    """The shipped model, read once; None when the file is absent (the rules still run)."""
    return _shipped.get(path)


def set_model(model: CallerUrgency | None, path: Path | None = None) -> None:
    """Replace the process-wide model (after a refit, and in tests)."""
    _shipped.put(model, path)


def vector_of(text: str) -> np.ndarray:
    from residenthub.triage.model import embed

    return embed([text])[0]


def flag(text: str, existing: list) -> Flag | None:
    """The model's flag for a caller's words, when no urgent or vulnerable rule already spoke."""
    if not text.strip() or any(f.kind in {"urgent", "vulnerable"} for f in existing):
        return None
    model = get_model()
    if model is None:
        return None
    value = model.score(vector_of(text))
    if value < model.bar:
        return None
    words = " ".join(text.split())
    if len(words) > PHRASE_CHARS:
        words = words[: PHRASE_CHARS - 3] + "..."
    return Flag(CALLER_MODEL.category, f"{words} (model {value:.2f})", CALLER_MODEL.kind)
