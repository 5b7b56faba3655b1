"""The cloud adapter against a local server speaking the OpenAI-compatible transcription API."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured

from residenthub.speech import set_engine, transcribe
from residenthub.speech.cloud import CloudError, CloudWhisper
from residenthub.speech.engine import build_engine
from residenthub.speech.synth import synthesise
from tests.fakes.speech_cloud import API_KEY, FakeSpeechCloud


@pytest.fixture
def fake():
    server = FakeSpeechCloud("my bin was not collected on Tuesday", language="welsh").start()
    yield server
    server.stop()


@pytest.fixture
def speech():
    return synthesise("my bin was not collected on Tuesday", voice="en-gb")


def test_cloud_backend_from_settings(settings, fake, speech):
    settings.SPEECH_BACKEND = "cloud"
    settings.SPEECH_CLOUD_URL = fake.base_url
    settings.SPEECH_CLOUD_API_KEY = API_KEY
    settings.SPEECH_CLOUD_MODEL = "whisper-large-v3"
    previous = set_engine(build_engine())
    try:
        result = transcribe(speech, language="cy", prompt="bins, potholes")
    finally:
        set_engine(previous)
    assert result.text == "my bin was not collected on Tuesday"
    assert result.language == "cy" and result.language_probability == 1.0
    assert [s.end for s in result.segments][-1] == pytest.approx(len(speech) / 16000, abs=0.01)
    sent = fake.received[0]
    assert sent["fields"]["model"] == "whisper-large-v3"
    assert sent["fields"]["response_format"] == "verbose_json"
    assert sent["fields"]["language"] == "cy" and sent["fields"]["prompt"] == "bins, potholes"
    assert sent["duration"] == pytest.approx(len(speech) / 16000, abs=0.01)


def test_no_request_for_silence(fake):
    engine = CloudWhisper(fake.base_url, api_key=API_KEY, model="whisper-1", timeout=5)
    result = engine.transcribe(
        np.zeros(16000, dtype=np.float32) + 0.001, language=None, vad=True, prompt=None
    )
    assert result.segments == [] and fake.received == []


def test_refusals_and_outages_are_explained(fake, speech):
    wrong_key = CloudWhisper(fake.base_url, api_key="sk-wrong", model="whisper-1", timeout=5)
    with pytest.raises(CloudError, match=r"refused the audio \(401\): Incorrect API key"):
        wrong_key.transcribe(speech, language=None, vad=False, prompt=None)
    no_model = CloudWhisper(fake.base_url, api_key=API_KEY, model="", timeout=5)
    with pytest.raises(CloudError, match=r"\(400\): you must provide a model"):
        no_model.transcribe(speech, language=None, vad=False, prompt=None)
    fake.stop()
    with pytest.raises(CloudError, match="could not be reached"):
        wrong_key.transcribe(speech, language=None, vad=False, prompt=None)
    fake.start = lambda: None  # already stopped


def test_cloud_needs_a_url(monkeypatch):
    import importlib

    import residenthub.settings as hub_settings

    monkeypatch.setenv("SPEECH_BACKEND", "cloud")
    monkeypatch.setenv("SPEECH_CLOUD_URL", "")
    with pytest.raises(ImproperlyConfigured, match="SPEECH_CLOUD_URL"):
        importlib.reload(hub_settings)
    monkeypatch.delenv("SPEECH_BACKEND")
    importlib.reload(hub_settings)
