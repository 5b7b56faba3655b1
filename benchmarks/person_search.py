# ruff: noqa: S608 - SQL over our own benchmark database
"""Person search (issue 15) against about a million records in PostgreSQL.

    python benchmarks/person_search.py --persons 400000      # ~1.05M records; --persons 20000 to try it
    python benchmarks/person_search.py --load-only           # load bench_search once (~25 min here),
    flock /tmp/bench.lock python benchmarks/person_search.py --reuse --keep   # then time it, again

1. writes the linkage benchmark's synthetic population (benchmarks/population.py, seed 2026), reads it
   through the identity mapping (standardised as an import would), and loads records, persons, links,
   households and memberships into a fresh PostgreSQL database (``bench_search``) with COPY (the
   helpers in benchmarks/population.py, shared with benchmarks/point_of_entry.py); persons come from
   the population's truth (no linkage run needed);
2. runs the same probes through ``identity.search.search_people`` (the page's search: parse, index
   lookup, scoring, the results' names, addresses, households, sources and open cases) and through a
   naive baseline (``icontains`` on the surname and equality on the postcode/date of birth/email over
   the JSON, no search indexes: what a first version would do), in the same run;
3. prints p50/p95 per kind of query and overall, how often the right person is first, and appends the
   figures to docs/benchmarks.md.

Probes are built from records of the population with the mistakes staff make: a misspelt surname with a
postcode, a nickname with a date of birth, a surname first, an initial, an email, a phone number, a
record ID, a house number and street with a postcode.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import web  # noqa: E402 - benchmarks/web.py

DB_NAME = "bench_search"
PROBES_PER_KIND = 60
BASELINE_PROBES_PER_KIND = 8
GOAL_P95_MS = 100.0


def load(csv_path: Path) -> dict:
    """Records, persons, links, households and memberships into the migrated database, with
    benchmarks/population.py's COPY helpers (shared with benchmarks/point_of_entry.py)."""
    import population
    from django.db import connection

    from residenthub.identity.models import HouseholdMembership, Source

    data, facts = population.standardised(csv_path)
    sources = {
        slug: Source.objects.create(slug=slug.replace("_", "-"), name=slug.replace("_", " ").capitalize()).pk
        for slug in population.SOURCES
    }
    now = dt.datetime.now(dt.UTC)
    person_pk = {p: i for i, p in enumerate(sorted({f[1] for f in facts.values()}), start=1)}
    household_pk = {h: i for i, h in enumerate(sorted({f[2] for f in facts.values()}), start=1)}
    member_fields = {f.name for f in HouseholdMembership._meta.get_fields()}
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        # The search indexes are built after the load (faster than maintaining them row by row).
        raw.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'identity_sourcerecord' "
            "AND indexname LIKE 'identity_record_%' AND indexname <> 'identity_record_unique'"
        )
        definitions = dict(raw.fetchall())
        for name in definitions:
            raw.execute(f'DROP INDEX "{name}"')
        record_pk = population.copy_records(raw, data, sources, facts, now)
        population.copy_persons(raw, person_pk.values(), now)
        population.copy_links(raw, ((record_pk[uid], person_pk[f[1]]) for uid, f in facts.items()), None, now)
        population.copy_rows(
            raw,
            "COPY identity_household (id, public_id, key, label) FROM STDIN",
            ((pk, f"H{pk:09d}", f"bench:{h}", h) for h, pk in household_pk.items()),
        )
        pairs = {(person_pk[f[1]], household_pk[f[2]]) for f in facts.values()}
        extra = ", source_ids" if "source_ids" in member_fields else ""
        population.copy_rows(
            raw,
            "COPY identity_householdmembership "
            f"(person_id, household_id, since, until, current{extra}) FROM STDIN",
            (
                (p, h, "", "", True, *([json.dumps(list(sources.values()))] if extra else []))
                for p, h in pairs
            ),
        )
        population.reset_sequences(raw, ("identity_sourcerecord", "identity_person", "identity_household"))
        started = time.perf_counter()
        for definition in definitions.values():
            raw.execute(definition)
        index_seconds = time.perf_counter() - started
        for table in ("sourcerecord", "person", "personlink", "household", "householdmembership"):
            raw.execute(f"ANALYZE identity_{table}")
    return {
        "records": data.records,
        "truth": {uid: person_pk[f[1]] for uid, f in facts.items()},
        "index_seconds": index_seconds,
        "indexes": sorted(definitions),
    }


