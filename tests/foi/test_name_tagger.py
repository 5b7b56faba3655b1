"""The learned person-name tagger (ADR 0160): committed weights, hash check, what it adds to the detector."""

import hashlib
import json
import shutil
import socket

import numpy as np
import pytest
from django.core.management import call_command

from residenthub.foi.redaction import detect as d
from residenthub.foi.redaction import name_tagger as nt

# Written for these tests (not evidence of quality): lower-case names in informal sentences that the
# detector without the tagger misses.
INFORMAL = {
    "my neighbour wayne keeps parking on the kerb": "wayne",
    "went to see priya at the clinic today": "priya",
}


def test_tagger_loads_from_the_committed_weights_without_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the tagger tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    tagger = nt.NameTagger()
    width = 384 + 3 * nt.N_SHAPE
    assert tagger.head.mean.shape == (width,)
    if tagger.head.hidden_coef is not None:  # the MLP head
        assert tagger.head.hidden_coef.shape == (width, tagger.head.coef.shape[0])
    else:
        assert tagger.head.coef.shape == (width,)
    # ADR 0172: the committed file also holds the fine-tuned top layers, run as a branch of the frozen encoder
    assert tagger.encoder.has_tuned and 0 < tagger.encoder.tuned_from < tagger.encoder.layers
    ws, p = tagger.probabilities("my neighbour wayne keeps parking on the kerb")
    assert [w.text for w in ws][:3] == ["my", "neighbour", "wayne"]
    assert p[2] > nt.THRESHOLD > max(p[0], p[1], p[3])


@pytest.mark.parametrize("sentence,name", INFORMAL.items())
def test_tagger_finds_names_the_previous_detector_misses(sentence, name):
    before = [s.text for s in d.detect_many([sentence], use_tagger=False)[0]]
    after = [s.text for s in d.detect_many([sentence], use_tagger=True)[0]]
    assert name not in before
    assert name in after
    assert after == [s.text for s in d.detect(sentence)]  # on by default


def test_tagger_adds_nothing_to_a_sentence_without_a_name():
    assert d.detect_many(["the bins were not collected on tuesday again"], use_tagger=True)[0] == []


def test_long_text_is_read_in_overlapping_windows():
    filler = "the bins on the estate were not collected and the council did not reply to us. " * 30
    text = filler + "my neighbour wayne keeps parking on the kerb"
    ws, p = nt.get_tagger().probabilities(text)
    assert len(ws) > 500  # several windows of 256 word pieces
    assert p[[w.text for w in ws].index("wayne")] > nt.THRESHOLD
    assert max(p[:-8]) < nt.THRESHOLD  # nothing in the filler, whichever window read it


def test_weights_with_a_wrong_hash_are_refused(tmp_path):
    copy = tmp_path / "name_tagger.npz"
    shutil.copy(nt.WEIGHTS, copy)
    with open(copy, "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(nt.TaggerWeightsError, match="SHA-256 .* not the committed"):
        nt.NameTagger(copy)
    with pytest.raises(nt.TaggerWeightsError, match="missing"):
        nt.NameTagger(tmp_path / "absent.npz")


def test_cli_detect_still_works_with_the_tagger(tmp_path, capsys):
    src = tmp_path / "note.txt"
    src.write_text("my neighbour wayne keeps parking on the kerb. call 07700 900123")
    call_command("redact", "detect", str(src), "--json")
    found = {s["text"]: s["entity_type"] for s in json.loads(capsys.readouterr().out)}
    assert found == {"wayne": d.PERSON, "07700 900123": d.PHONE}


def _export(model, mean, scale) -> dict:
    """Arrays in the weights file's format, as benchmarks/train_name_tagger.py writes them."""
    if hasattr(model, "coefs_"):  # MLPClassifier: hidden layer, then the output layer
        return {
            "mean": mean,
            "scale": scale,
            "hidden_coef": model.coefs_[0].astype(np.float32),
            "hidden_intercept": model.intercepts_[0].astype(np.float32),
            "coef": model.coefs_[1][:, 0].astype(np.float32),
            "intercept": model.intercepts_[1].astype(np.float32),
        }
    return {
        "mean": mean,
        "scale": scale,
        "coef": model.coef_[0].astype(np.float32),
        "intercept": model.intercept_.astype(np.float32),
    }


@pytest.mark.parametrize("head", ["logistic", "mlp"])
def test_both_weight_formats_load_and_score_as_the_trained_model_does(tmp_path, head):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    from residenthub.triage.embedding import get_encoder

    text = "my neighbour wayne keeps parking on the kerb, says Priya Shah"
    _, x = nt.features(text, get_encoder())  # a head-only file reads the frozen encoder
    rng = np.random.default_rng(0)
    train = rng.normal(size=(200, x.shape[1])).astype(np.float32)
    labels = (train[:, 0] + train[:, 400] > 0).astype(int)
    if head == "mlp":
        model = MLPClassifier(hidden_layer_sizes=(8,), max_iter=300, random_state=0).fit(train, labels)
    else:
        model = LogisticRegression(max_iter=1000).fit(train, labels)
    mean = x.mean(0).astype(np.float32)
    scale = (x.std(0) + 1e-3).astype(np.float32)
    path = tmp_path / f"{head}.npz"
    np.savez(path, **_export(model, mean, scale))
    loaded = nt.NameTagger(path, sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    assert (loaded.head.hidden_coef is not None) == (head == "mlp")
    _, p = loaded.probabilities(text)
    expected = model.predict_proba((x - mean) / scale)[:, 1]
    np.testing.assert_allclose(p, expected, rtol=1e-3, atol=1e-5)
    assert p.std() > 1e-3  # the words score differently: the comparison above is not between constants


def test_a_full_stop_joins_an_initial_or_a_title_to_the_name_but_ends_a_sentence_otherwise():
    text = "Iva D. Grusova wrote to John Smith. Mr Wells replied"
    ws = nt.words(text)
    p = np.array([1.0 if w.text[0].isupper() else 0.0 for w in ws])  # every capitalised word a name word
    found = [text[a:b] for a, b, _ in nt.NameTagger.runs(ws, p, 0.5)]
    assert found == ["Iva D. Grusova", "John Smith", "Mr Wells"]


def test_the_span_filter_still_reads_the_frozen_vectors_and_the_head_the_tuned_ones():
    """ADR 0172: one pass gives both; the span filter was trained on the frozen encoder's vectors."""
    from residenthub.triage.embedding import get_encoder

    text = "went to see priya at the clinic today with Dr Okafor"
    tagger = nt.get_tagger()
    ws, x, frozen = nt.features_and_frozen(text, tagger.encoder)
    np.testing.assert_allclose(frozen, nt.contextual(ws, get_encoder()), atol=1e-5)
    assert not np.allclose(x[:, :384], frozen, atol=1e-2)  # the head reads the tuned branch
    assert np.array_equal(tagger.scored(text)[2], frozen)
