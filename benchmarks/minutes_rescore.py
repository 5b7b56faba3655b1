"""Rescore transcripts dumped by ``benchmarks/minutes.py --dump DIR`` with the present drafting code.

    .venv/bin/python benchmarks/minutes_rescore.py DIR [--no-correct] [--show]

For tuning on the **tune** set only (the dumps hold the recognised segments, the truth and the
script's seed): word error rate and decisions/actions recall, precision, owner and due date, per
file kind (clean, noisy), without transcribing again. ``--no-correct`` drafts from the text as
heard, without the meeting-vocabulary correction (``residenthub/minutes/vocabulary.py``), the
before figure; ``--show`` prints each correction made, each decision/action missed and each one found that the
script does not hold.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residenthub.settings")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dump")
    parser.add_argument("--no-correct", action="store_true", help="draft from the text as heard")
    parser.add_argument("--show", action="store_true", help="print corrections and misses")
    args = parser.parse_args()
    import django

    django.setup()
    import minutes as bench

    from residenthub.minutes import drafting, scripted, vocabulary

    counts: dict[str, Counter] = {}
    for path in sorted(Path(args.dump).glob("*.json")):
        data = json.loads(path.read_text())
        if data.get("set") == "eval":
            print(f"{path.name}: an evaluation dump; not rescored (tune only)")
            continue
        kind = "noisy" if "noisy" in path.name else "clean"
        script = scripted.meeting(data["seed"], items=4, questions=2, variant=data["set"])
        people = drafting.parse_attendees(script.attendees_text())
        segments = data["segments"]
        if not args.no_correct:
            vocab = vocabulary.for_meeting(people, script.agenda)
            segments = vocabulary.correct_segments(segments, vocab)
            if args.show:
                for seg in segments:
                    if seg.get("heard"):
                        print(f"  {path.name} {seg['start']:.0f}s: {seg['heard']!r} -> {seg['text']!r}")
        ref = bench.words(" ".join(t["text"] for t in data["truth"]))
        hyp = bench.words(" ".join(s["text"] for s in segments))
        c = counts.setdefault(kind, Counter())
        c["words"] += len(ref)
        c["errors"] += bench.word_errors(ref, hyp)
        got = drafting.draft(
            data["segments"], script.agenda, people, meeting_date=script.date, correct=not args.no_correct
        )
        c.update(bench.score_draft(got, script))
        if args.show:
            for j, item in enumerate(got.items):
                for d in script.decisions:
                    body = d["text"].removeprefix("RESOLVED: That ")
                    if d["item"] == j and not any(bench._match(body, x.text, 0.7) for x in item.decisions):
                        print(
                            f"  {path.name} decision missed: {d['text']!r}; found {[x.text for x in item.decisions]}"  # noqa: E501
                        )
                for a in script.actions:
                    if a["item"] == j and not any(bench._match(a["text"], x.text, 0.5) for x in item.actions):
                        print(f"  {path.name} action missed: {a['text']!r}")
                truths = [
                    d["text"].removeprefix("RESOLVED: That ") for d in script.decisions if d["item"] == j
                ]
                for x in item.decisions:
                    if not any(bench._match(t, x.text, 0.7) for t in truths):
                        print(f"  {path.name} decision not in the script: {x.text!r}")
                for x in item.actions:
                    if not any(
                        bench._match(a["text"], x.text, 0.5) for a in script.actions if a["item"] == j
                    ):
                        print(f"  {path.name} action not in the script: {x.text!r}")
    for kind, c in counts.items():
        r = bench.ratios(c)
        print(
            f"{kind}: words {c['words']} WER {c['errors'] / c['words']:.3f} decisions R/P "
            f"{r['decision_recall']:.2f}/{r['decision_precision']:.2f} ({c['decisions_hit']}/{c['decisions_true']}, "  # noqa: E501
            f"found {c['decisions_found']}) actions R/P {r['action_recall']:.2f}/{r['action_precision']:.2f} "
            f"({c['actions_hit']}/{c['actions_true']}, found {c['actions_found']}) owner/due "
            f"{r['owner_right']:.2f}/{r['due_right']:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