def reread() -> dict:
    """``--reuse``: the records and the truth of a database an earlier ``--keep`` run loaded (the
    same records in the same order, so the same probes)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.standard, l.person_id FROM identity_sourcerecord r "
            "JOIN identity_personlink l ON l.record_id = r.id ORDER BY r.id"
        )
        rows = [(json.loads(s) if isinstance(s, str) else s, p) for s, p in cursor.fetchall()]
    return {
        "records": [s for s, _ in rows],
        "truth": {s["unique_id"]: p for s, p in rows},
        "index_seconds": 0.0,
        "indexes": [],
    }


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return (
        word[:i] + word[i + 1] + word[i] + word[i + 2 :] if rng.random() < 0.5 else word[:i] + word[i + 1 :]
    )


NICK = {"margaret": "peggy", "william": "bill", "robert": "bob", "elizabeth": "liz", "james": "jim"}


def probes(records: list[dict], rng: random.Random) -> list[tuple[str, str, str]]:
    """(kind, query text, record uid) for each kind of query staff type."""
    made: dict[str, list[tuple[str, str, str]]] = {}

    def add(kind: str, text: str, uid: str) -> None:
        bucket = made.setdefault(kind, [])
        if len(bucket) < PROBES_PER_KIND:
            bucket.append((kind, text, uid))

    for r in rng.sample(records, min(len(records), 20000)):
        first, last, uid = r["first_name"], r["last_name"].replace("-", " "), r["unique_id"]
        if not (first and last):
            continue
        if r["postcode"]:
            add("misspelt name + postcode", f"{first} {_typo(rng, last)} {r['postcode']}", uid)
        if r["dob"]:
            d = dt.date.fromisoformat(r["dob"])
            add("nickname or name + date of birth", f"{NICK.get(first, first)} {last} {d:%d/%m/%Y}", uid)
            add("initial + surname + date of birth", f"{first[0]} {last} {r['dob']}", uid)
        add("surname, first name", f"{last}, {first}", uid)
        if r["email"]:
            add("email", r["email"], uid)
        if r["phone"]:
            add("phone", r["phone"].replace("+44", "0"), uid)
        add("record ID", uid, uid)
        if r["number"] and r["street"] and r["postcode"]:
            add("address + postcode", f"{r['number']} {r['street']} {r['postcode']}", uid)
    return [p for bucket in made.values() for p in bucket]


def naive(text: str, user) -> list[int]:
    """The baseline: what a first version would write, without the search module or its indexes."""
    from django.db.models import Q

    from residenthub.identity import search
    from residenthub.identity.models import SourceRecord

    q = search.parse(text)
    condition = Q()
    if q.email:
        condition &= Q(standard__email=q.email)
    if q.phone:
        condition &= Q(standard__phone=q.phone)
    if q.postcode:
        condition &= Q(standard__postcode=q.postcode)
    if q.dob:
        condition &= Q(standard__dob=q.dob)
    if q.last:
        condition &= Q(standard__last_name__icontains=q.last[:4])
    if q.source_keys:
        condition &= Q(source_key__icontains=q.source_keys[0])
    rows = SourceRecord.objects.filter(condition, removed=False).values_list("link__person_id", flat=True)[
        :25
    ]
    return list(dict.fromkeys(rows))


def fresh(user) -> None:
    """Forget what the user object remembers (teams, roles, visible sources), as a new request does:
    each timed search pays for those look-ups."""
    for name in [n for n in vars(user) if n.startswith(("_team", "_roles", "_is_", "_visible_"))]:
        delattr(user, name)


def child(csv_path: Path, out: Path) -> None:
    import django

    django.setup()
    import logging

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from residenthub.identity import search

    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    loaded = reread() if os.environ.get("PERSON_SEARCH_REUSE") else load(csv_path)
    load_seconds = time.perf_counter() - started
    if os.environ.get("PERSON_SEARCH_LOAD_ONLY"):
        out.write_text(json.dumps({"records": len(loaded["records"]), "load_seconds": load_seconds}))
        return
    user, _ = get_user_model().objects.get_or_create(username="bench.officer", defaults={"is_staff": True})
    # The load above runs niced (a long CPU job on a shared machine); the timed probes (about three
    # minutes) run at normal priority, or they would measure the scheduler, not the search.
    if os.getpriority(os.PRIO_PROCESS, 0) > 0:
        try:
            os.setpriority(os.PRIO_PROCESS, 0, 0)
        except PermissionError:
            web.log("could not raise the priority back for the timed probes; figures include waiting for CPU")
    rng = random.Random(7)
    queries = probes(loaded["records"], rng)
    truth = loaded["truth"]
    lock = None
    if os.environ.get("PERSON_SEARCH_LOCK"):
        # ``--lock``: only the timed part holds the shared benchmark lock (flock(1) takes the same
        # lock), not the minute of re-reading a million records before it.
        import fcntl

        lock = open(os.environ["PERSON_SEARCH_LOCK"], "a")  # noqa: SIM115 - held until the end
        web.log("waiting for the benchmark lock")
        fcntl.flock(lock, fcntl.LOCK_EX)
    load_at_start = os.getloadavg()[0]
    search.search_people("warm up", user)
    ours: dict[str, list[float]] = {}
    first_right: dict[str, int] = {}
    for kind, text, uid in queries:
        fresh(user)
        start = time.perf_counter()
        _, results = search.search_people(text, user)
        ours.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
        first_right[kind] = first_right.get(kind, 0) + bool(results and results[0].person_id == truth[uid])
    if os.environ.get("PERSON_SEARCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        for _, text, _uid in queries:
            search.search_people(text, user)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    # The machine's state in this run: a database round trip that does nothing, through the ORM.
    from django.db import connection

    bare = []
    for _ in range(200):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        bare.append((time.perf_counter() - start) * 1000)
    bare.sort()
    baseline: dict[str, list[float]] = {}
    baseline_right: dict[str, int] = {}
    for kind in ours:
        for _, text, uid in [q for q in queries if q[0] == kind][:BASELINE_PROBES_PER_KIND]:
            start = time.perf_counter()
            found = naive(text, user)
            baseline.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
            baseline_right[kind] = baseline_right.get(kind, 0) + bool(found and found[0] == truth[uid])
    load_at_end = os.getloadavg()[0]
    if lock is not None:
        lock.close()
    summary = {}
    for kind, times in ours.items():
        times.sort()
        base = sorted(baseline.get(kind, []))
        summary[kind] = {
            "n": len(times),
            "p50": web.percentile(times, 50),
            "p95": web.percentile(times, 95),
            "first": first_right[kind] / len(times),
            "base_n": len(base),
            "base_p50": web.percentile(base, 50),
            "base_p95": web.percentile(base, 95),
            "base_first": baseline_right.get(kind, 0) / len(base) if base else 0.0,
        }
    every = sorted(t for times in ours.values() for t in times)
    every_base = sorted(t for times in baseline.values() for t in times)
    out.write_text(
        json.dumps(
            {
                "records": len(loaded["records"]),
                "persons": len(set(truth.values())),
                "load_seconds": load_seconds,
                "index_seconds": loaded["index_seconds"],
                "kinds": summary,
                "p50": web.percentile(every, 50),
                "p95": web.percentile(every, 95),
                "max": every[-1],
                "base_p50": web.percentile(every_base, 50),
                "base_p95": web.percentile(every_base, 95),
                "bare_p50": web.percentile(bare, 50),
                "bare_p95": web.percentile(bare, 95),
                "load": load_at_end,
                "load_start": load_at_start,
                "probes": len(every),
                "base_probes": len(every_base),
            }
        )
    )


def _server_version() -> str:
    with web.admin_connection() as conn:
        return conn.info.parameter_status("server_version") or "?"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--persons", type=int, default=400_000, help="synthetic residents (default 400,000)")
    parser.add_argument("--no-record", action="store_true", help="do not append to docs/benchmarks.md")
    parser.add_argument(
        "--keep", action="store_true", help=f"keep the database {DB_NAME} afterwards (for EXPLAIN, --reuse)"
    )
    parser.add_argument(
        "--lock",
        metavar="PATH",
        help="hold this lock file (e.g. /tmp/bench.lock) around the timed probes only",
    )
    parser.add_argument(
        "--load-only",
        action="store_true",
        help=f"load {DB_NAME} and keep it, time nothing (no lock needed); then --reuse runs the probes",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help=f"probe the database {DB_NAME} a --keep run loaded (same --persons), instead of loading again",
    )
    args = parser.parse_args(argv)
    if args.persons < 100:
        parser.error("--persons must be at least 100")
    import population

    version = _server_version() if args.reuse else web.create_database(DB_NAME)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            csv_path = Path(tmp) / "population.csv"
            if not args.reuse:
                web.log(f"writing the population of {args.persons:,} persons")
                population.write(str(csv_path), args.persons)
            out = Path(tmp) / "result.json"
            env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
            env.update(
                DJANGO_SETTINGS_MODULE="residenthub.settings",
                DATABASE_URL=web.bench_db_url(DB_NAME),
                JOBS_INLINE="true",
                LOG_LEVEL="WARNING",
                PERSON_SEARCH_REUSE="1" if args.reuse else "",
                PERSON_SEARCH_LOAD_ONLY="1" if args.load_only else "",
                PERSON_SEARCH_LOCK=args.lock or "",
            )
            web.log("loading and probing (child process)")
            subprocess.run(
                [sys.executable, __file__, "--child", str(csv_path), str(out)], env=env, check=True
            )
            result = json.loads(out.read_text())
    finally:
        if not (args.keep or args.load_only):
            web.drop_database(DB_NAME)
    if args.load_only:
        print(f"{DB_NAME}: {result['records']:,} records loaded in {result['load_seconds']:.0f} s")
        return 0
    info = web.machine()
    lines = [
        f"## Person search (issue 15) ({dt.date.today().isoformat()})",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; PostgreSQL {version}. "
        f"Command: `{web.the_command([__file__, *argv])}` (commit {web.git_commit()}).",
        f"Data: benchmarks/population.py (seed 2026), {args.persons:,} persons, "
        f"{result['records']:,} records in 5 sources, "
        + (
            f"loaded by an earlier `--keep` run (this run re-read them in {result['load_seconds']:.0f} s). "
            if args.reuse
            else f"loaded with COPY in {result['load_seconds']:.0f} s (search indexes built after the "
            f"load in {result['index_seconds']:.0f} s). "
        )
        + "Timed: `identity.search.search_people` (parse, index "
        "lookup, scoring, and the results' details; the user's teams and visible sources looked up "
        "afresh for each probe, as for a new request) against the naive baseline "
        "(`icontains` on the surname and JSON equality on the other keys, no search indexes), same run, "
        f"{result['probes']} and {result['base_probes']} probes.",
        "",
        "| query | probes | p50 ms | p95 ms | right person first | baseline p50 ms | baseline p95 ms "
        "| baseline right first |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind, s in result["kinds"].items():
        lines.append(
            f"| {kind} | {s['n']} | {s['p50']:.1f} | {s['p95']:.1f} | {s['first']:.0%} | {s['base_p50']:.1f} "
            f"| {s['base_p95']:.1f} | {s['base_first']:.0%} |"
        )
    ratio = result["base_p95"] / result["p95"] if result["p95"] else float("nan")
    verdict = "PASS" if result["p95"] <= GOAL_P95_MS else "FAIL"
    lines += [
        f"| **all** | {result['probes']} | {result['p50']:.1f} | {result['p95']:.1f} | "
        f"| {result['base_p50']:.1f} | {result['base_p95']:.1f} | |",
        "",
        f"- {verdict}: person search p95 {result['p95']:.1f} ms over {result['records']:,} records "
        f"(goal <= {GOAL_P95_MS:.0f} ms); the naive baseline's p95 is {ratio:.1f}x ours; "
        f"max {result['max']:.1f} ms.",
        "- Machine state in this run: an empty `SELECT 1` round trip took "
        f"p50 {result['bare_p50']:.2f} / p95 {result['bare_p95']:.2f} ms; "
        f"1-minute load average {result.get('load_start', result['load']):.1f} at the start and "
        f"{result['load']:.1f} at the end of the timed probes, on {info['cores']} cores.",
        "",
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_record:
        web.record(section)
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit(main(sys.argv[1:]))
