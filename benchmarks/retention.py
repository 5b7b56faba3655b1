# ruff: noqa: S608, E501 - SQL over our own benchmark database; the report table is long
"""Retention sweep (issue 20): 1,000,000 closed cases anonymised in PostgreSQL by the real sweep.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/retention.py --cases 1000000 --load-only      # not timed
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/retention.py --cases 1000000 --reuse --lock /tmp/bench.lock

The server of DATABASE_URL is used, with a database of the benchmark's own (``--database``,
default ``bench_retention``), made if missing and emptied of cases each run. ``--load-only`` loads
it and also keeps a copy (``<database>_loaded``), so ``--reuse`` can start again from the unswept
cases (a file copy, not timed) as often as needed; ``--lock`` holds the shared benchmark lock around
the timed sweep and baseline only, not the load.

1. migrates the database named by DATABASE_URL, loads the catalogue and the demo addresses, and
   makes ``--cases`` closed pothole cases three years old (past the schedule's 2 years for highways
   defects) with one timeline note each, by ``INSERT ... SELECT generate_series`` from one case made
   through ``cases.actions.create_case``; 1 in 1,000 cases gets a litigation hold;
2. runs ``retention.actions.sweep(classes=["case"])`` (the nightly job's code path: batched, set-based
   UPDATEs through the declarations, append-only timeline text blanked inside ``erasure_allowed``) and
   reports the time, rows per second and the peak RSS of this process;
3. baseline in the same run: the naive way (load each case, blank its fields, ``save()``, then each of
   its events) on ``--baseline`` cases, extrapolated to the same count;
4. appends the figures to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residenthub.settings")
os.environ.setdefault("JOBS_INLINE", "true")
os.environ.setdefault("DEBUG", "false")  # DEBUG keeps every query (9,000 of them) in memory


def own_database(url: str, name: str) -> str:
    """The benchmark's own database on the server of ``url`` (never the one ``url`` names)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_url(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def copy_database(url: str, source: str, target: str) -> None:
    """``target`` made afresh as a file copy of ``source`` (nobody may be connected to either)."""
    import psycopg

    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [source]).fetchone():
            sys.exit(f"No database {source}: run with --load-only first.")
        conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StatementLog:
    """``--profile``: statements the sweep sends, by kind, with their count and database time."""

    def __init__(self):
        self.by_kind: dict[str, list[float]] = {}

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = " ".join(sql.split())
            kind = kind[: kind.find(" WHERE ")] if " WHERE " in kind else kind[:90]
            entry = self.by_kind.setdefault(kind[:110], [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - start

    def report(self, seconds: float, batches: int) -> str:
        total = sum(t for _n, t in self.by_kind.values())
        count = sum(n for n, _t in self.by_kind.values())
        lines = [
            f"{count:,} statements ({count / max(batches, 1):.1f} a batch over {batches} batches); "
            f"database {total:.1f} s of {seconds:.1f} s wall, Python and driver {seconds - total:.1f} s"
        ]
        for kind, (n, t) in sorted(self.by_kind.items(), key=lambda kv: -kv[1][1])[:15]:
            lines.append(f"  {t:8.2f} s {n:7,}x  {kind}")
        return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--baseline", type=int, default=5_000)
    parser.add_argument("--no-append", action="store_true")
    parser.add_argument("--database", default="bench_retention", help="made if missing; emptied of cases")
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="load the cases, keep a copy as <database>_loaded, time nothing (no lock needed)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="start from the copy --load-only kept (not timed); then time"
    )
    parser.add_argument(
        "--lock", help="hold this lock file (e.g. /tmp/bench.lock) around the timed part only"
    )
    parser.add_argument("--profile", action="store_true", help="print the statements the sweep sent, by kind")
    args = parser.parse_args()
    if args.baseline < 1:
        sys.exit("--baseline must be at least 1 (the naive way is timed on that many cases)")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server: the benchmark uses its own database there.")
    loaded_copy = f"{args.database}_loaded"
    if args.reuse:
        t0 = time.perf_counter()
        copy_database(url, loaded_copy, args.database)
        print(f"copied {loaded_copy} to {args.database} in {time.perf_counter() - t0:.1f}s")
    os.environ["DATABASE_URL"] = own_database(url, args.database)

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from residenthub.cases import actions as case_actions
    from residenthub.cases.models import Case, CaseEvent
    from residenthub.core.actions import Actor
    from residenthub.core.models import erasure_allowed
    from residenthub.retention import actions
    from residenthub.retention.models import LegalHold
    from residenthub.services.models import Service

    columns = [f.column for f in Case._meta.concrete_fields if f.column != "id"]
    closed = timezone.now() - dt.timedelta(days=3 * 365)
    overrides = {
        "reference": "'B' || lpad(g::text, 9, '0')",
        "submission_key": "NULL",
        "contact_name": "'Resident ' || g",
        "contact_email": "'r' || g || '@example.com'",
        "contact_phone": "'07700 ' || lpad((g %% 1000000)::text, 6, '0')",
        "postcode": "(ARRAY['E20 1AB','E20 4LR','E20 2ST','E20 1AA'])[1 + g %% 4]",
        "uprn": "CASE WHEN g %% 3 = 0 THEN '100090000057' ELSE '' END",
        "is_open": "false",
        "status": "'resolved'",
        "closed_at": "%(closed)s - (g %% 5000) * interval '1 minute'",
        "created_at": "%(closed)s - interval '10 days'",
    }
    select = ", ".join(overrides.get(c, f"t.{connection.ops.quote_name(c)}") for c in columns)
    made = None
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)  # a --reuse copy may predate a migration
    if not args.reuse:
        with open(os.devnull, "w") as devnull:
            call_command("load_catalogue", verbosity=0, stdout=devnull)
            call_command("load_addresses", stdout=devnull)
        with erasure_allowed(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE cases_case, retention_legalhold, retention_sweeprun CASCADE")
        service = Service.objects.get(code="report-pothole")
        case_actions.create_case(
            service=service,
            answers={"location": {"description": "Outside 14 Station Road", "postcode": "E20 1AB"}},
            contact=case_actions.Contact(
                name="Template Person", email="template@example.com", notify_by="email"
            ),
        )
        t0 = time.perf_counter()
        template = Case.objects.exclude(reference__startswith="B").order_by("pk").first()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO cases_case ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
                f"SELECT {select} FROM cases_case t, generate_series(1, %(n)s) g WHERE t.id = %(template)s",
                {"n": args.cases, "template": template.pk, "closed": closed},
            )
            cursor.execute(
                "INSERT INTO cases_caseevent (case_id, at, kind, from_status, to_status, text, public) "
                "SELECT id, closed_at, 'internal_note', '', '', 'Spoke to ' || contact_name || ' on ' || contact_phone, false "
                "FROM cases_case WHERE reference LIKE 'B%%'"
            )
        made = time.perf_counter() - t0
        held_ids = list(
            Case.objects.filter(reference__startswith="B").order_by("pk").values_list("pk", flat=True)[::1000]
        )
        LegalHold.objects.bulk_create(
            LegalHold(kind="litigation", reason="Benchmark: claim pending", case_id=pk) for pk in held_ids
        )
        with connection.cursor() as cursor:
            # A council's database is vacuumed; a freshly bulk-loaded one is not (hint bits, statistics).
            cursor.execute("VACUUM ANALYZE cases_case")
            cursor.execute("VACUUM ANALYZE cases_caseevent")
        print(f"made {args.cases:,} cases and events in {made:.1f}s; {len(held_ids)} on hold")
        if args.load_only:
            connection.close()
            t0 = time.perf_counter()
            copy_database(url, args.database, loaded_copy)
            print(f"kept a copy as {loaded_copy} in {time.perf_counter() - t0:.1f}s; now run with --reuse")
            return
    template = Case.objects.exclude(reference__startswith="B").order_by("pk").first()
    in_db = Case.objects.filter(reference__startswith="B").count()
    if in_db != args.cases:
        sys.exit(
            f"{args.database} holds {in_db:,} benchmark cases, not {args.cases:,}: load with --load-only"
        )

    lock = None
    if args.lock:
        import fcntl

        lock = open(args.lock, "a")  # noqa: SIM115 - held until the timed part ends
        print(f"waiting for {args.lock}")
        fcntl.flock(lock, fcntl.LOCK_EX)
    statements = StatementLog() if args.profile else None
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    if statements is not None:
        with connection.execute_wrapper(statements):
            run = actions.sweep(by=Actor.system("retention"), classes=["case"])
    else:
        run = actions.sweep(by=Actor.system("retention"), classes=["case"])
    seconds = time.perf_counter() - t0
    load_after = os.getloadavg()
    peak = rss_mb()
    report = run.counts["case"]
    print(
        f"sweep: {report['done']:,} anonymised, {report['held']:,} held in {seconds:.1f}s; peak RSS {peak:.0f} MB"
    )
    if statements is not None:
        print(statements.report(seconds, -(-report["done"] // run_batch())))

    # Baseline: the naive per-object way, on fresh cases (made untimed), in the same run and lock.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO cases_case ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
            f"SELECT {select.replace(chr(39) + 'B' + chr(39), chr(39) + 'N' + chr(39))} "
            "FROM cases_case t, generate_series(1, %(n)s) g WHERE t.id = %(template)s",
            {"n": args.baseline, "template": template.pk, "closed": closed},
        )
        cursor.execute(
            "INSERT INTO cases_caseevent (case_id, at, kind, from_status, to_status, text, public) "
            "SELECT id, closed_at, 'internal_note', '', '', 'Spoke to ' || contact_name, false "
            "FROM cases_case WHERE reference LIKE 'N%%'"
        )
    t0 = time.perf_counter()
    with erasure_allowed():
        for case in Case.objects.filter(reference__startswith="N").iterator(chunk_size=500):
            for name in (
                "contact_name",
                "contact_email",
                "contact_phone",
                "contact_address",
                "location_text",
                "uprn",
            ):
                setattr(case, name, "")
            case.answers = {}
            case.latitude = case.longitude = None
            case.save()
            for event in CaseEvent.objects.filter(case=case):
                CaseEvent.objects.filter(pk=event.pk).update(text="")
    naive = time.perf_counter() - t0
    load_end = os.getloadavg()
    if lock is not None:
        lock.close()
    naive_projected = naive / args.baseline * args.cases
    print(
        f"baseline (per-object save) on {args.baseline:,}: {naive:.1f}s -> {naive_projected / 60:.1f} min for {args.cases:,}"
    )
    remaining = Case.objects.filter(reference__startswith="B").exclude(contact_email="").count()
    events_left = CaseEvent.objects.filter(case__reference__startswith="B").exclude(text="").count()
    print(f"left with contact details: {remaining:,} (the held ones); events with text: {events_left:,}")

    cores = os.cpu_count()
    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    goal = "met" if seconds <= 600 and report["done"] + report["held"] >= args.cases * 0.99 else "MISSED"
    lock_note = f" --lock {args.lock}" if args.lock else ""
    loaded = (
        f"made in {made:.0f} s with `INSERT ... SELECT`"
        if made is not None
        else "made beforehand with `--load-only`, not timed, and copied back before the run"
    )
    text = f"""
## Retention sweep (issue 20) — {dt.date.today().isoformat()}

Machine: {cores} cores, {int(mem) // 1024 // 1024} GB RAM, PostgreSQL on the same machine (shared with other
agents). Command: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python
benchmarks/retention.py --cases {args.cases}{" --reuse" if args.reuse else ""}{lock_note} --baseline {args.baseline}`.
Load average (1 min) {load_before[0]:.1f} at the start of the sweep, {load_after[0]:.1f} at its end,
{load_end[0]:.1f} after the baseline.

{args.cases:,} closed pothole cases, three years old, one timeline note each ({loaded});
1 in 1,000 under a litigation hold.

| way | cases | time | rate | peak RSS of the process |
|---|---|---|---|---|
| `retention.actions.sweep` (batches of {run_batch()}) | {report["done"]:,} anonymised + {report["held"]:,} held | {seconds:.0f} s ({seconds / 60:.1f} min) | {report["done"] / max(seconds, 0.001):,.0f}/s | {peak:.0f} MB |
| baseline: load, blank, `save()` each case and its events | {args.baseline:,} | {naive:.1f} s | {args.baseline / max(naive, 0.001):,.0f}/s | (same process) |
| baseline projected to {args.cases:,} | | {naive_projected / 60:.1f} min | | |

Goal (1,000,000 cases in <= 10 minutes on 2 cores, bounded memory): **{goal}**. Left with contact
details after the sweep: {remaining:,} (the held cases); timeline notes still holding text: {events_left:,}.
"""
    print(text)
    if not args.no_append:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as handle:
            handle.write(text)
    subprocess.run(["uptime"], check=False)


def run_batch() -> int:
    from django.conf import settings

    return settings.RETENTION_BATCH_SIZE


if __name__ == "__main__":
    main()
