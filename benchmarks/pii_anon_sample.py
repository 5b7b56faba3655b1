"""Sample the pii-anon benchmark (v1.0.0, records CC0-1.0) into the development corpus the redaction
benchmark reads: 1,500 English records whose ``source_type`` is synthetic, chosen with a fixed seed, kept as
{"text", "spans": [{"start", "end", "entity_type"}]}. Development side only (ADR 0047).

    .venv/bin/python benchmarks/pii_anon_sample.py PATH/pii_anon_benchmark.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data/pii/pii_anon_sample.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("jsonl", type=Path)
    parser.add_argument("--count", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    if not args.jsonl.is_file():
        parser.error(f"no such file: {args.jsonl}")
    rows = []
    with args.jsonl.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["language"] == "en" and row["source_type"] == "synthetic" and row["license"] == "CC0-1.0":
                rows.append(row)
    if len(rows) < args.count:
        parser.error(f"only {len(rows)} English synthetic records in {args.jsonl}")
    rows.sort(key=lambda r: r["id"])
    picked = sorted(random.Random(args.seed).sample(rows, args.count), key=lambda r: r["id"])
    out = [
        {
            "id": r["id"],
            "text": r["text"],
            "spans": [
                {"start": s["start"], "end": s["end"], "entity_type": s["entity_type"]} for s in r["labels"]
            ],
        }
        for r in picked
    ]
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(out)} records -> {OUT}")


if __name__ == "__main__":
    main()
