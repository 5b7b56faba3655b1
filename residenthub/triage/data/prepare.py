"""Build the real-data corpora in ``data/real/`` from public exports (run by hand, not at run time).

    python residenthub/triage/data/prepare.py SNAPSHOTS_DIR

``SNAPSHOTS_DIR`` holds plain copies of the public files named in ``SOURCES.md``. The script maps
each source's own category to our services with the table in ``mapping.csv``, removes contact
details, @handles and links, drops duplicates and near-empty texts, and writes small extracts:

- ``train.csv``: the training sources (New York City PublicStuff, Mumbai civic tweets; New Haven
  SeeClickFix was removed for its licence, ADR 0145);
- ``calibration.csv``: one in five of the training sources' messages, held back from every fit,
  used only to choose thresholds and to compare a retrained model with the current one;
- ``general_chatter.csv``: general text messages (UCI SMS Spam Collection) for the gate (ADR 0134);
- ``eval_candidates.csv``: samples from the evaluation sources (Bengaluru, Hoboken, Boston),
  which are labelled by hand into ``eval.csv`` (see SOURCES.md) and never trained on.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "real"
_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"(?:^|\s)(?:RT\s+)?@\w+:?")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_PHONE = re.compile(r"(?:\+?\d[\d ()-]{8,}\d)")
_SPACE = re.compile(r"\s+")


def fix_mojibake(text: str) -> str:
    for _ in range(2):
        try:
            repaired = text.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            break
        text = repaired
    return text


def clean(text: str) -> str:
    text = fix_mojibake(text or "")
    text = _URL.sub(" ", text)
    text = _EMAIL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _PHONE.sub(" ", text)
    text = text.replace("&amp;", "&").replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
    text = text.replace("#", "")
    return _SPACE.sub(" ", text).strip(" .,-")


def held_back(text: str) -> bool:
    return int(hashlib.sha256(text.lower().encode()).hexdigest(), 16) % 5 == 0


def load_mapping() -> dict[tuple[str, str], str]:
    with open(HERE / "mapping.csv", encoding="utf-8", newline="") as handle:
        return {
            (r["source"], r["source_category"].lower()): r["service_code"] for r in csv.DictReader(handle)
        }


def nyc(snapshots: Path, mapping) -> list[tuple[str, str, str]]:
    rows = []
    with open(snapshots / "NYC_20190522.csv", encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle):
            code = mapping.get(("nyc-publicstuff", row["Title"].strip().lower()))
            text = clean(row["Description"])
            if code is None or len(text.split()) < 3 or "without a description" in text:
                continue
            rows.append((text, code, "nyc-publicstuff"))
    return rows


def mumbai(snapshots: Path, mapping) -> list[tuple[str, str, str]]:
    rows = []
    with open(snapshots / "tweets_dataset.csv", encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["complaint"] != "1":
                continue
            code = mapping.get(("mumbai-tweets", row["category"].strip()))
            text = clean(row["tweet"])
            if code is None or len(text.split()) < 4:
                continue
            rows.append((text, code, "mumbai-tweets"))
    return rows


# No New Haven reader, on purpose (2026-11-27, ADR 0145): the New Haven SeeClickFix texts
# (``newhavenrc/nhrc``) are SeeClickFix data under CC BY-NC-SA 3.0 US, a non-commercial licence that
# cannot travel with this AGPL-3.0-or-later project (SOURCES.md, "Licence of the New Haven
# SeeClickFix extract"). They were removed from every file here and every model refitted without
# them; do not add a reader for them, or for any other SeeClickFix export, back.
REFUSED_SNAPSHOTS = {"nhv.csv": "New Haven SeeClickFix (CC BY-NC-SA 3.0 US, ADR 0145)"}


def off_topic(snapshots: Path) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """Training: Mumbai tweets their collectors marked as not a complaint. Evaluation (never
    trained on): the general tweets the Bengaluru collectors mixed in as non-civic examples."""
    rng = random.Random(7)
    with open(snapshots / "tweets_dataset.csv", encoding="utf-8", errors="replace", newline="") as handle:
        pool = [clean(r["tweet"]) for r in csv.DictReader(handle) if r["complaint"] == "0"]
    pool = sorted({t for t in pool if len(t.split()) >= 4})
    train = [(t, "_off_topic", "mumbai-tweets-general") for t in rng.sample(pool, min(700, len(pool)))]
    with open(snapshots / "finalData.csv", encoding="utf-8", errors="replace", newline="") as handle:
        pool = [clean(r["description"]) for r in csv.DictReader(handle) if r["civic_issue"] == "0"]
    pool = sorted({t for t in pool if len(t.split()) >= 4})
    evaluation = [(t, "bengaluru-noncivic-tweets") for t in rng.sample(pool, min(400, len(pool)))]
    return train, evaluation


GENERAL_CHATTER_CAP = {"uci-sms-ham": 1500, "uci-sms-spam": 300}


def general_chatter(snapshots: Path) -> list[tuple[str, str]]:
    """``general_chatter.csv`` for the general-chatter gate (ADR 0134): the UCI SMS Spam Collection
    (``SMSSpamCollection``: label TAB text), cleaned, at most 1,500 legitimate and 300 spam
    messages of four words or more, chosen by a hash of the text."""
    rows, seen = [], set()
    with open(snapshots / "SMSSpamCollection", encoding="utf-8") as handle:
        next(handle)  # the header line: Label TAB SMS
        for line in handle:
            label, _tab, raw = line.rstrip("\n").partition("\t")
            text = clean(raw.replace("&lt;#&gt;", " "))
            if len(text.split()) < 4 or text.lower() in seen:
                continue
            seen.add(text.lower())
            rows.append((text, f"uci-sms-{label}"))
    rows.sort(key=lambda r: hashlib.sha256(r[0].encode()).hexdigest())
    kept, counts = [], dict.fromkeys(GENERAL_CHATTER_CAP, 0)
    for text, source in rows:
        if counts[source] < GENERAL_CHATTER_CAP[source]:
            counts[source] += 1
            kept.append((text, source))
    return kept


def main(snapshots: Path) -> None:
    for name, why in REFUSED_SNAPSHOTS.items():
        if (snapshots / name).exists():
            print(f"ignoring {snapshots / name}: {why} may not be shipped", file=sys.stderr)
    mapping = load_mapping()
    seen: set[str] = set()
    train, calibration = [], []
    off_train, off_eval = off_topic(snapshots)
    sources = nyc(snapshots, mapping) + mumbai(snapshots, mapping) + off_train
    for text, code, source in sources:
        key = text.lower()
        if key in seen:
            continue
        seen.add(key)
        (calibration if held_back(text) else train).append((text, code, source))
    for name, rows in (("train.csv", train), ("calibration.csv", calibration)):
        with open(HERE / name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["text", "service_code", "source"])
            writer.writerows(sorted(rows, key=lambda r: (r[2], r[1], r[0])))
        print(name, len(rows))
    with open(HERE / "off_topic_eval.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "source"])
        writer.writerows(off_eval)
    with open(HERE / "general_chatter.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "source"])
        writer.writerows(general_chatter(snapshots))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
