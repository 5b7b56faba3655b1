"""The general-chatter gate (ADR 0134): its file, its folds and what the front door does with it."""

import json

import numpy as np
import pytest

from residenthub.triage import engine, gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def gate_file(tmp_path):
    def write(**data):
        path = tmp_path / "gate.json"
        body = {"weights": [0.0] * 384, "bias": 0.0, "bar": 0.6, **data}
        path.write_text(json.dumps({k: v for k, v in body.items() if v is not None}))
        return path

    return write


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weights": [0.1] * 10}, "expected 384 weights, found 10"),
        ({"bar": 0.0}, "the bar must be in (0, 1], found 0.0"),
        ({"bar": 1.5}, "the bar must be in (0, 1], found 1.5"),
        ({"bias": None}, "not a gate file"),
        ({"weights": "many"}, "not a gate file"),
    ],
)
def test_a_bad_gate_file_is_refused_with_the_reason(gate_file, data, message):
    with pytest.raises(gate.GateError, match=message.replace("(", r"\(").replace(")", r"\)")):
        gate.Gate.from_file(gate_file(**data))


def test_a_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "gate.json"
    path.write_text("weights: 1, 2, 3")
    with pytest.raises(gate.GateError, match="not a gate file"):
        gate.Gate.from_file(path)


def test_a_saved_gate_reads_back_the_same(tmp_path):
    rng = np.random.default_rng(1)
    fitted = gate.Gate(rng.normal(size=384), 0.25, 0.65, {"civic_messages": 3})
    path = fitted.save(tmp_path / "gate.json")
    again = gate.Gate.from_file(path)
    vector = rng.normal(size=384)
    assert again.bar == 0.65 and again.scores == {"civic_messages": 3}
    assert again.chatter(vector) == pytest.approx(fitted.chatter(vector), abs=1e-4)


def test_the_shipped_gate_tells_chatter_from_a_report():
    from residenthub.triage.embedding import get_encoder

    shipped = gate.get_gate()
    assert shipped is not None and 0.5 <= shipped.bar < 1.0
    chatter, report = get_encoder().encode(
        [
            "haha see you at the party tonight babe, dont forget the cake!!",
            "There is a deep pothole outside number 12 on Mill Lane and cars swerve round it",
        ]
    )
    assert shipped.blocks(chatter)
    assert not shipped.blocks(report)


def test_folds_score_each_place_with_a_gate_that_never_saw_it():
    """Place B's reports sit where the chatter is: a gate fitted with B calls them civic, but the
    out-of-place score must come from gates fitted without B, which call them chatter."""
    rng = np.random.default_rng(0)
    civic_a = rng.normal(loc=-2.0, size=(60, 384))
    civic_b = rng.normal(loc=2.0, size=(60, 384))
    chatter = rng.normal(loc=2.0, size=(120, 384))
    vectors = np.vstack([civic_a, civic_b, chatter])
    labels = np.r_[np.zeros(120), np.ones(120)].astype(int)
    groups = ["a"] * 60 + ["b"] * 60 + ["sms"] * 60 + ["tweets"] * 60
    scored = gate.out_of_place(vectors, labels, groups)
    assert scored[60:120].mean() > 0.5  # B judged by gates that never saw B
    in_sample = gate._fit(vectors, labels).predict_proba(civic_b)[:, 1]
    assert in_sample.mean() < scored[60:120].mean()


@pytest.fixture
def gate_that_blocks_everything(monkeypatch):
    blocking = gate.Gate(np.zeros(384), 10.0, 0.5)
    monkeypatch.setattr(gate, "get_gate", lambda path=None: blocking)
    return blocking


def test_a_message_the_gate_calls_chatter_goes_to_a_person(gate_that_blocks_everything):
    result = engine.analyse("lot of potholes on the way to the station")
    assert result.outcome == "not_sure"
    assert "general_chatter" in result.notes
    assert result.suggestions and result.suggestions[0].code == "report-pothole"


def test_a_flag_is_never_held_back_by_the_gate(gate_that_blocks_everything, monkeypatch):
    text = "the bins were not collected, and the kids next door have been left alone all week"
    gated = engine.analyse(text)
    monkeypatch.setattr(gate, "get_gate", lambda path=None: None)
    ungated = engine.analyse(text)
    assert gated.suggestions[0].from_flag == "child_at_risk"
    assert (gated.outcome, codes(gated)) == (ungated.outcome, codes(ungated))
    assert "general_chatter" not in gated.notes


def codes(result):
    return [s.code for s in result.suggestions]


def test_without_a_gate_the_same_message_is_routed(monkeypatch):
    monkeypatch.setattr(gate, "get_gate", lambda path=None: None)
    result = engine.analyse("lot of potholes on the way to the station")
    assert result.outcome == "suggested"
    assert "general_chatter" not in result.notes
