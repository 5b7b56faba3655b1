"""hub speech transcribe AUDIO [--json]."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def test_transcribe_prints_segments_with_times(audio_dir):
    out = StringIO()
    call_command("speech", "transcribe", str(audio_dir / "speech16k.wav"), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[00:00:0") and "-->" in lines[0]
    assert "riverside" in out.getvalue().lower()
    assert lines[-1].startswith("-- language en")


def test_transcribe_json(audio_dir):
    out = StringIO()
    call_command(
        "speech", "transcribe", str(audio_dir / "speech.ogg"), "--json", "--language", "en", stdout=out
    )
    data = json.loads(out.getvalue())
    assert "riverside" in data["text"].lower()
    assert data["segments"][0]["start"] >= 0 and data["language"] == "en"


def test_bad_audio_is_a_clear_error(audio_dir):
    with pytest.raises(CommandError, match="not a recognised audio format"):
        call_command("speech", "transcribe", str(audio_dir / "notes.txt"))


def test_silence_says_so(audio_dir):
    out = StringIO()
    call_command("speech", "transcribe", str(audio_dir / "silence.wav"), stdout=out)
    assert "(no speech heard)" in out.getvalue()
