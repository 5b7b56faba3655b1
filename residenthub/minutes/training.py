"""Train the decision/action classifier on real meeting records (not on our scripted meetings).

Labels come from the records' own markup, not from us: a line marked "ACTION:" or listed under an
"Action(s):" heading is an action; "RESOLVED", "Decision:", "The Board agreed" (and the items of
its list) are decisions; every other sentence is "other". The markers themselves are removed
before training, so the model learns the wording of decisions and actions, not the markers.

    hub minutes train-detector  (reads data/*.csv, writes data/detector.joblib)

Sources and licences: data/SOURCES.md. ``extract_markdown`` made the CSVs from the public
repositories named there.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from .drafting import DATA_DIR

LABELS = ("decision", "action", "other")
_MARKER = re.compile(
    r"^\s*(?:[*\-+]|\d+[.)])?\s*(?:\*\*)?(action( item| point)?s?|decisions?|resolved|agreed|outcome)"
    r"(?:\*\*)?\s*[:\-–]\s*",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _clean(text: str) -> str:
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)  # markdown links
    text = re.sub(r"<[^>]+>|https?://\S+|[*_`#>]", " ", text)
    return " ".join(text.split())


def extract_markdown(text: str) -> list[tuple[str, str]]:
    """(sentence, label) pairs from one minutes document in markdown."""
    out: list[tuple[str, str]] = []
    section = "other"
    in_agreed_list = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(
            ("---", "layout:", "title:", "permalink:", "author:", "date:", "slug:")
        ):
            in_agreed_list = in_agreed_list and bool(line == "")
            continue
        heading = re.match(r"^#+\s*(.*)$", line)
        if heading:
            title = heading.group(1).lower()
            section = (
                "action"
                if re.match(r"^actions?\b", title)
                else "decision"
                if re.match(r"^(decisions?|resolutions?|summary of outcomes)\b", title)
                else "other"
            )
            in_agreed_list = False
            continue
        if re.search(
            r"\b(board|panel|committee|meeting) (agreed|resolved|decided)\s*(that)?\s*:?\s*$", line, re.I
        ):
            in_agreed_list = True
            continue
        marker = _MARKER.match(line)
        label = section
        if marker:
            word = marker.group(1).lower()
            label = "action" if word.startswith("action") else "decision"
            line = line[marker.end() :]
        elif (
            in_agreed_list and re.match(r"^\s*([*\-+]|\d+[.)])\s+", line) or re.search(r"\bRESOLVED\b", line)
        ):
            label = "decision"
        line = re.sub(r"^\s*([*\-+]|\d+[.)])\s+", "", line)
        cleaned = _clean(line)
        pieces = [cleaned] if label != "other" else _SENTENCE.split(cleaned)
        for piece in pieces:
            if len(piece.split()) >= 4:
                out.append((piece, label))
    return out


def write_csv(rows: list[tuple[str, str, str]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "text", "label"])
        writer.writerows(rows)


def read_csv(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [(row["text"], row["label"]) for row in csv.DictReader(handle)]


def normalise(text: str) -> str:
    """Names and numbers as placeholders: the model should learn "X to send Y", not who X was."""
    text = re.sub(r"\b\d[\d,.:/]*\b", " 0 ", text)
    text = re.sub(r"\b(?:[A-Z]{1,4}(?:/[A-Z]{1,4})?|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)\b", " NAME ", text)
    return " ".join(text.split()).lower()


def build_model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, preprocessor=normalise)),
        ]
    )
    model = LogisticRegression(max_iter=2000, class_weight="balanced", C=10.0)
    return Pipeline([("features", features), ("model", model)])


def train(train_csv: Path = DATA_DIR / "train_okfn.csv", out: Path = DATA_DIR / "detector.joblib"):
    import joblib

    rows = read_csv(train_csv)
    model = build_model().fit([t for t, _ in rows], [label for _, label in rows])
    joblib.dump(model, out, compress=3)
    return model
