"""Build the real-data corpora in ``data/real/`` from public exports (run by hand, not at run time).

    python residenthub/triage/data/prepare.py SNAPSHOTS_DIR

``SNAPSHOTS_DIR`` holds plain copies of the public files named in ``SOURCES.md``. The script maps
each source's own category to our services with the table in ``mapping.csv``, removes contact
details, @handles and links, drops duplicates and near-empty texts, and writes small extracts:

- ``train.csv``: the training sources (City of San Diego "Get It Done" requests, PDDL; general
  tweets of the Broad Twitter Corpus, CC BY 4.0, as off-topic text). New Haven SeeClickFix was
  removed for its licence (ADR 0145); New York and Hoboken PublicStuff, Mumbai and Bengaluru
  tweets and reports for the lack of one (ADR 0158);
- ``calibration.csv``: one in five of the training sources' messages, held back from every fit,
  used only to choose thresholds and to compare a retrained model with the current one;
- ``general_chatter.csv``: general text messages (UCI SMS Spam Collection) for the gate (ADR 0134);
- ``off_topic_eval.csv``: general text from a different corpus (WNUT 2017 test), never trained on.

``eval.csv`` (Boston's Open311 texts, labelled by hand) is committed as it is, never trained on.
"""

from __future__ import annotations

import csv
import hashlib
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


def sandiego(snapshots: Path, mapping) -> list[tuple[str, str, str]]:
    """City of San Diego "Get It Done" requests (PDDL): the resident's ``public_description``,
    labelled by the request type (``service_name``) through ``mapping.csv``."""
    rows = []
    with open(snapshots / SANDIEGO_FILE, encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle):
            code = mapping.get(("sandiego-getitdone", row["service_name"].strip().lower()))
            text = clean(row["public_description"] or "")
            if code is None or len(text.split()) < 4:
                continue
            rows.append((text, code, "sandiego-getitdone"))
    return rows


SANDIEGO_FILE = "get_it_done_2021_requests_datasd_v1fromMarch.csv"

# No reader, on purpose, for sources whose texts no licence lets us ship (ADR 0145, ADR 0158): a
# repository's own licence (GPL, MIT) cannot license words other people wrote. Do not add readers
# for these, or for other copies of them, back.
REFUSED_SNAPSHOTS = {
    "nhv.csv": "New Haven SeeClickFix (CC BY-NC-SA 3.0 US, ADR 0145)",
    "NYC_20190522.csv": "New York PublicStuff tickets (no licence from the city or PublicStuff, ADR 0158)",
    "Hoboken_20190521.csv": "Hoboken PublicStuff tickets (no licence from the city or PublicStuff, ADR 0158)",
    "tweets_dataset.csv": "Mumbai tweets (Twitter's terms; a repository licence cannot cover them, ADR 0158)",
    "finalData.csv": "Bengaluru reports and tweets, Sentiment140 tweets (no licence found, ADR 0158)",
}


def conll_texts(path: Path) -> list[str]:
    """The texts of a CoNLL file (one token and its tag a line, a blank line between texts), each
    text's tokens joined by single spaces."""
    texts = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        tokens = [line.split("\t")[0].strip() for line in block.split("\n") if line.strip()]
        if tokens:
            texts.append(" ".join(t for t in tokens if t))
    return texts


def _by_hash(texts: list[str], count: int) -> list[str]:
    """At most ``count`` distinct texts of four words or more, the same ones every time."""
    pool = sorted({t for t in (clean(t) for t in texts) if len(t.split()) >= 4})
    return sorted(pool, key=lambda t: hashlib.sha256(t.encode()).hexdigest())[:count]


def off_topic(snapshots: Path) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """General text about nothing a council does (ADR 0158). Training: tweets of the Broad Twitter
    Corpus's development sections A (UK, 2012) and H (2014), CC BY 4.0. Evaluation (never trained
    on, a different corpus and collector): the WNUT 2017 test set (tweets, Reddit, YouTube and Stack
    Overflow comments), CC BY 4.0."""
    tweets = conll_texts(snapshots / "btc_a.conll") + conll_texts(snapshots / "btc_h.conll")
    train = [(t, "_off_topic", "btc-tweets-general") for t in _by_hash(tweets, 700)]
    comments = conll_texts(snapshots / "wnut17_emerging_test.conll")
    evaluation = [(t, "wnut17-general") for t in _by_hash(comments, 400)]
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
    sources = sandiego(snapshots, mapping) + off_train
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
