"""The voice benchmark never prints which evaluation calls it missed (only the tuning split's).

Reading the evaluation misses would make the evaluation split a second tuning split; the benchmark
is run with the scripts replaced by two of ours and an engine that hears nothing useful, so every
urgent script is missed and the only question is whether the miss is shown."""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import pytest

from residenthub.speech.types import Segment, Transcript

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "voice.py"
URGENT = "There is a smell of gas in the kitchen and my mum is disabled"


@pytest.fixture(scope="module")
def bench():
    saved = dict(os.environ)
    spec = importlib.util.spec_from_file_location("voice_benchmark_under_test", BENCH)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    finally:  # the benchmark points DATABASE_URL at memory for its own process
        os.environ.clear()
        os.environ.update(saved)
    sys.modules.pop("voice_benchmark_under_test", None)
    return module


class DeafEngine:
    def transcribe(self, samples, **options):
        return Transcript([Segment(0.0, 1.0, "Hello there, thank you.", -0.2, 0.0)])


@pytest.fixture
def tiny(bench, monkeypatch):
    scripts = [
        {"text": URGENT, "service_code": "", "urgent": True},
        {"text": "The street light outside my house is out", "service_code": "", "urgent": False},
    ]
    monkeypatch.setattr(bench, "load_scripts", lambda split: scripts)
    monkeypatch.setattr(bench, "load_routing", lambda split, n: [])
    monkeypatch.setattr(bench, "load_other_urgent", lambda split, n: [])
    monkeypatch.setattr(bench, "VOICES", {"eval": ("flite:slt",), "tune": ("flite:slt",)})
    monkeypatch.setattr(bench, "line_audio", lambda text, voice, snr, seed: np.full(8000, 0.1, np.float32))
    return bench


def run(bench, split: str) -> argparse.Namespace:
    return argparse.Namespace(
        split=split,
        routing=0,
        other_urgent=0,
        configs=["current"],
        noisy_configs=["current"],
        conditions=["clean"],
        show=False,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("split", ["eval", "tune"])
def test_missed_urgent_scripts_are_printed_for_tuning_only(tiny, capsys, split):
    lines = tiny.accuracy(run(tiny, split), DeafEngine())
    shown = capsys.readouterr().out + "\n".join(lines)
    assert "urgent caught" in shown  # the summary table is there either way
    if split == "tune":
        assert URGENT in shown and "MISSED" in shown
    else:
        assert URGENT not in shown and "MISSED" not in shown and "missed" not in shown.lower()


def test_show_refused_on_evaluation(bench):
    assert bench.shows_misses("tune") and not bench.shows_misses("eval")
