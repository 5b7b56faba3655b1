"""Urgent and vulnerable calls read from their words (no speech): the rules' side of issue 17.

The phone catches an urgent call only if triage's rules (``triage/urgency.py``) and the phone's spoken
forms (``voice/pipeline.SPOKEN_FORMS``) read it as urgent when the words are heard right. This reads
``benchmarks/data/voice_tune_urgent_more.csv`` (our own tuning material, ``voice_SOURCES.md``) typed
(``understand_text(text, spoken=False)``, triage's reading) and as perfectly heard speech
(``spoken=True``), and counts false alarms on real ordinary messages, in one process::

    .venv/bin/python benchmarks/voice_urgent_text.py [--misses] [--file CSV]

``--file`` reads another file with the same columns instead (``voice_tune_urgent_blind.csv``: calls
written by a helper who never saw the rules). The file's ``part`` column: ``tune`` rows may be read and
tuned on (``--misses`` prints their misses and false alarms); ``check`` rows are reported as figures
only, never listed. Real ordinary messages: ``triage/data/test.csv`` rows without flags,
``real/train.csv`` reports with a service and the ``vulnerable=0`` rows of ``real/vulnerability.csv``
(outside its test half) and ``real/vulnerability_more.csv``; a rate is the share raised urgent
(``Result.urgent``: an urgent flag, or a vulnerability flag outside the Blue Badge). No evaluation file
is read.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residenthub.settings")
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from residenthub.voice import vocabulary  # noqa: E402
from residenthub.voice.pipeline import understand_text  # noqa: E402

TUNE_FILE = REPO / "benchmarks" / "data" / "voice_tune_urgent_more.csv"
DATA = REPO / "residenthub" / "triage" / "data"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def ordinary_messages() -> dict[str, list[str]]:
    """Real (and triage's own test) messages nobody marked urgent or vulnerable; no evaluation file."""
    real = DATA / "real"
    return {
        "triage test.csv, no flags": [r["text"] for r in _rows(DATA / "test.csv") if not r["flags"]],
        "real train.csv reports": [
            r["text"] for r in _rows(real / "train.csv") if r["service_code"][:1] not in ("", "_")
        ],
        "real vulnerability (not test) + more, vulnerable=0": [
            r["text"]
            for r in _rows(real / "vulnerability.csv")
            if r["vulnerable"] == "0" and r["split"] != "test"
        ]
        + [r["text"] for r in _rows(real / "vulnerability_more.csv") if r["vulnerable"] == "0"],
    }


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.3f}" if total else "0/0"


def urgent(text: str, spoken: bool) -> bool:
    return understand_text(text, spoken=spoken).urgent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list the tune part's misses and false alarms")
    parser.add_argument("--no-real", action="store_true", help="skip the real ordinary messages")
    parser.add_argument(
        "--file", type=Path, default=TUNE_FILE, help="calls to read (text,urgent,situation,part)"
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_catalogue", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    vocabulary.forget()
    rows = _rows(args.file)
    for part in ("tune", "check"):
        mine = [r for r in rows if r["part"] == part]
        pos = [r for r in mine if r["urgent"] == "1"]
        neg = [r for r in mine if r["urgent"] == "0"]
        for spoken in (False, True):
            caught = [urgent(r["text"], spoken) for r in pos]
            alarms = [urgent(r["text"], spoken) for r in neg]
            how = "spoken" if spoken else "typed"
            print(
                f"{part} {how}: urgent caught {_share(sum(caught), len(pos))}; "
                f"false alarms {_share(sum(alarms), len(neg))}",
                flush=True,
            )
            if args.misses and part == "tune":  # never the check part's rows
                for r, c in zip(pos, caught, strict=True):
                    if not c:
                        print(f"   MISSED [{r['situation']}] {r['text']}")
                for r, a in zip(neg, alarms, strict=True):
                    if a:
                        print(f"   FALSE  [{r['situation']}] {r['text']}")
    if args.no_real:
        return
    # Typed (triage's reading) and as perfectly heard speech (the phone's spoken forms too).
    total, fired = 0, {False: 0, True: 0}
    for name, texts in ordinary_messages().items():
        total += len(texts)
        for spoken in (False, True):
            hits = [t for t in texts if urgent(t, spoken)]
            fired[spoken] += len(hits)
            how = "spoken" if spoken else "typed"
            print(
                f"real ordinary, {name}, {how}: raised urgent {len(hits)}/{len(texts)} "
                f"= {len(hits) / len(texts):.4f}"
            )
    for spoken in (False, True):
        how = "spoken" if spoken else "typed"
        print(
            f"real ordinary, all, {how}: raised urgent {fired[spoken]}/{total} = {fired[spoken] / total:.4f}"
        )


if __name__ == "__main__":
    main()
