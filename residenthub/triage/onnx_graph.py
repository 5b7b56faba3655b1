"""all-MiniLM-L6-v2 as an ONNX graph, written in memory from the shipped weights (ADR 0130).

Why write the graph ourselves: the usual exporters need torch (a multi-GB install) or the ``onnx``
package; onnxruntime only needs the serialised model. The network is a plain 6-layer BERT, so the
graph is a few dozen standard operators (opset 17: MatMul, Softmax, LayerNormalization, Erf...).
The bytes are produced from ``model.safetensors`` when the encoder loads (well under a second),
handed straight to onnxruntime, and never downloaded or written to disk.

Only the protobuf messages the graph needs are encoded here (field numbers from ``onnx.proto``):
ModelProto, OperatorSetIdProto, GraphProto, NodeProto, AttributeProto, TensorProto,
ValueInfoProto, TypeProto(.Tensor), TensorShapeProto(.Dimension).
"""

from __future__ import annotations

import struct

import numpy as np

IR_VERSION = 8
OPSET = 17
FLOAT, INT64 = 1, 7  # TensorProto.DataType
ATTR_FLOAT, ATTR_INT, ATTR_INTS = 1, 2, 7  # AttributeProto.AttributeType
INT8 = 3
MS_DOMAIN = "com.microsoft"  # onnxruntime's own operators (DynamicQuantizeMatMul)


# --- protobuf wire format ------------------------------------------------------------------------------


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64 as two's complement, as protobuf does
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(field: int, wire: int) -> bytes:
    return _varint(field << 3 | wire)


def _int(field: int, value: int) -> bytes:
    return _key(field, 0) + _varint(value)


def _bytes(field: int, value: bytes | str) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    return _key(field, 2) + _varint(len(data)) + data


def _float(field: int, value: float) -> bytes:
    return _key(field, 5) + struct.pack("<f", value)


# --- ONNX messages -------------------------------------------------------------------------------------


def tensor(name: str, array: np.ndarray) -> bytes:
    array = np.ascontiguousarray(array)
    kind = {np.dtype(np.float32): FLOAT, np.dtype(np.int64): INT64, np.dtype(np.int8): INT8}[array.dtype]
    dims = b"".join(_int(1, d) for d in array.shape)
    return (
        dims
        + _int(2, kind)
        + _bytes(8, name)
        + _bytes(9, array.astype(array.dtype.newbyteorder("<")).tobytes())
    )


def value_info(name: str, elem_type: int, dims: list[int | str]) -> bytes:
    shape = b"".join(
        _bytes(1, _int(1, d) if isinstance(d, int) else _bytes(2, d)) for d in dims
    )  # TensorShapeProto.dim: Dimension(dim_value=1 | dim_param=2)
    tensor_type = _int(1, elem_type) + _bytes(2, shape)
    return _bytes(1, name) + _bytes(2, _bytes(1, tensor_type))


def attribute(name: str, value) -> bytes:
    if isinstance(value, float):
        return _bytes(1, name) + _float(2, value) + _int(20, ATTR_FLOAT)
    if isinstance(value, int):
        return _bytes(1, name) + _int(3, value) + _int(20, ATTR_INT)
    return _bytes(1, name) + b"".join(_int(8, v) for v in value) + _int(20, ATTR_INTS)


class Graph:
    def __init__(self) -> None:
        self.nodes: list[bytes] = []
        self.initializers: list[bytes] = []
        self._count = 0

    def const(self, name: str, array: np.ndarray) -> str:
        self.initializers.append(tensor(name, array))
        return name

    def op(
        self, op_type: str, inputs: list[str], n_out: int = 1, domain: str = "", **attrs
    ) -> str | list[str]:
        self._count += 1
        outputs = [f"{op_type.lower()}_{self._count}_{i}" for i in range(n_out)]
        node = (
            b"".join(_bytes(1, i) for i in inputs)
            + b"".join(_bytes(2, o) for o in outputs)
            + _bytes(3, f"n{self._count}")
            + _bytes(4, op_type)
            + b"".join(_bytes(5, attribute(k, v)) for k, v in attrs.items())
            + (_bytes(7, domain) if domain else b"")
        )
        self.nodes.append(node)
        return outputs if n_out > 1 else outputs[0]

    def model(self, inputs: list[bytes], outputs: list[bytes], renames: list[tuple[str, str]]) -> bytes:
        # Each graph output's producing node takes the output's name (outputs feed no other node).
        for source, target in renames:
            self.nodes = [n.replace(_bytes(2, source), _bytes(2, target)) for n in self.nodes]
        graph = (
            b"".join(_bytes(1, n) for n in self.nodes)
            + _bytes(2, "minilm")
            + b"".join(_bytes(5, t) for t in self.initializers)
            + b"".join(_bytes(11, i) for i in inputs)
            + b"".join(_bytes(12, o) for o in outputs)
        )
        opsets = _bytes(8, _bytes(1, "") + _int(2, OPSET)) + _bytes(8, _bytes(1, MS_DOMAIN) + _int(2, 1))
        return _int(1, IR_VERSION) + _bytes(2, "residenthub") + _bytes(7, graph) + opsets


