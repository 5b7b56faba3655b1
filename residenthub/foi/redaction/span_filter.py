"""A learned filter for person spans that only the weaker name detectors found (issue 13, ADR 0165).

The detector is a union (spaCy, our name rules, the gazetteer, the learned tagger): every member's false
names reach the output, and on text people write (tweets, comments) those false names are most of the
precision gap. This filter looks at each person result that no strong detector supports (strong: a name
rule that read a title, a greeting, a sign-off or "named ..." around it; ``STRONG_SCORE``) and keeps it only
when a small logistic regression says it is likely a name. Its inputs are cheap facts about the result:
which detectors found it or overlap it, the tagger's word probabilities inside it, the words' shape
(capitals, lower case, digits), gazetteer first names, surnames, common and stop words, its place in the
sentence, and how informal the whole text is (share of lower-case and all-caps words, handles).

Since ADR 0168 it also reads the mean of the frozen MiniLM vectors of the result's words (the tagger's own
inputs, no extra encoder pass), which say what kind of thing the words name: a club, a brand, a band or a
town that is capitalised and unknown to the word lists looks like a name to every other feature.

The weights (``span_filter.npz``, about 6 KB) are trained by ``benchmarks/train_span_filter.py --vectors``
on TRAINING corpora only (Broad Twitter Corpus B+E+G, WikiGold, SEC filings, and text from our own
generator), with the tagger's out-of-fold scores on them; the threshold is chosen on the development side.
Their SHA-256 is checked at load, like the tagger's.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import numpy as np

from .name_tagger import Head

WEIGHTS = Path(__file__).with_name("span_filter.npz")
WEIGHTS_SHA256 = "8913ff5deb92f96d30304f4ed9f11f186f460fc1e186cf251246104c5bef0501"
# A result is dropped when the filter's probability that it is a name is below this: chosen on the
# development side (ADR 0168, the filter that reads vectors: the best BTC A+H F2 that costs no formal corpus
# more than 0.005 names recall or precision and BTC A+H at most 0.010 names recall; 0.05 costs BTC 0.016
# and presidio-research 0.007). ADR 0165's filter without vectors had 0.08. ADR 0172 (the tagger's top
# layers fine-tuned, its scores higher and surer): 0.08, by the same rule against the previous detector
# (BTC A+H names recall not lower); a filter retrained on the new tagger's scores lost Nannigalaxy precision.
THRESHOLD = 0.08
# Name-rule results at or above this score read context (title, greeting, sign-off, "named"): strong.
STRONG_SCORE = 0.7
# Whether spaCy's own PERSON results count as strong (never filtered): no, on the development side filtering
# them too gave the higher BTC A+H F2 at every threshold with the same cost on formal text (ADR 0165).
SPACY_STRONG = False
SPACY = "SpacyRecognizer"
RULES = "HubNameRecognizer"
TAGGER = "NameTagger"

_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
_TITLES = frozenset(
    "mr mrs ms miss mx dr prof professor sir dame lady lord rev revd cllr councillor".split()  # noqa: SIM905
)
FEATURES = [
    "spacy",
    "tagger",
    "rule",
    "rule_mid",
    "rule_weak",
    "rule_proper_noun",
    "score",
    "with_spacy",
    "with_tagger",
    "with_rule",
    "p_max",
    "p_mean",
    "p_min",
    "words",
    "title_case",
    "all_caps",
    "lower",
    "first_names",
    "surnames",
    "common",
    "stop",
    "sentence_start",
    "after_title",
    "text_lower",
    "text_caps",
    "text_handles",
]
# Since ADR 0168 the filter also reads the candidate's meaning: the mean of the frozen MiniLM vectors of its
# words (the tagger's own inputs, so no extra encoder pass). Shape and lexicon features cannot tell a
# band, a brand, a show or a town from a person when all are capitalised, unknown words; the vectors carry
# what kind of thing the words name. A weights file of ``len(FEATURES)`` inputs (ADR 0165's) still loads.
VECTOR_SIZE = 384


class FilterWeightsError(RuntimeError):
    """The span filter's weights file is missing or is not the committed one."""


def _source(res) -> str:
    return (res.recognition_metadata or {}).get("recognizer_name", "")


def strong(res) -> bool:
    return _source(res) == RULES and res.score >= STRONG_SCORE


def text_features(text: str) -> tuple[float, float, float]:
    """How informal the text is: share of lower-case words, of all-caps words, handles or hashtags."""
    words = [w for w in _WORD.findall(text) if w[:1].isalpha()]
    if not words:
        return 0.0, 0.0, 0.0
    lower = sum(w[0].islower() for w in words) / len(words)
    caps = sum(w.isupper() and len(w) > 1 for w in words) / len(words)
    return lower, caps, float(bool(re.search(r"(?<!\S)[@#]\w", text)))


