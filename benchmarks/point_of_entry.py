# ruff: noqa: S608 - SQL over our own benchmark database
"""The point-of-entry duplicate check against a large population held in PostgreSQL.

    python benchmarks/linkage.py --scale 400000 --no-append     # runs this after the dedupe

``benchmarks/linkage.py --scale`` dedupes the synthetic population (benchmarks/population.py) and
hands this script the run's model, term frequencies and persons. This script then:

1. creates a fresh PostgreSQL database (``bench_identity``), migrates it, and loads every record,
   its candidate keys, the persons and the links with COPY, in the shape ``identity.actions``
   writes them (an import through the ORM would take far longer than the check it sets up);
2. times ``identity.actions.find_candidates`` (the candidate-index query and the Splink scoring that
   the check on every new case and the match API run) for 300 new contacts built the way a web
   case is (``case_standard_record``: name, email, phone, postcode; no date of birth), taken from
   records of the population (the record itself left out of the candidates); reports p50/p95 and,
   for residents with other records, how often the best candidate is one of theirs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import web  # noqa: E402 - benchmarks/web.py

DB_NAME = "bench_identity"
PROBES = 300


def run(csv_path: Path, linkage_json: Path) -> dict:
    """Create the database, load the population, time the probes (in a child process)."""
    web.create_database(DB_NAME)
    try:
        out = linkage_json.with_suffix(".poe.json")
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="residenthub.settings",
            DATABASE_URL=web.bench_db_url(DB_NAME),
            JOBS_INLINE="true",
            LOG_LEVEL="WARNING",
        )
        import subprocess

        subprocess.run(
            [sys.executable, __file__, str(csv_path), str(linkage_json), str(out)], env=env, check=True
        )
        return json.loads(out.read_text())
    finally:
        web.drop_database(DB_NAME)


def load(csv_path: Path, linked: dict) -> dict:
    """Records, candidate keys, persons and links into the (migrated) database; returns the truth.
    The COPY loading is benchmarks/population.py's, shared with benchmarks/person_search.py."""
    import population
    from django.db import connection

    from residenthub.identity import realtime
    from residenthub.identity.models import LinkageRun, Source

    data, facts = population.standardised(csv_path)
    sources = {
        slug: Source.objects.create(slug=slug, name=slug.replace("_", " ")).pk for slug in population.SOURCES
    }
    now = dt.datetime.now(dt.UTC)
    clusters = linked["clusters"]
    person_pk = {cluster: index for index, cluster in enumerate(sorted(set(clusters.values())), start=1)}
    run = LinkageRun.objects.create(
        finished_at=now, model=linked["model"], tf_tables=linked["tf_tables"], thresholds={}
    )
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        record_pk = population.copy_records(raw, data, sources, facts, now)
        population.copy_rows(
            raw,
            "COPY identity_candidatekey (key, record_id) FROM STDIN",
            ((key, record_pk[r["unique_id"]]) for r in data.records for key in realtime.candidate_keys(r)),
        )
        population.copy_persons(raw, person_pk.values(), now)
        population.copy_links(
            raw, ((record_pk[uid], person_pk[cluster]) for uid, cluster in clusters.items()), run.pk, now
        )
        population.reset_sequences(raw, ("identity_sourcerecord", "identity_person"))
        for table in ("sourcerecord", "candidatekey", "person", "personlink"):
            raw.execute(f"ANALYZE identity_{table}")
        keys = raw.execute("SELECT count(*) FROM identity_candidatekey").fetchone()[0]
    return {
        "records": data.records,
        "record_pk": record_pk,
        "truth": {u: f[1] for u, f in facts.items()},
        "keys": keys,
    }


def probe_record(record: dict, rng: random.Random) -> dict:
    """A new web case from the resident of ``record``: what a case carries, nothing more."""
    from residenthub.identity.sources import build_record

    mapped = {"first_name": record["first_name"], "last_name": record["last_name"]}
    clean = {
        "email": record["email"],
        "phone": record["phone"],
        "postcode": record["postcode"] if rng.random() < 0.9 else "",
        "uprn": "",
        "record_date": dt.date.today().isoformat(),
    }
    return build_record("cases:probe", "cases", mapped, clean, [])


def child(csv_path: Path, linkage_json: Path, out: Path) -> None:
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    from residenthub.identity import actions

    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    loaded = load(csv_path, json.loads(linkage_json.read_text()))
    load_seconds = time.perf_counter() - started
    rng = random.Random(7)
    records, record_pk, truth = loaded["records"], loaded["record_pk"], loaded["truth"]
    uid_of = {pk: uid for uid, pk in record_pk.items()}
    copies: dict[str, int] = {}
    for person in truth.values():
        copies[person] = copies.get(person, 0) + 1
    actions.find_candidates(probe_record(records[0], rng))  # builds the scorer once per process
    timings, findable, right = [], 0, 0
    for record in rng.sample(records, PROBES):
        uid = record["unique_id"]
        probe = probe_record(record, rng)
        start = time.perf_counter()
        # The record the probe was made from is left out: the check must find the resident's others.
        found = actions.find_candidates(probe, exclude_record=record_pk[uid])
        timings.append((time.perf_counter() - start) * 1000)
        if copies[truth[uid]] > 1:
            findable += 1
            right += bool(found) and truth[uid_of[found[0][2]]] == truth[uid]
    timings.sort()
    result = {
        "records": len(records),
        "candidate_keys": loaded["keys"],
        "load_seconds": load_seconds,
        "p50_ms": web.percentile(timings, 50),
        "p95_ms": web.percentile(timings, 95),
        "max_ms": timings[-1],
        "findable": findable,
        "right_person_first": right / findable if findable else 0.0,
    }
    out.write_text(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("run through benchmarks/linkage.py --scale PERSONS")
    child(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
