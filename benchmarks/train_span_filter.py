"""Train the person-span filter (``residenthub/foi/redaction/span_filter.py``, ADR 0165); tune it on dev.

Training data (TRAINING only, never scored): the tagger's training texts (Broad Twitter Corpus B+E+G,
WikiGold, SEC filings; ``train_name_tagger.load_training``) with the tagger's OUT-OF-FOLD word probabilities
(``train_name_tagger.py --oof``: the filter must see the scores the tagger gives text it was not trained on),
and ``--ours`` texts of our own generator (a seed used nowhere else; the shipped tagger scores them, it never
saw them). Every person result no strong detector supports (``span_filter.candidates`` with spaCy counted
weak, the larger set) is an example: a name when at least half of its cleaned words (``detect._clean_person``)
lie in a gold personal span (a name, or what the benchmark scores "other"), as the benchmark's precision
counts them. Logistic regression, or with ``--hidden N`` a one-layer MLP (scikit-learn, training only;
``random_state=0``, deterministic), over standardised features.

``--dev``: the development side only: the detectors run once per corpus (``--cache``: their raw results
kept in a file between runs, valid while the detectors and the tagger do not change), then the filter at
several thresholds, with spaCy's own results filtered or not, scored as ``benchmarks/redaction.py`` does.

``--vectors`` (ADR 0168; the shipped filter): each candidate's features are followed by the mean frozen
MiniLM vector of its words (the encoder is frozen, so these need no folds). ``--examples``: the training
candidates kept in a file, so other C or heads train in seconds (kept with vectors, they also train the
filter without them).

    .venv/bin/python benchmarks/train_span_filter.py --oof /tmp/oof.npz --vectors --c 0.1 [--ours 300]
        [--examples /tmp/examples.npz] [--out PATH.npz]
    .venv/bin/python benchmarks/train_span_filter.py --dev --cache /tmp/dev.pkl --weights A.npz B.npz
        [--thresholds 0.03 0.08]
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import redaction as bench  # noqa: E402  (sets Django up)
import train_name_tagger as tnt  # noqa: E402

from residenthub.foi.redaction import detect as d  # noqa: E402
from residenthub.foi.redaction import name_tagger as nt  # noqa: E402
from residenthub.foi.redaction import span_filter as sf  # noqa: E402

OURS_SEED = 11  # neither the tuning seed (7) nor the evaluation seed (2026)


def examples(docs, results, scored, vectors: bool = False) -> tuple[list[np.ndarray], list[int]]:
    """One row per candidate; with ``vectors`` the span's mean encoder vector follows its features."""
    xs, ys = [], []
    for (text, gold), found, (ws, p, *vec) in zip(docs, results, scored, strict=True):
        personal = [False] * (len(text) + 1)
        for a, b, kind in gold:
            if kind is not None:
                for i in range(a, b):
                    personal[i] = True
        weak = sf.candidates(found, spacy_strong=False)
        if not weak:
            continue
        informal = sf.text_features(text)
        for res in weak:
            cleaned = d._clean_person(text, res.start, res.end)
            if cleaned is None:
                continue
            tokens = bench._tokens(text, *cleaned)
            if not tokens:
                continue
            good = sum(any(personal[a:b]) for a, b in tokens)
            x = sf.features(text, res, found, ws, p, informal)
            if vectors:
                x = np.concatenate([x, sf.span_vector(res, ws, vec[0] if vec else None)])
            xs.append(x)
            ys.append(int(2 * good >= len(tokens)))
    return xs, ys


def training_examples(args) -> tuple[np.ndarray, np.ndarray]:
    """The training candidates' features and labels (``--examples``: kept in a file between runs, valid
    while the detectors, the out-of-fold file and the features do not change)."""
    cache = Path(args.examples) if args.examples else None
    if cache and cache.exists():
        with np.load(cache) as data:
            return data["x"], data["y"]
    t0 = time.perf_counter()
    oof = np.load(args.oof)
    corpora = [str(c) for c in oof["corpora"]]
    docs = tnt.load_training(corpora)
    lengths = oof["lengths"]
    assert len(lengths) == len(docs), "the out-of-fold file is for other training texts"
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    scored = []
    encoder = nt.get_tagger().encoder if args.vectors else None
    for i, (text, _) in enumerate(docs):
        ws = nt.words(text)
        assert len(ws) == lengths[i]
        p = oof["p"][bounds[i] : bounds[i + 1]]
        # the encoder is frozen, so its vectors need no folds
        scored.append((ws, p, nt.contextual(ws, encoder)) if encoder is not None else (ws, p))
    texts = [t for t, _ in docs]
    results, _ = d.analyse_many(texts, use_tagger=False)
    results = d.add_tagger_results(results, scored)
    xs, ys = examples(docs, results, scored, args.vectors)
    if args.ours:
        ours = bench.generate(OURS_SEED, args.ours)
        texts = [t for t, _ in ours]
        results, scored_ours = d.analyse_many(texts)
        x2, y2 = examples(ours, results, scored_ours, args.vectors)
        xs += x2
        ys += y2
    x, y = np.vstack(xs), np.array(ys)
    print(f"examples: {len(y)} ({int(y.sum())} names); {time.perf_counter() - t0:.0f} s")
    if cache:
        np.savez(cache, x=x, y=y)
    return x, y