def features(text: str, res, results, ws, p, informal: tuple[float, float, float]) -> np.ndarray:
    from . import gazetteer

    source = _source(res)
    others = [
        o
        for o in results
        if o is not res and o.entity_type == res.entity_type and o.start < res.end and res.start < o.end
    ]
    inside = [
        i for i, w in enumerate(ws) if res.start <= w.start and w.end <= res.end and w.text[0].isalnum()
    ]
    probs = [float(p[i]) for i in inside] or [0.0]
    tokens = [ws[i].text for i in inside] or [text[res.start : res.end]]
    lows = [t.lower().strip(".") for t in tokens]
    first, last = gazetteer.first_names(), gazetteer.surnames()
    common, stop = gazetteer.common_words(), gazetteer._stop_words()
    n = len(tokens)
    head = inside[0] if inside else None
    prev = ws[head - 1].text if head else None
    return np.array(
        [
            source == SPACY,
            source == TAGGER,
            source == RULES,
            source == RULES and 0.5 <= res.score < STRONG_SCORE,
            source == RULES and res.score < 0.5,
            bool((res.recognition_metadata or {}).get("proper_noun")),
            res.score,
            any(_source(o) == SPACY for o in others),
            any(_source(o) == TAGGER for o in others),
            any(_source(o) == RULES for o in others),
            max(probs),
            sum(probs) / len(probs),
            min(probs),
            min(n, 4) / 4,
            sum(t[:1].isupper() and not t.isupper() for t in tokens) / n,
            sum(t.isupper() and len(t) > 1 for t in tokens) / n,
            sum(t[:1].islower() for t in tokens) / n,
            sum(w in first for w in lows) / n,
            sum(w in last for w in lows) / n,
            sum(w in common for w in lows) / n,
            sum(w in stop for w in lows) / n,
            head is None or head == 0 or ws[head - 1].text in '.!?:;"“”()',
            prev is not None and prev.lower().rstrip(".") in _TITLES,
            *informal,
        ],
        dtype=np.float32,
    )


def span_vector(res, ws, vectors: np.ndarray | None) -> np.ndarray:
    """The mean encoder vector of the result's words (zeros when it covers none or none are given)."""
    inside = [
        i for i, w in enumerate(ws) if res.start <= w.start and w.end <= res.end and w.text[0].isalnum()
    ]
    if vectors is None or not inside or len(vectors) != len(ws):
        return np.zeros(VECTOR_SIZE, dtype=np.float32)
    return vectors[inside].mean(0).astype(np.float32)


class SpanFilter:
    def __init__(self, path: Path = WEIGHTS, sha256: str | None = None):
        self.head = Head.load(
            path,
            WEIGHTS_SHA256 if sha256 is None else sha256,
            FilterWeightsError,
            "the span filter",
            "benchmarks/train_span_filter.py",
        )

    @property
    def reads_vectors(self) -> bool:
        return len(self.head.mean) == len(FEATURES) + VECTOR_SIZE

    def probability(self, x: np.ndarray) -> np.ndarray:
        return self.head.probability(x)


def candidates(results, spacy_strong: bool | None = None, text: str | None = None) -> list:
    """The person results no strong detector supports (the filter's only business). With ``text``, a result
    whose every word is a gazetteer first name is no candidate either (ADR 0168: the vectors know little of
    rarer first names, "ROSALIND", and a missed name is a breach)."""
    spacy_strong = SPACY_STRONG if spacy_strong is None else spacy_strong
    persons = [r for r in results if r.entity_type == "PERSON"]
    backed = [r for r in persons if strong(r) or (spacy_strong and _source(r) == SPACY)]
    weak = [r for r in persons if not any(b.start < r.end and r.start < b.end for b in backed)]
    if text is None:
        return weak
    return [r for r in weak if not _first_names_only(text[r.start : r.end])]


def _first_names_only(value: str) -> bool:
    from . import gazetteer

    first = gazetteer.first_names()
    found = re.findall(r"\w+", value)
    return bool(found) and all(w.lower() in first for w in found)


def keep(
    text: str,
    results: list,
    ws,
    p,
    filt: SpanFilter,
    threshold: float | None = None,
    spacy_strong: bool | None = None,
    vectors: np.ndarray | None = None,
) -> list:
    """``results`` without the unsupported person results the filter scores below ``threshold``;
    ``vectors``: the encoder vectors of ``ws`` (``name_tagger.NameTagger.scored``)."""
    threshold = THRESHOLD if threshold is None else threshold
    weak = candidates(results, spacy_strong, text)
    if not weak:
        return results
    informal = text_features(text)
    x = np.vstack([features(text, r, results, ws, p, informal) for r in weak])
    if filt.reads_vectors:
        x = np.hstack([x, np.vstack([span_vector(r, ws, vectors) for r in weak])])
    drop = {id(r) for r, q in zip(weak, filt.probability(x), strict=True) if q < threshold}
    return [r for r in results if id(r) not in drop]


_lock = threading.Lock()
_filter: SpanFilter | None = None


def get_filter() -> SpanFilter:
    global _filter
    if _filter is None:
        with _lock:
            if _filter is None:
                _filter = SpanFilter()
    return _filter
