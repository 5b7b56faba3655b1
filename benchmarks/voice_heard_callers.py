"""Callers' words as the phone hears them: every row of the caller files spoken and recognised once.

    flock /tmp/bench.lock .venv/bin/python benchmarks/voice_heard_callers.py [--limit N]

Each row of ``voice_tune_urgent_more.csv``, ``voice_tune_urgent_blind.csv``,
``voice_tune_ordinary_blind.csv``, ``voice_check_blind3.csv``, ``voice_calls_tune.csv`` and
``voice_tune_urgent.csv`` is synthesised with one voice (turn by turn through the tune voices and the
"other" voices of ``benchmarks/voice.py``, never the evaluation voices), made 8 kHz telephone audio
(clean) and heard as the agent hears a caller (``voice.py``'s ``current`` configuration: catalogue
prompt, beam 5, 10-s window, the beam's runners-up and the re-decoding). The result is written to
``benchmarks/data/voice_heard_callers.csv``: ``source``, ``row`` (index in its file), ``part``,
``urgent``, ``voice``, ``text`` (as written), ``heard`` (the recogniser's best hearing), ``read``
(after the correction pass: what triage and the learned reading see) and ``alternatives`` (the other
hearings, " || " between them).

Why (ADR 0184): the learned reading of callers' words (ADR 0175) was fitted on written words, and the
third blind batch lost a quarter of its urgent callers between written (0.850) and heard (0.64). The
tune rows' hearings are training data for ``train_caller_urgency.py``; the check rows' hearings are
scored there and never fitted on. The evaluation call scripts are not heard here.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import voice as bench  # noqa: E402  (sets Django up, as the benchmark does)
from django.core.management import call_command  # noqa: E402

from residenthub.speech.synth import resample  # noqa: E402
from residenthub.voice.pipeline import clean_text  # noqa: E402

SOURCES = (
    "voice_tune_urgent_more.csv",
    "voice_tune_urgent_blind.csv",
    "voice_tune_ordinary_blind.csv",
    "voice_check_blind3.csv",
    "voice_calls_tune.csv",
    "voice_tune_urgent.csv",
)
OUT = bench.CALLS / "voice_heard_callers.csv"
FIELDS = ("source", "row", "part", "urgent", "voice", "text", "heard", "read", "alternatives")
SEPARATOR = " || "


def caller_rows() -> list[dict]:
    """Every caller row with its source, index, part ("tune" where the file has no split) and label."""
    rows = []
    for name in SOURCES:
        for index, r in enumerate(bench._rows(bench.CALLS / name)):
            rows.append(
                {
                    "source": name,
                    "row": index,
                    "part": r.get("part") or "tune",
                    "urgent": r.get("urgent") or "1",  # voice_tune_urgent.csv: every row is urgent
                    "text": r["text"],
                }
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=0, help="hear only the first N rows (a trial run)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_catalogue", verbosity=0, stdout=sys.stderr)
    voices = (*bench.VOICES["tune"], *bench.OTHER_VOICES)
    agent = bench.agent_config(bench.base_engine())
    rows = caller_rows()
    if args.limit:
        rows = rows[: args.limit]
    started = time.perf_counter()
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        for n, r in enumerate(rows):
            voice = voices[n % len(voices)]
            audio = resample(bench.line_audio(r["text"], voice, None, n), 8000, 16000)
            transcript = agent.hear(audio)
            writer.writerow(
                {
                    **r,
                    "voice": voice,
                    "heard": transcript.text,
                    "read": clean_text(transcript.text),
                    "alternatives": SEPARATOR.join(
                        a.replace(SEPARATOR, " ") for a in transcript.alternatives
                    ),
                }
            )
            if n % 50 == 49:
                handle.flush()
                print(f"{n + 1} of {len(rows)} heard, {time.perf_counter() - started:.0f} s", flush=True)
    print(f"written {OUT} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