def train(args) -> None:
    x, y = training_examples(args)
    if not args.vectors:
        x = x[:, : len(sf.FEATURES)]  # examples kept with vectors also train the filter without them
    mean, scale = x.mean(0), x.std(0) + 1e-6
    if args.hidden:
        from sklearn.neural_network import MLPClassifier

        model = MLPClassifier(
            hidden_layer_sizes=(args.hidden,), alpha=args.alpha, max_iter=500, random_state=0
        )
        model.fit((x - mean) / scale, y)
        arrays = {
            "hidden_coef": model.coefs_[0].astype(np.float32),
            "hidden_intercept": model.intercepts_[0].astype(np.float32),
            "coef": model.coefs_[1][:, 0].astype(np.float32),
            "intercept": model.intercepts_[1].astype(np.float32),
        }
    else:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=args.c, max_iter=5000)
        model.fit((x - mean) / scale, y)
        for name, w in sorted(zip(sf.FEATURES, model.coef_[0], strict=False), key=lambda t: -abs(t[1])):
            print(f"  {name:18s} {w:+.3f}")
        arrays = {
            "coef": model.coef_[0].astype(np.float32),
            "intercept": model.intercept_.astype(np.float32),
        }
    np.savez(args.out, mean=mean.astype(np.float32), scale=scale.astype(np.float32), **arrays)
    print("SHA-256", hashlib.sha256(Path(args.out).read_bytes()).hexdigest())


def dev(args) -> None:
    """Development side only: names recall, precision and F2 per corpus, without the filter and with each
    ``--weights`` file at each threshold, in ONE process (the other detectors may change between
    processes); with ``--old-tagger``, the detector with those tagger weights and no filter too."""
    filters = []
    for path in args.weights:
        weights = Path(path)
        filters.append(
            (weights.name, sf.SpanFilter(weights, sha256=hashlib.sha256(weights.read_bytes()).hexdigest()))
        )
    corpora = {
        "presidio-research": bench.load_presidio(),
        "pii-anon": bench.load_pii_anon(),
        "Nannigalaxy": bench.load_nannigalaxy(),
        "Nannigalaxy errata": bench.load_nannigalaxy(errata=True),
        "BTC A+H": bench.load_btc("a") + bench.load_btc("h"),
        "ours (seed 7)": bench.load_ours(7, 300),
    }
    cache = Path(args.cache) if args.cache else None
    saved = pickle.loads(cache.read_bytes()) if cache and cache.exists() else {}  # noqa: S301 (our own file)
    taggers = {"tagger": None}
    if args.old_tagger:
        old = Path(args.old_tagger)
        taggers = {
            "old tagger": nt.NameTagger(old, sha256=hashlib.sha256(old.read_bytes()).hexdigest()),
            **taggers,
        }
    for tagger_name, tagger in taggers.items():
        nt._tagger = tagger
        for name, docs in corpora.items():
            texts = [t for t, _ in docs]
            key = (tagger_name, name)
            if key not in saved:
                saved[key] = d.analyse_many(texts)
            results, scored = saved[key]
            if scored and len(scored[0]) == 2:  # cached before the filter read vectors: the encoder is frozen
                encoder = nt.get_tagger().encoder
                scored = [(ws, p, nt.contextual(ws, encoder)) for ws, p in scored]
                saved[key] = (results, scored)
            rows = [("off", None, None)]
            if tagger is None:
                rows += [(f"{label} t={t}", filt, t) for label, filt in filters for t in args.thresholds]
            for label, filt, t in rows:
                sf._filter = filt
                spans = d.finish_many(
                    texts, results, scored, span_filter=filt is not None, filter_threshold=t
                )
                sc = bench.score(docs, [[(x.start, x.end) for x in ss] for ss in spans])
                names = sc["groups"]["names"][0]
                print(
                    f"{tagger_name:10s} {name:18s} {label:32s} names {names:.3f} P {sc['precision']:.3f} "
                    f"F2 {sc['f2']:.3f}",
                    flush=True,
                )
    nt._tagger = None
    sf._filter = None
    if cache:
        cache.write_bytes(pickle.dumps(saved))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--oof", default="")
    parser.add_argument("--examples", default="", help="keep the training candidates' features in this file")
    parser.add_argument("--ours", type=int, default=300)
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--hidden", type=int, default=0, help="an MLP head of this many relu units")
    parser.add_argument("--alpha", type=float, default=0.01)
    parser.add_argument("--out", default=str(sf.WEIGHTS))
    parser.add_argument("--dev", action="store_true")
    parser.add_argument("--weights", nargs="+", default=[str(sf.WEIGHTS)], help="--dev: filters to compare")
    parser.add_argument("--vectors", action="store_true", help="read the span's encoder vector")
    parser.add_argument("--old-tagger", default="", help="--dev: also these tagger weights, no filter")
    parser.add_argument("--cache", default="", help="--dev: keep the detectors' raw results in this file")
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.05, 0.08, 0.1, 0.15, 0.2])
    args = parser.parse_args()
    if args.dev:
        dev(args)
    else:
        train(args)


if __name__ == "__main__":
    main()
