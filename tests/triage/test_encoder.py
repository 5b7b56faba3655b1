"""The sentence encoder: the ONNX graph written from the shipped weights agrees with the numpy
reference, one pass gives the message and its clauses, and nothing is downloaded (ADR 0130)."""

from __future__ import annotations

import numpy as np
import pytest

from residenthub.triage import embedding, engine, onnx_graph

TEXTS = [
    "Garbage pile near the lake, it has been piling up for months",
    "Lot of potholes which makes it difficult to commute",
    "Traffic signal off at the junction every evening",
    "hello",
]


@pytest.fixture(scope="module")
def reference():
    return embedding.Encoder(backend="numpy")


def test_onnx_int8_agrees_with_the_float32_reference(reference):
    fast = embedding.get_encoder()
    assert fast.backend == "onnx" and fast.session is not None
    agreement = (fast.encode(TEXTS) * reference.encode(TEXTS)).sum(axis=1)
    assert agreement.min() > 0.97, agreement


def test_the_float32_graph_is_the_same_network(reference):
    import onnxruntime

    directory = embedding.model_dir()
    weights = embedding.read_safetensors(directory / "model.safetensors")
    graph = onnx_graph.build(weights, reference.heads, reference.layers, quantize=False)
    session = onnxruntime.InferenceSession(graph, providers=["CPUExecutionProvider"])
    ids = np.array([reference.tokenizer.encode(TEXTS[0])], dtype=np.int64)
    mask = np.ones(ids.shape, dtype=np.float32)
    hidden = session.run(
        None,
        {
            "input_ids": ids,
            "position_ids": np.arange(ids.shape[1], dtype=np.int64)[None],
            "mask_bias": np.zeros((1, 1, 1, ids.shape[1]), dtype=np.float32),
        },
    )[0]
    assert np.allclose(hidden, reference._hidden(ids, mask), atol=2e-3)


def test_protobuf_varints_and_negative_integers():
    assert onnx_graph._varint(1) == b"\x01"
    assert onnx_graph._varint(300) == b"\xac\x02"
    assert onnx_graph._varint(-1) == b"\xff" * 9 + b"\x01"  # int64 -1, as protobuf writes it


def test_messages_are_read_up_to_64_word_pieces():
    tokens = embedding.get_encoder().tokenizer.encode("pothole " * 500)
    assert len(tokens) == embedding.MAX_TOKENS == 64


def test_one_pass_gives_the_message_and_its_clauses():
    encoder = embedding.get_encoder()
    text = "huge pile of rubbish dumped behind the shops and rats everywhere, my neighbour is 90"
    pieces, wanted = engine.clause_pieces(text)
    assert "".join(pieces) == text
    assert [p.strip(" ,") for p, w in zip(pieces, wanted, strict=True) if w] == [
        "huge pile of rubbish dumped behind the shops",
        "rats everywhere",
        "my neighbour is 90",
    ]
    whole, parts = encoder.encode_pieces(pieces, wanted)
    # The whole message's vector is the one a plain encoding gives.
    assert float(whole @ encoder.encode([text])[0]) > 0.999
    vectors = [v for v in parts if v is not None]
    assert len(vectors) == 3 and all(abs(np.linalg.norm(v) - 1) < 1e-4 for v in vectors)


def test_a_clause_cut_off_by_the_length_cap_has_no_vector():
    encoder = embedding.get_encoder()
    pieces = ["pothole " * 80, " and ", "rats in the kitchen"]
    _whole, parts = encoder.encode_pieces(pieces, [True, False, True])
    assert parts[0] is not None and parts[2] is None


def test_short_messages_are_not_cut_into_clauses():
    assert engine.clause_pieces("potholes and rats") == (["potholes and rats"], [False])
    assert engine.clauses("potholes and rats") == []


def _perturbed_top_layers(tuned_from: int) -> dict[str, np.ndarray]:
    """The shipped weights of layers ``tuned_from`` and up, shifted by seeded noise: a stand-in for the
    name tagger's fine-tuned layers (ADR 0172)."""
    weights = embedding.read_safetensors(embedding.model_dir() / "model.safetensors")
    rng = np.random.default_rng(0)
    out = {}
    for key, value in weights.items():
        name = key.removeprefix("bert.")
        if name.startswith("encoder.layer.") and int(name.split(".")[2]) >= tuned_from:
            out[name] = (value + rng.normal(scale=0.02, size=value.shape)).astype(np.float32)
    return out


def test_a_tuned_branch_with_the_shipped_weights_gives_the_frozen_vectors():
    weights = embedding.read_safetensors(embedding.model_dir() / "model.safetensors")
    same = {k.removeprefix("bert."): v for k, v in weights.items() if ".layer.4." in k or ".layer.5." in k}
    encoder = embedding.Encoder(tuned=same, tuned_from=4)
    pieces = encoder.tokenizer.encode(TEXTS[0])[1:-1]
    frozen, tuned = encoder.piece_vectors_both(pieces)
    np.testing.assert_array_equal(frozen, tuned)
    np.testing.assert_allclose(frozen, embedding.get_encoder().piece_vectors(pieces), atol=1e-5)


def test_the_tuned_branch_agrees_between_onnx_and_numpy_and_leaves_the_frozen_output_alone():
    tuned = _perturbed_top_layers(4)
    fast = embedding.Encoder(tuned=tuned, tuned_from=4)
    reference = embedding.Encoder(backend="numpy", tuned=tuned, tuned_from=4)
    pieces = fast.tokenizer.encode(TEXTS[1])[1:-1]
    frozen, branch = fast.piece_vectors_both(pieces)
    ref_frozen, ref_branch = reference.piece_vectors_both(pieces)
    np.testing.assert_allclose(frozen, embedding.get_encoder().piece_vectors(pieces), atol=1e-5)

    def cosine(a, b):
        return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)

    assert cosine(branch, ref_branch).min() > 0.97  # int8 against float32, as the frozen encoder
    assert cosine(frozen, ref_frozen).min() > 0.97
    assert cosine(branch, frozen).mean() < 0.95  # the branch really runs the other weights
