"""Decision and action detection on a development list of phrasings (not the benchmark's scripts).

    .venv/bin/python benchmarks/minutes_phrasings.py [--show-errors]

``benchmarks/data/minutes_dev/phrasings.csv``: one sentence a row, written by us in the ways UK
committees say and minute resolutions and actions (SOURCES.md there says where the forms come
from), some as a speech recogniser writes them (no capitals or full stops, misheard words). Each row
is drafted on its own as a one-line transcript against ``attendees.txt``, meeting on Wednesday 10
February 2027, and scored: label (decision / action / other), and for actions the owner and due
date (a "*" owner is not scored). The list is development data: rules are written against it, so
its figures say how much of it the rules cover, not how they do on unseen meetings; the held-out
figures are ``benchmarks/minutes.py --set eval``.

Baseline in the same run: the keyword rules of ``benchmarks/minutes.py`` ("resolved"/"agreed that"
is a decision, "by <date>" an action, owner the first attendee named).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "benchmarks" / "data" / "minutes_dev"
MEETING = dt.date(2027, 2, 10)
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residenthub.settings")


def rows() -> list[dict]:
    with (DATA / "phrasings.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def pipeline(row: dict, attendees) -> tuple[str, str, str]:
    from residenthub.minutes import drafting

    segments = [{"start": 0.0, "end": 5.0, "speaker": row["speaker"], "text": row["text"]}]
    item = drafting.draft(segments, [], attendees, meeting_date=MEETING).items[0]
    if item.decisions:
        return "decision", "", ""
    if item.actions:
        return "action", item.actions[0].owner, item.actions[0].due
    return "other", "", ""


def keywords(row: dict, attendees) -> tuple[str, str, str]:
    low = row["text"].lower()
    if "resolved" in low or "agreed that" in low:
        return "decision", "", ""
    if re.search(r"\bby \d+ \w+|\bby (the )?end of\b", low):
        owner = next((a.name for a in attendees if a.name.lower() in low), "")
        return "action", owner, ""
    return "other", "", ""


def score(method, data, attendees, show: bool = False) -> dict:
    out = {"tp_d": 0, "fp_d": 0, "n_d": 0, "tp_a": 0, "fp_a": 0, "n_a": 0, "owner": 0, "owner_n": 0}
    out |= {"due": 0, "due_n": 0}
    for row in data:
        label, owner, due = method(row, attendees)
        gold = row["label"]
        for kind, key in (("decision", "d"), ("action", "a")):
            out[f"n_{key}"] += gold == kind
            out[f"tp_{key}"] += gold == kind == label
            out[f"fp_{key}"] += label == kind != gold
        wrong = label != gold
        if gold == label == "action":
            if row["owner"] != "*":
                out["owner_n"] += 1
                out["owner"] += owner == row["owner"]
                wrong |= owner != row["owner"]
            out["due_n"] += 1
            out["due"] += due == row["due"]
            wrong |= due != row["due"]
        if show and wrong:
            print(f"  [{row['form']}] {gold} -> {label} owner={owner!r} due={due!r}: {row['text']}")
    return out


def report(name: str, c: dict) -> str:
    def r(a, b):
        return c[a] / c[b] if c[b] else float("nan")

    dp = c["tp_d"] / max(c["tp_d"] + c["fp_d"], 1)
    ap = c["tp_a"] / max(c["tp_a"] + c["fp_a"], 1)
    return (
        f"{name}: decisions R/P {r('tp_d', 'n_d'):.2f}/{dp:.2f} (of {c['n_d']}), actions R/P "
        f"{r('tp_a', 'n_a'):.2f}/{ap:.2f} (of {c['n_a']}), owner {r('owner', 'owner_n'):.2f} "
        f"(of {c['owner_n']}), due {r('due', 'due_n'):.2f} (of {c['due_n']})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--form", help="only rows of this form: minutes, spoken or asr")
    args = parser.parse_args()
    import django

    django.setup()
    from residenthub.minutes import drafting

    attendees = drafting.parse_attendees((DATA / "attendees.txt").read_text(encoding="utf-8"))
    data = [r for r in rows() if not args.form or r["form"] == args.form]
    print(report("pipeline", score(pipeline, data, attendees, args.show_errors)))
    print(report("keyword baseline", score(keywords, data, attendees)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
