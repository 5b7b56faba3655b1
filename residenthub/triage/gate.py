"""The "general chatter" gate: is this message about anything a council or city does at all? (ADR 0134)

The service model learns "not a council matter" from a few hundred examples, most of them civic
complaints for other bodies; text about nothing civic ("so excited for the weekend!!") sometimes
lands near a service and is routed with confidence. The gate is a separate logistic regression on
the same sentence vector, fitted on civic reports (the training sources and our own sentences)
against general chatter from a source the service model never saw (UCI SMS Spam Collection, see
``data/real/SOURCES.md``) plus the Mumbai collectors' non-complaints. When it is sure a message is
chatter while the service model would route it, the message goes to a person ("not sure")
instead of a service: the two disagree, so neither is trusted.

The bar is chosen leaving one place out, as ADR 0131 does for the service model's bar: each civic
place and each chatter source is scored by a gate fitted without it, and the bar is the lowest at
which civic reports the service model routes lose at most ``MAX_CIVIC_LOSS`` of their routing.
The evaluation sources are never part of it.

The fitted gate is tiny (384 weights, a bias and the bar) and ships as JSON
(``data/model/general_gate.json``), rebuilt with ``hub triage gate``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from . import linear_file
from . import model as triage_model

GATE_FILE = triage_model.DATA_DIR / "model" / "general_gate.json"
CHATTER_FILE = triage_model.REAL_DIR / "general_chatter.csv"
CHATTER_SOURCES = ("uci-sms", "btc-tweets-general")  # each left out in turn
MAX_CIVIC_LOSS = 0.01  # routed civic reports the gate may send to a person, out of place
BARS = [round(0.5 + 0.025 * k, 3) for k in range(20)]  # 0.5 ... 0.975
C = 0.5


class GateError(ValueError):
    """The gate file is missing a part or has the wrong shape."""


class Gate(linear_file.Linear):
    FILE = GATE_FILE
    ERROR = GateError
    WHAT = "gate"

    def chatter(self, vector: np.ndarray) -> float:
        """The probability that the text of this sentence vector is general chatter."""
        return self.probability(vector)

    def blocks(self, vector: np.ndarray) -> bool:
        return self.chatter(vector) >= self.bar


_shipped = linear_file.Shipped(Gate.from_file, GATE_FILE)


def get_gate(path: Path | None = None) -> Gate | None:
    """The shipped gate, read once; None when the file is absent (the front door works without)."""
    return _shipped.get(path)


# --- Fitting and the bar ---------------------------------------------------------------------------------


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _chatter_source(source: str) -> str:
    return "uci-sms" if source.startswith("uci-sms") else source


def corpus() -> tuple[list[str], np.ndarray, list[str], list[str], list[bool]]:
    """Texts, labels (1 = chatter), the place or chatter source each text is left out with ("" =
    never: our own sentences), the service-model label, and whether a text is in the held-back
    calibration split."""
    texts, labels, groups, codes, held = [], [], [], [], []
    for path, is_held in ((triage_model.REAL_TRAIN_FILE, False), (triage_model.CALIBRATION_FILE, True)):
        for row in _rows(path):
            general = row["source"] in triage_model.GENERAL_OFF_TOPIC_SOURCES
            texts.append(row["text"])
            labels.append(1 if general else 0)
            groups.append(row["source"] if general else triage_model._place(row["source"]))
            codes.append(row["service_code"])
            held.append(is_held)
    for row in _rows(CHATTER_FILE):
        texts.append(row["text"])
        labels.append(1)
        groups.append(_chatter_source(row["source"]))
        codes.append(triage_model.OFF_TOPIC)
        held.append(True)
    seed = triage_model.seed_examples()
    for text, label in zip(seed.texts, seed.labels, strict=True):
        texts.append(text)
        labels.append(1 if label == triage_model.OFF_TOPIC else 0)
        groups.append("")
        codes.append(label)
        held.append(False)
    return texts, np.array(labels), groups, codes, held


def _fit(vectors: np.ndarray, labels: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit(vectors, labels)


def out_of_place(vectors: np.ndarray, labels: np.ndarray, groups: list[str]) -> np.ndarray:
    """Each civic text's chatter probability from gates fitted without its place, and each chatter
    text's from gates fitted without its source (averaged over the other side's folds)."""
    groups_arr = np.array(groups)
    places = sorted({g for g, y in zip(groups, labels, strict=True) if g and y == 0})
    sources = sorted({g for g, y in zip(groups, labels, strict=True) if g and y == 1})
    total = np.zeros(len(labels))
    for place in places:
        for source in sources:
            keep = (groups_arr != place) & (groups_arr != source)
            clf = _fit(vectors[keep], labels[keep])
            for name, share in ((place, len(sources)), (source, len(places))):
                rows = groups_arr == name
                total[rows] += clf.predict_proba(vectors[rows])[:, 1] / share
    return total


def train(service_model=None) -> Gate:
    """Fit the gate on everything and choose its bar leaving one place (or chatter source) out."""
    texts, labels, groups, codes, held = corpus()
    vectors = triage_model.embed([t[: triage_model.TRAIN_CHARS] for t in texts], cache=True)
    scored = out_of_place(vectors, labels, groups)
    service_model = service_model or triage_model.load_shipped()
    # What the service model routes without asking (held-back messages of the training sources,
    # and chatter it never trained on): the gate only matters there.
    routed = np.zeros(len(texts), dtype=bool)
    candidates = [i for i in range(len(texts)) if held[i] and groups[i]]
    for start in range(0, len(candidates), 256):
        chunk = candidates[start : start + 256]
        for i, top in zip(chunk, service_model.predict_many([texts[i] for i in chunk], top=1), strict=True):
            routed[i] = top[0].code != triage_model.OFF_TOPIC and top[0].confidence >= service_model.confident
    civic = np.array(
        [h and y == 0 and c != triage_model.OFF_TOPIC for h, y, c in zip(held, labels, codes, strict=True)]
    )
    chatter = {
        s: np.array([h and g == s for h, g in zip(held, groups, strict=True)]) for s in CHATTER_SOURCES
    }
    curve = []
    for bar in BARS:
        kept = routed & (scored < bar)
        curve.append(
            {
                "bar": bar,
                "civic_routed": float(kept[civic].mean()),
                **{f"{s}_routed": float(kept[rows].mean()) for s, rows in chatter.items()},
            }
        )
    baseline = float(routed[civic].mean())
    chosen = next((row["bar"] for row in curve if baseline - row["civic_routed"] <= MAX_CIVIC_LOSS), 1.0)
    clf = _fit(vectors, labels)
    scores = {
        "civic_routed_without_gate": baseline,
        **{f"{s}_routed_without_gate": float(routed[rows].mean()) for s, rows in chatter.items()},
        "civic_messages": int(civic.sum()),
        **{f"{s}_messages": int(rows.sum()) for s, rows in chatter.items()},
        "max_civic_loss": MAX_CIVIC_LOSS,
        "curve": curve,
        "service_model": service_model.version,
    }
    return Gate(clf.coef_[0].astype(np.float64), float(clf.intercept_[0]), chosen, scores)
