"""The phone's learned reading of a caller's first words (ADR 0175)."""

from __future__ import annotations

import numpy as np
import pytest

from residenthub.triage import urgency
from residenthub.voice import caller_urgency, dialog
from residenthub.voice.models import Callback
from residenthub.voice.pipeline import understand_text

from .test_dialog import STREET_LIGHT, call_with

ALWAYS = caller_urgency.CallerUrgency(np.zeros(384), 5.0, 0.5)
NEVER = caller_urgency.CallerUrgency(np.zeros(384), -5.0, 0.5)


@pytest.fixture
def model():
    """Put a model in place for one test, and the shipped one back afterwards."""
    saved = caller_urgency.get_model()
    yield caller_urgency.set_model
    caller_urgency.set_model(saved)


def learned(heard) -> list:
    return [f for f in heard.flags if f.category == urgency.CALLER_MODEL.category]


def test_the_model_speaks_only_when_no_rule_did(catalogue, model):
    model(ALWAYS)
    heard = understand_text("can you tell me when the library opens")
    (flag,) = learned(heard)
    assert flag.kind == "vulnerable" and "library opens" in flag.phrase and "(model 0.99)" in flag.phrase
    assert heard.urgent and not heard.emergency  # a priority callback, never the call ended on a guess
    assert learned(understand_text("there is a smell of gas in the kitchen")) == []
    assert learned(understand_text("can you tell me when the library opens", spoken=False)) == []  # typed
    model(NEVER)
    assert learned(understand_text("can you tell me when the library opens")) == []
    model(None)
    assert learned(understand_text("can you tell me when the library opens")) == []


def test_a_caller_only_the_model_heard_is_told_999_once_called_back_first_and_can_still_report(
    catalogue, model
):
    model(ALWAYS)
    call, replies = call_with(STREET_LIGHT, "yes")
    assert replies[1].say.startswith(dialog.DANGER_LINE) and replies[1].expect == "yesno"
    assert "reference" in replies[-1].say.lower()
    assert sum(dialog.DANGER_LINE in t["text"] for t in call.turns if t["who"] == "hub") == 1
    callback = Callback.objects.get(call=call)
    assert callback.rank == 1 and callback.reason == Callback.Reason.VULNERABLE
    assert "(model" in callback.detail


def test_without_the_model_the_same_call_has_no_999_line(catalogue, model):
    model(NEVER)
    call, replies = call_with(STREET_LIGHT, "yes")
    assert dialog.DANGER_LINE not in replies[1].say
    assert not Callback.objects.filter(call=call).exists()


def test_the_shipped_model_reads_meaning(model):
    shipped = caller_urgency.get_model()
    assert shipped is not None and 0.0 < shipped.bar < 1.0
    assert (
        shipped.score(caller_urgency.vector_of("my uncle has gone a funny colour and won't answer me"))
        >= shipped.bar
    )
    assert shipped.score(caller_urgency.vector_of("I'd like to report a missed bin collection")) < shipped.bar
    # The figures it was fitted with are kept beside it: on calls it never saw it adds what the rules miss.
    blind = shipped.scores["voice_tune_urgent_blind.csv"]
    assert blind["caught_either"] > blind["caught_rules"]


def test_a_damaged_model_file_is_refused_with_its_reason(tmp_path):
    path = tmp_path / "caller_urgency.json"
    path.write_text('{"weights": [1, 2], "bias": 0, "bar": 0.5}')
    with pytest.raises(caller_urgency.CallerUrgencyError, match="expected 384 weights"):
        caller_urgency.CallerUrgency.from_file(path)
    path.write_text("not json")
    with pytest.raises(caller_urgency.CallerUrgencyError, match="not a caller urgency model file"):
        caller_urgency.CallerUrgency.from_file(path)
