"""Draft meetings written by someone who never saw the drafting rules, from their perfect transcripts.

    .venv/bin/python benchmarks/minutes_blind.py [DIR] [--show]

``DIR`` (default ``benchmarks/data/minutes_blind``) holds one folder per meeting: ``transcript.json``
(``{"segments": [{"start", "end", "speaker", "text"}]}``), ``agenda.txt``, ``attendees.txt``,
``meta.json`` (``{"date", "committee", "part"}``) and ``gold.json`` (per agenda item, the resolutions a
clerk would minute and the actions with owner and due date). The drafting step is the one
``hub minutes draft`` runs; the scoring is ``benchmarks/minutes.py``'s (a resolution is found when 70%
of its content words are in one drafted resolution under the same item, an action at 50%; a vote the
clerk wrote in brackets, and an action's owner and date, are left out of the words matched, as drafts
keep them in their own fields, scored as owner right and due right).

The rules' phrasings come from our own scripts (``benchmarks/data/minutes_dev/``); these meetings test
whether they carry over to the way another writer has committee members speak. Meetings whose
``part`` is ``tune`` may be read miss by miss (``--show``); ``check`` meetings give figures only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residenthub.settings")

DEFAULT_DIR = REPO / "benchmarks" / "data" / "minutes_blind"


_DATE_WORDS = re.compile(
    r"\(?\b(?:on |by |before )?\d{1,2} (?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december) \d{4}\)?",
    re.IGNORECASE,
)


def _task_words(action: dict) -> str:
    """The clerk's action without its owner and its date: a draft keeps those in their own fields (scored
    as "owner right" and "due right"), so the text is matched on the task alone."""
    text = action["text"].replace(action["owner"], " ")
    for part in action["owner"].split():
        text = re.sub(rf"\b{re.escape(part)}\b", " ", text)
    return _DATE_WORDS.sub(" ", text)


def score(result, gold: dict, match) -> tuple[Counter, list[str]]:
    """Counts as ``minutes.score_draft`` makes them, and the misses and extras as lines."""
    counts: Counter = Counter()
    notes: list[str] = []
    for index, truth in enumerate(gold["items"]):
        item = result.items[index] if index < len(result.items) else None
        decisions = list(item.decisions) if item else []
        actions = list(item.actions) if item else []
        counts["decisions_found"] += len(decisions)
        counts["actions_found"] += len(actions)
        used: set[int] = set()
        for text in truth["decisions"]:
            counts["decisions_true"] += 1
            # A draft keeps the vote apart from the resolution (``Decision.vote``), as the seed minutes do.
            body = re.sub(r"\s*\([^)]*\b(?:favour|against|unanimous\w*)\b[^)]*\)", "", text)
            body = body.removeprefix("RESOLVED: ").removeprefix("That ")
            hit = next(
                (k for k, x in enumerate(decisions) if k not in used and match(body, x.text, 0.7)), None
            )
            if hit is None:
                notes.append(f"  item {index + 1} MISSED decision: {text}")
            else:
                used.add(hit)
                counts["decisions_hit"] += 1
        notes += [
            f"  item {index + 1} EXTRA decision: {x.text}" for k, x in enumerate(decisions) if k not in used
        ]
        used = set()
        for action in truth["actions"]:
            counts["actions_true"] += 1
            wanted = _task_words(action)
            hit = next(
                (k for k, x in enumerate(actions) if k not in used and match(wanted, x.text, 0.5)), None
            )
            if hit is None:
                notes.append(f"  item {index + 1} MISSED action: {action['text']}")
                continue
            used.add(hit)
            counts["actions_hit"] += 1
            found = actions[hit]
            counts["owner_right"] += found.owner == action["owner"]
            counts["due_right"] += found.due == action["due"]
            if found.owner != action["owner"] or found.due != action["due"]:
                notes.append(
                    f"  item {index + 1} action {found.text!r}: owner {found.owner!r} "
                    f"(want {action['owner']!r}), due {found.due!r} (want {action['due']!r})"
                )
        notes += [
            f"  item {index + 1} EXTRA action: {x.text}" for k, x in enumerate(actions) if k not in used
        ]
    return counts, notes


def _ratio(hit: int, total: int) -> str:
    return f"{hit / total:.2f} ({hit} of {total})" if total else "-"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--show", action="store_true", help="print the tune meetings' misses and extras")
    args = parser.parse_args()
    import django

    django.setup()
    import minutes as bench

    from residenthub.minutes import agenda, drafting

    totals: dict[str, Counter] = {}
    for folder in sorted(p for p in args.dir.iterdir() if (p / "transcript.json").is_file()):
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        segments = json.loads((folder / "transcript.json").read_text(encoding="utf-8"))["segments"]
        titles = [i.title for i in agenda.parse_document("agenda.txt", (folder / "agenda.txt").read_bytes())]
        attendees = drafting.parse_attendees((folder / "attendees.txt").read_text(encoding="utf-8"))
        result = drafting.draft(segments, titles, attendees, meeting_date=dt.date.fromisoformat(meta["date"]))
        counts, notes = score(result, gold, bench._match)
        part = meta["part"]
        totals.setdefault(part, Counter()).update(counts)
        totals.setdefault(f"{part}, batch {meta.get('batch', 1)}", Counter()).update(counts)
        print(
            f"{folder.name} ({part}): decisions {counts['decisions_hit']}/{counts['decisions_true']} "
            f"({counts['decisions_found']} found), actions {counts['actions_hit']}/{counts['actions_true']} "
            f"({counts['actions_found']} found)"
        )
        if args.show and part == "tune":  # never the check meetings' lines
            print("\n".join(notes))
    for part, c in sorted(totals.items()):
        print(
            f"{part}: decisions recall {_ratio(c['decisions_hit'], c['decisions_true'])}, precision "
            f"{_ratio(c['decisions_hit'], c['decisions_found'])}; actions recall "
            f"{_ratio(c['actions_hit'], c['actions_true'])}, precision "
            f"{_ratio(c['actions_hit'], c['actions_found'])}; owner right "
            f"{_ratio(c['owner_right'], c['actions_hit'])}, due right "
            f"{_ratio(c['due_right'], c['actions_hit'])}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