def build(
    weights: dict[str, np.ndarray],
    heads: int,
    layers: int,
    *,
    quantize: bool = False,
    tuned: dict[str, np.ndarray] | None = None,
    tuned_from: int = 0,
) -> bytes:
    """The serialised model. Inputs: ``input_ids`` and ``position_ids`` (int64, batch x length) and
    ``mask_bias`` (float, batch x 1 x 1 x length: 0 for tokens, a large negative number for padding).
    Output: ``hidden`` (batch x length x 384), the last layer's token vectors; pooling is done by the
    caller, so one pass can give the message's vector and each clause's.

    ``tuned``: fine-tuned weights of layers ``tuned_from`` and up (``encoder.layer.{i}.*``, the redaction
    name tagger's, ADR 0172): a second output ``tuned`` runs those layers on the frozen layer
    ``tuned_from - 1``'s output, so one pass gives both the frozen and the tuned vectors."""
    w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in weights.items()}
    w |= {f"tuned.{k}": v.astype(np.float32) for k, v in (tuned or {}).items()}
    g = Graph()
    hidden_size = w["embeddings.word_embeddings.weight"].shape[1]
    size = hidden_size // heads
    word = g.const("word", w["embeddings.word_embeddings.weight"])
    position = g.const("position", w["embeddings.position_embeddings.weight"])
    token_type = g.const("token_type", w["embeddings.token_type_embeddings.weight"][0])
    split = g.const("split", np.array([hidden_size] * 3, dtype=np.int64))
    to_heads = g.const("to_heads", np.array([0, 0, heads, size], dtype=np.int64))
    to_hidden = g.const("to_hidden", np.array([0, 0, hidden_size], dtype=np.int64))
    scale = g.const("scale", np.array(1.0 / np.sqrt(size), dtype=np.float32))
    root2 = g.const("root2", np.array(np.sqrt(2.0), dtype=np.float32))
    one = g.const("one", np.array(1.0, dtype=np.float32))
    half = g.const("half", np.array(0.5, dtype=np.float32))

    def layer_norm(x: str, prefix: str) -> str:
        gamma = g.const(f"{prefix}.g", w[f"{prefix}.weight"])
        beta = g.const(f"{prefix}.b", w[f"{prefix}.bias"])
        return g.op("LayerNormalization", [x, gamma, beta], axis=-1, epsilon=1e-12)

    def dense(x: str, prefix: str, weight: np.ndarray | None = None, bias: np.ndarray | None = None) -> str:
        kernel = np.ascontiguousarray(w[f"{prefix}.weight"].T if weight is None else weight)
        shift = g.const(f"{prefix}.b", w[f"{prefix}.bias"] if bias is None else bias)
        if quantize:
            # int8 weights, one scale per output column; the input is quantised per call.
            scales = np.maximum(np.abs(kernel).max(axis=0), 1e-8) / 127.0
            q = np.clip(np.round(kernel / scales), -127, 127).astype(np.int8)
            return g.op(
                "DynamicQuantizeMatMul",
                [
                    x,
                    g.const(f"{prefix}.q", q),
                    g.const(f"{prefix}.s", scales.astype(np.float32)),
                    g.const(f"{prefix}.z", np.zeros(q.shape[1], dtype=np.int8)),
                    shift,
                ],
                domain=MS_DOMAIN,
            )
        return g.op("Add", [g.op("MatMul", [x, g.const(f"{prefix}.w", kernel)]), shift])

    def block(x: str, p: str) -> str:
        q, k, v = (w[f"{p}.attention.self.{n}.weight"] for n in ("query", "key", "value"))
        qb, kb, vb = (w[f"{p}.attention.self.{n}.bias"] for n in ("query", "key", "value"))
        qkv = dense(x, f"{p}.qkv", np.concatenate([q, k, v], 0).T, np.concatenate([qb, kb, vb]))
        q4, k4, v4 = (g.op("Reshape", [t, to_heads]) for t in g.op("Split", [qkv, split], n_out=3, axis=-1))
        scores = g.op(
            "MatMul",
            [g.op("Transpose", [q4], perm=[0, 2, 1, 3]), g.op("Transpose", [k4], perm=[0, 2, 3, 1])],
        )
        scores = g.op("Add", [g.op("Mul", [scores, scale]), "mask_bias"])
        context = g.op(
            "MatMul", [g.op("Softmax", [scores], axis=-1), g.op("Transpose", [v4], perm=[0, 2, 1, 3])]
        )
        context = g.op("Reshape", [g.op("Transpose", [context], perm=[0, 2, 1, 3]), to_hidden])
        attended = dense(context, f"{p}.attention.output.dense")
        x = layer_norm(g.op("Add", [x, attended]), f"{p}.attention.output.LayerNorm")
        up = dense(x, f"{p}.intermediate.dense")
        # BERT's exact GELU: x * (1 + erf(x / sqrt 2)) / 2 (onnxruntime fuses it into one kernel).
        gelu = g.op(
            "Mul", [g.op("Mul", [up, g.op("Add", [g.op("Erf", [g.op("Div", [up, root2])]), one])]), half]
        )
        down = dense(gelu, f"{p}.output.dense")
        return layer_norm(g.op("Add", [x, down]), f"{p}.output.LayerNorm")

    x = g.op("Add", [g.op("Gather", [word, "input_ids"]), g.op("Gather", [position, "position_ids"])])
    x = layer_norm(g.op("Add", [x, token_type]), "embeddings.LayerNorm")
    branch = x
    for i in range(layers):
        x = block(x, f"encoder.layer.{i}")
        if i == tuned_from - 1:
            branch = x
    inputs = [
        value_info("input_ids", INT64, ["batch", "length"]),
        value_info("position_ids", INT64, ["batch", "length"]),
        value_info("mask_bias", FLOAT, ["batch", 1, 1, "length"]),
    ]
    outputs = [value_info("hidden", FLOAT, ["batch", "length", hidden_size])]
    renames = [(x, "hidden")]
    if tuned:
        for i in range(tuned_from, layers):
            branch = block(branch, f"tuned.encoder.layer.{i}")
        outputs.append(value_info("tuned", FLOAT, ["batch", "length", hidden_size]))
        renames.append((branch, "tuned"))
    return g.model(inputs, outputs, renames)
