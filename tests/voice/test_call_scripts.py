"""The benchmark's call scripts (benchmarks/data/voice_calls_*.csv) are what their SOURCES say."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
CATALOGUE = Path(__file__).resolve().parents[2] / "residenthub" / "services" / "data" / "catalogue.yaml"


def rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_scripts_are_well_formed():
    codes = {s["code"] for s in yaml.safe_load(CATALOGUE.read_text())["services"]}
    for name in ("voice_calls_eval.csv", "voice_calls_tune.csv"):
        for row in rows(name):
            assert row["urgent"] in {"0", "1"}, row
            assert not row["service_code"] or row["service_code"] in codes, row
            assert 6 <= len(row["text"].split()) <= 30 and row["text"].isascii(), row


def test_evaluation_calls_are_enough_and_unseen():
    evaluation = rows("voice_calls_eval.csv")
    assert len(evaluation) == 40 and sum(r["urgent"] == "1" for r in evaluation) == 20
    tuning = {r["text"].lower() for r in rows("voice_calls_tune.csv") + rows("voice_tune_urgent.csv")}
    assert not tuning & {r["text"].lower() for r in evaluation}
