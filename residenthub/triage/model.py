"""The service classifier: word and character n-gram TF-IDF with a multinomial logistic regression.

Chosen by measurement (docs/adr/0010-triage-classifier.md). Trained from the shipped seed corpus
(``data/seed.csv``), an off-topic class (``data/off_topic.csv``) and, optionally, the council's own
history and staff re-routings. The fitted pipeline is persisted with joblib under ``var/triage/``
(``TRIAGE_MODEL_PATH``) with a format version, and trained automatically from the seed corpus the
first time it is needed when the file is missing or stale. Loading never touches the network.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_FILE = DATA_DIR / "seed.csv"
OFF_TOPIC_FILE = DATA_DIR / "off_topic.csv"
TEST_FILE = DATA_DIR / "test.csv"

OFF_TOPIC = "_off_topic"  # the label of text that is not a council matter
FORMAT = 1  # bump when the persisted shape or the features change: old files are retrained
MAX_MODEL_CHARS = 2000  # the classifier reads the start of very long messages; the record keeps all

_lock = threading.Lock()
_loaded: TriageModel | None = None


def model_path() -> Path:
    configured = getattr(settings, "TRIAGE_MODEL_PATH", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "triage" / "model.joblib"


_TAG = re.compile(r"<[^>]{0,200}>")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """What the features see: NFKC, lower case, tags and runs of space removed, length capped."""
    text = unicodedata.normalize("NFKC", text or "")[: MAX_MODEL_CHARS * 2]
    text = _TAG.sub(" ", text)
    return _SPACE.sub(" ", text).strip().lower()[:MAX_MODEL_CHARS]


def build_pipeline(kind: str = "hub"):
    """``hub``: the model we ship. ``baseline``: plain TF-IDF + logistic regression, for comparison."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    if kind == "baseline":
        return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
    words = TfidfVectorizer(preprocessor=normalise, ngram_range=(1, 2), sublinear_tf=True)
    chars = TfidfVectorizer(preprocessor=normalise, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    return make_pipeline(make_union(words, chars), LogisticRegression(C=20, max_iter=3000))


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
    examples, _problems = read_labelled(SEED_FILE)
    with open(OFF_TOPIC_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["text"].strip():
                examples.add(row["text"].strip(), OFF_TOPIC)
    return examples


# --- The model -----------------------------------------------------------------------------------------


@dataclass
class Prediction:
    code: str
    confidence: float


class TriageModel:
    """A fitted pipeline and what is known about it."""

    def __init__(self, pipeline, *, trained_at: float, examples: int, version: str, kind: str = "hub"):
        self.pipeline = pipeline
        self.trained_at = trained_at
        self.examples = examples
        self.version = version
        self.kind = kind
        self.classes = [str(c) for c in pipeline.classes_]

    @classmethod
    def train(cls, examples: Examples, *, kind: str = "hub") -> TriageModel:
        if len(set(examples.labels)) < 2:
            raise TrainingDataError("training needs examples of at least two services")
        from threadpoolctl import threadpool_limits

        pipeline = build_pipeline(kind)
        # One BLAS thread: on a small machine several threads fight and training is 3x slower.
        with threadpool_limits(1):
            pipeline.fit(examples.texts, examples.labels)
        now = time.time()
        return cls(
            pipeline, trained_at=now, examples=len(examples), version=f"{kind}-{FORMAT}-{int(now)}", kind=kind
        )

    def predict_many(self, texts: list[str], top: int = 3) -> list[list[Prediction]]:
        """Per text, the ``top`` most likely labels (the off-topic label included), best first."""
        if not texts:
            return []
        probabilities = self.pipeline.predict_proba([t[: MAX_MODEL_CHARS * 2] for t in texts])
        results = []
        for row in probabilities:
            order = row.argsort()[::-1][:top]
            results.append([Prediction(self.classes[i], float(row[i])) for i in order])
        return results

    def predict(self, text: str, top: int = 3) -> list[Prediction]:
        return self.predict_many([text], top=top)[0]

    # Persistence -------------------------------------------------------------------------------------

    def save(self, path: Path | None = None) -> Path:
        import joblib
        import sklearn

        path = path or model_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": FORMAT,
            "sklearn": sklearn.__version__,
            "pipeline": self.pipeline,
            "trained_at": self.trained_at,
            "examples": self.examples,
            "version": self.version,
            "kind": self.kind,
        }
        # Write then rename, so a reader in another process never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        joblib.dump(payload, tmp, compress=3)
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, path: Path | None = None) -> TriageModel | None:
        """The persisted model, or None when it is missing, unreadable or from another version."""
        import joblib
        import sklearn

        path = path or model_path()
        if not path.exists():
            return None
        try:
            payload = joblib.load(path)
        except Exception:  # a damaged file is retrained, never fatal
            log.warning("triage model at %s could not be read; it will be retrained", path)
            return None
        if (
            not isinstance(payload, dict)
            or payload.get("format") != FORMAT
            or payload.get("sklearn") != sklearn.__version__
        ):
            return None
        return cls(
            payload["pipeline"],
            trained_at=payload["trained_at"],
            examples=payload["examples"],
            version=payload["version"],
            kind=payload.get("kind", "hub"),
        )


def get_model() -> TriageModel:
    """The process-wide model: loaded once; trained from the seed corpus and saved when missing."""
    global _loaded
    if _loaded is not None:
        return _loaded
    with _lock:
        if _loaded is None:
            model = TriageModel.load()
            if model is None:
                log.info("training the triage model from the seed corpus")
                model = TriageModel.train(seed_examples())
                try:
                    model.save()
                except OSError:
                    log.warning("could not save the triage model to %s; keeping it in memory", model_path())
            _loaded = model
    return _loaded


def set_model(model: TriageModel | None) -> None:
    """Replace the process-wide model (after training, and in tests)."""
    global _loaded
    _loaded = model


def examples_from_text(text: str) -> Examples:
    """Parse CSV text (used by tests and the upload of a council's history)."""
    examples, _problems = read_labelled(io.StringIO(text))
    return examples
