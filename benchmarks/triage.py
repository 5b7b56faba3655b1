"""Triage benchmark: the front door's classifier and rules against a TF-IDF + logistic regression
baseline, on the held-out test set (``residenthub/triage/data/test.csv``) the model never trains on.

Run it with the project's virtualenv (``make bench`` does this)::

    .venv/bin/python benchmarks/triage.py [--repeat 3] [--no-record]

Figures, for the shipped model ("hub") and the baseline, both trained in this run from the seed
corpus and the off-topic examples:

* accuracy and macro-F1 of the top prediction on the in-scope test messages;
* share of off-topic test messages routed to a service with high confidence (>= TRIAGE_CONFIDENT);
* recall of urgent and vulnerable test messages (the rules; the baseline has none);
* p50/p95 latency per enquiry on one core (threads set to 1, the process pinned to one CPU): the
  hub figure is the whole triage (language, rules, details, model); the model-only figures compare
  like with like;
* model load time in a fresh process (imports, joblib load, lingua's first detection).

Appends the figures to docs/benchmarks.md unless ``--no-record``. Exit codes: 0 done, 1 failed.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import csv  # noqa: E402
import datetime as dt  # noqa: E402
import platform  # noqa: E402
import shlex  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DOCS_FILE = REPO / "docs" / "benchmarks.md"
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residenthub.settings")

LOAD_SCRIPT = """
import os, sys, time
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residenthub.settings")
import django
django.setup()
from django.conf import settings
settings.TRIAGE_MODEL_PATH = sys.argv[1]
started = time.perf_counter()
from residenthub.triage import model
loaded = model.TriageModel.load()
assert loaded is not None
loaded.predict("warm up")
model_s = time.perf_counter() - started
started = time.perf_counter()
from residenthub.triage import language
language.warm_up()
lingua_s = time.perf_counter() - started
print(f"{model_s:.4f} {lingua_s:.4f}")
"""


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def machine() -> str:
    cores = os.cpu_count() or 0
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kb = int(next(line for line in handle if line.startswith("MemTotal")).split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "unknown memory"
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cores} cores ({cpu}), {memory}, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the test set for latency")
    parser.add_argument("--no-record", action="store_true", help="do not append to docs/benchmarks.md")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    import django

    django.setup()
    from django.conf import settings

    from residenthub.triage import engine, evaluation, language, urgency
    from residenthub.triage import model as triage_model

    workdir = Path(tempfile.mkdtemp(prefix="triage-bench-"))
    settings.TRIAGE_MODEL_PATH = str(workdir / "model.joblib")
    settings.TRIAGE_TRANSLATE_URL = ""
    threshold = engine.confident_threshold()

    with open(triage_model.TEST_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    in_scope = [r for r in rows if r["service_code"]]
    off_topic = [r for r in rows if not r["service_code"] and not r["flags"]]
    flagged = [r for r in rows if r["flags"]]
    gold = [r["service_code"] for r in in_scope]
    seed = triage_model.seed_examples()

    results = {}
    for kind in ("hub", "baseline"):
        started = time.perf_counter()
        trained = triage_model.TriageModel.train(seed, kind=kind)
        train_s = time.perf_counter() - started
        path = trained.save(workdir / f"{kind}.joblib")
        top = trained.predict_many([r["text"] for r in in_scope], top=1)
        scores = evaluation.score(gold, [t[0].code for t in top])
        confident = [(g, t[0]) for g, t in zip(gold, top, strict=True) if t[0].confidence >= threshold]
        off = trained.predict_many([r["text"] for r in off_topic], top=1)
        routed = sum(1 for t in off if t[0].code != triage_model.OFF_TOPIC and t[0].confidence >= threshold)
        model_latency = []
        for _ in range(args.repeat):
            for row in rows:
                begin = time.perf_counter()
                trained.predict(row["text"])
                model_latency.append((time.perf_counter() - begin) * 1000)
        load = subprocess.run(
            [sys.executable, "-c", LOAD_SCRIPT, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        ).stdout.split()
        results[kind] = {
            "model": trained,
            "train_s": train_s,
            "accuracy": scores.accuracy,
            "macro_f1": scores.macro_f1,
            "confident_share": len(confident) / len(in_scope),
            "confident_accuracy": sum(g == p.code for g, p in confident) / max(1, len(confident)),
            "off_topic_routed": routed / len(off_topic),
            "model_p50": percentile(model_latency, 50),
            "model_p95": percentile(model_latency, 95),
            "load_model_s": float(load[0]),
            "load_lingua_s": float(load[1]),
        }

    # Whole triage (language, rules, details, model with clause split) with the hub model.
    triage_model.set_model(results["hub"]["model"])
    language.warm_up()
    engine.analyse("warm up")
    full_latency = []
    for _ in range(args.repeat):
        for row in rows:
            begin = time.perf_counter()
            engine.analyse(row["text"])
            full_latency.append((time.perf_counter() - begin) * 1000)
    caught = sum(
        set(r["flags"].split(";")) <= {f.category for f in urgency.find_flags(r["text"])} for r in flagged
    )
    recall = caught / len(flagged)
    hub, base = results["hub"], results["baseline"]
    load_total = hub["load_model_s"] + hub["load_lingua_s"]

    def row(label, a, b, fmt):
        return f"| {label} | {fmt(a)} | {fmt(b)} |"

    pct = lambda v: f"{v:.1%}"  # noqa: E731
    three = lambda v: f"{v:.3f}"  # noqa: E731
    ms = lambda v: f"{v:.2f} ms"  # noqa: E731
    sec = lambda v: f"{v:.2f} s"  # noqa: E731
    lines = [
        "| figure | hub (word+char TF-IDF, LR C=20) | baseline (TF-IDF + LR) |",
        "|---|---|---|",
        row("accuracy (top prediction, in-scope)", hub["accuracy"], base["accuracy"], three),
        row("macro-F1 (in-scope)", hub["macro_f1"], base["macro_f1"], three),
        row(
            f"share routed with confidence >= {threshold}",
            hub["confident_share"],
            base["confident_share"],
            pct,
        ),
        row(
            "accuracy when routed with confidence", hub["confident_accuracy"], base["confident_accuracy"], pct
        ),
        row("off-topic routed with high confidence", hub["off_topic_routed"], base["off_topic_routed"], pct),
        row("model-only latency p50 (one core)", hub["model_p50"], base["model_p50"], ms),
        row("model-only latency p95 (one core)", hub["model_p95"], base["model_p95"], ms),
        row("model load in a fresh process", hub["load_model_s"], base["load_model_s"], sec),
        row("training time", hub["train_s"], base["train_s"], sec),
    ]
    p95 = percentile(full_latency, 95)
    goals = [
        (
            hub["macro_f1"] > base["macro_f1"],
            f"macro-F1 beats the baseline: {hub['macro_f1']:.3f} vs {base['macro_f1']:.3f}",
        ),
        (recall >= 0.98, f"urgent and vulnerable recall >= 0.98: {recall:.3f} ({caught}/{len(flagged)})"),
        (
            hub["off_topic_routed"] <= 0.05,
            f"off-topic routed with high confidence <= 5%: {hub['off_topic_routed']:.1%}",
        ),
        (p95 <= 20, f"p95 per enquiry <= 20 ms (whole triage, one core): {p95:.2f} ms"),
        (
            load_total <= 3,
            f"load <= 3 s (model {hub['load_model_s']:.2f} s + lingua {hub['load_lingua_s']:.2f} s): "
            f"{load_total:.2f} s",
        ),
    ]
    command = "$ " + " ".join(
        shlex.quote(a) for a in [".venv/bin/python", "benchmarks/triage.py", *sys.argv[1:]]
    )
    report = [
        f"## Triage ({dt.datetime.now().strftime('%Y-%m-%d %H:%M')})",
        "",
        f"Machine: {machine()}. Command: `{command[2:]}`",
        "",
        f"Test set: {len(in_scope)} in-scope messages over {len(set(gold))} services, "
        f"{len(off_topic)} off-topic, {len(flagged)} urgent or vulnerable; "
        f"none of them in the training data ({len(seed)} examples).",
        "",
        *lines,
        "",
        f"Whole triage per enquiry on one core: p50 {percentile(full_latency, 50):.2f} ms, "
        f"p95 {percentile(full_latency, 95):.2f} ms ({len(full_latency)} enquiries).",
        "",
        "Goals from the issue:",
        "",
        *[f"- {'PASS' if ok else 'MISS'}: {text}" for ok, text in goals],
        "",
    ]
    print("\n".join(report))
    if not args.no_record:
        with open(DOCS_FILE, "a", encoding="utf-8") as handle:
            handle.write("\n" + "\n".join(report))
        print(f"Appended to {DOCS_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
