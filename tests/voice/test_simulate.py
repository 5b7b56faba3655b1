"""hub voice simulate CALL.wav [--json]: speech to text, triage and urgency, with nothing saved."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from residenthub.speech.audio import write_wav
from residenthub.speech.synth import synthesise
from residenthub.voice.models import Call, Callback
from residenthub.voice.pipeline import tidy

from .conftest import caller_audio

pytestmark = pytest.mark.django_db


@pytest.fixture
def wav(tmp_path, warm):
    def make(text: str, voice: str = "flite:slt", phone: bool = True):
        path = tmp_path / "call.wav"
        if phone:
            write_wav(path, caller_audio(text, voice), sample_rate=8000)
        else:
            write_wav(path, synthesise(text, voice=voice))
        return str(path)

    return make


def run(*args) -> str:
    out = StringIO()
    call_command("voice", "simulate", *args, stdout=out)
    return out.getvalue()


def test_simulate_json(catalogue, wav):
    data = json.loads(
        run(wav("the street light outside number 4 Riverside Close has been out for a week"), "--json")
    )
    assert set(data) == {"transcript", "service_code", "confidence", "urgent", "flags", "reply"}
    assert "riverside" in data["transcript"].lower()
    assert data["service_code"] == "report-street-light" and 0 < data["confidence"] <= 1
    assert data["urgent"] is False and data["flags"] == []
    assert data["reply"].startswith("I think you want to report a street light fault")
    assert not Call.objects.exists() and not Callback.objects.exists()  # a simulation saves nothing


def test_simulate_urgent_text_output(catalogue, wav):
    text = run(wav("there's a smell of gas and my mum is disabled"))
    assert "Urgent:   yes (flags: older_or_disabled, gas" in text or "Urgent:   yes (flags: gas" in text
    assert "call 9 9 9" in text


def test_another_language_gets_an_interpreter_callback(catalogue, wav):
    data = json.loads(
        run(
            wav(
                "Bonjour, ma poubelle n'a pas été ramassée ce matin, je voudrais la signaler.",
                "fr",
                phone=False,
            ),
            "--json",
        )
    )
    assert "French interpreter" in data["reply"]
    assert data["reply"].startswith("Nous vous rappellerons avec un interprète.")  # said first in French


def test_unsupported_audio_is_a_clear_error(tmp_path, catalogue):
    bad = tmp_path / "call.wav"
    bad.write_text("not audio")
    with pytest.raises(CommandError, match="not a recognised audio format"):
        run(str(bad))


def test_tidy_restores_street_names():
    assert (
        tidy("outside number 4 Riverside, close, has been out")
        == "outside number 4 Riverside Close has been out"
    )
