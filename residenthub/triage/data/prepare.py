"""Build the real-data corpora in ``data/real/`` from public exports (run by hand, not at run time).

    python residenthub/triage/data/prepare.py SNAPSHOTS_DIR

``SNAPSHOTS_DIR`` holds plain copies of the public files named in ``SOURCES.md``. The script maps
each source's own category to our services with the table in ``mapping.csv``, removes contact
details, @handles and links, drops duplicates and near-empty texts, and writes small extracts:

- ``train.csv``: the training sources (New York City PublicStuff, Mumbai civic tweets; New Haven
  SeeClickFix was removed for its licence, ADR 0145);
- ``calibration.csv``: one in five of the training sources' messages, held back from every fit,
  used only to choose thresholds and to compare a retrained model with the current one;
- ``general_chatter.csv``: general text messages (UCI SMS Spam Collection) and general tweets
  (Broad Twitter Corpus, sections A and H, read from ``benchmarks/data/pii/``) for the gate
  (ADR 0134, 0146);
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


# Broad Twitter Corpus (Derczynski, Bontcheva and Roberts, COLING 2016; CC BY 4.0), already in the
# repository for redaction (``benchmarks/data/pii/btc.LICENSE``). Only the development sections A
# (UK 2012) and H (non-UK 2014): section F is redaction's evaluation set and stays out (ADR 0146).
BTC_DIR = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "pii"
BTC_SECTIONS = ("a", "h")
_BTC_GLUE_LEFT = re.compile(r" ([.,!?;:)\]}%…]|n't|N'T|'s|'S|'m|'re|'ll|'ve|'d)(?=\s|$)")
_BTC_GLUE_RIGHT = re.compile(r"([(\[{$£]) ")
# Tweets of sections A and H that are a civic complaint a council would handle (read by eye among
# those the routing model of 2026-11-27 routes or that name a council service; ADR 0146): not
# general chatter, so left out. SHA-256 of the cleaned text, first 12 hex digits.
BTC_CIVIC = frozenset(
    {
        "c6523600099d",  # rumbling machine-like noise outside (a noise complaint)
        "8b885821c308",  # pothole repairs blocking lanes (roads)
        "eba6f38b6c30",  # very bad traffic near a market (a civic complaint for another body)
    }
)


def btc_text(tokens: list[str]) -> str:
    """A tweet rebuilt from its CoNLL tokens: a lone "@" or "#" joined to the next token (sections A
    and B split them), punctuation and "n't"/"'s" joined to the word before them."""
    text, glue = "", False
    for raw in tokens:
        word = '"' if raw == "'\"'" else raw  # section A writes some quotes as '"'
        text += word if (glue or not text) else " " + word
        glue = word in ("@", "#")
    text = _BTC_GLUE_LEFT.sub(r"\1", text)
    return _BTC_GLUE_RIGHT.sub(r"\1", text)


def btc_tweets(folder: Path = BTC_DIR) -> list[tuple[str, str]]:
    """General tweets for the gate: sections A and H of the Broad Twitter Corpus, rebuilt, cleaned,
    four words or more, duplicates and the civic complaints in ``BTC_CIVIC`` dropped."""
    rows, seen = [], set()
    for section in BTC_SECTIONS:
        blocks = (folder / f"btc_{section}.conll").read_text(encoding="utf-8").split("\n\n")
        for block in blocks:
            tokens = [line.rsplit("\t", 1)[0].strip() for line in block.split("\n") if line.strip()]
            text = clean(btc_text([t for t in tokens if t]))
            digest = hashlib.sha256(text.encode()).hexdigest()[:12]
            if len(text.split()) < 4 or text.lower() in seen or digest in BTC_CIVIC:
                continue
            seen.add(text.lower())
            rows.append((text, f"btc-{section}"))
    return rows


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
        writer.writerows(general_chatter(snapshots) + btc_tweets())


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
