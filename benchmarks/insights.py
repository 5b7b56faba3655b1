# ruff: noqa: S608 - SQL over our own benchmark database
"""Insights at council scale: a million cases in PostgreSQL.

    flock /tmp/bench.lock .venv/bin/python benchmarks/insights.py [--cases 1000000] [--requests 60]
        [--no-append] [--reuse DBNAME]

1. Creates a fresh PostgreSQL database (``bench_insights``), migrates it, loads the catalogue and
   1,000 addresses in 20 wards, and COPYs ``--cases`` generated cases (two years to the end of
   October 2026, every service, channel mix shifting online, 92% closed; the shape
   ``cases.actions`` writes; an import through the ORM would take hours).
2. Times the roll-up build (the nightly job's catch-up over two years, month by month) and one
   nightly day.
3. Times the dashboard page (``/staff/insights/``, all ten panels, Django's test client in the same
   process as a signed-in service manager, several filter sets), p50/p95, and counts its queries;
   baselines in the same run: the same page reading the daily roll-ups only (no monthly level,
   ``queries.USE_MONTHS = False``), and the demand-by-ward figure of one month computed straight
   from the cases table (one GROUP BY over the month's cases), which a dashboard without roll-ups
   would run for that one panel alone.
4. Renders the 12-month, 20-ward monthly report PDF (``reports.render``) three times and times it,
   with the time split between figures, HTML, layout and PDF writing; baseline: the same report
   over the daily roll-ups only.

``--reuse DBNAME`` runs steps 3 and 4 (and the one-day nightly build) against a database already
loaded and rolled up by an earlier run, and keeps it (load and roll-up figures are then omitted);
``--keep`` leaves a fresh run's database in place for that.
The 1-minute load average is read at the start and end of the timed steps.

Goals (issue 16): page p95 <= 300 ms with 1,000,000 cases, constant query count; report <= 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import web  # noqa: E402 - benchmarks/web.py

DB_NAME = "bench_insights"
END = dt.date(2026, 10, 31)
WARDS = [f"Ward {n:02d}" for n in range(1, 21)]


def parent(args) -> int:
    name = args.reuse or DB_NAME
    version = "?" if args.reuse else web.create_database(DB_NAME)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="residenthub.settings",
        DATABASE_URL=web.bench_db_url(name),
        JOBS_INLINE="true",
        LOG_LEVEL="WARNING",
        STAFF_2FA_REQUIRED="false",
        DEBUG="false",
    )
    out = Path("/tmp") / f"bench_insights_{os.getpid()}.json"
    try:
        subprocess.run([str(web.bin_path("hub")), "migrate", "-v0"], env=env, check=True)
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(out),
                "--cases",
                str(args.cases),
                "--requests",
                str(args.requests),
                "--rollup-months",
                str(args.rollup_months),
                *(["--reuse", args.reuse] if args.reuse else []),
            ],
            env=env,
            check=True,
        )
        result = json.loads(out.read_text())
    finally:
        if not args.reuse and not args.keep:
            web.drop_database(DB_NAME)
        out.unlink(missing_ok=True)
    if version == "?":
        with web.admin_connection() as conn:
            version = conn.info.parameter_status("server_version") or "?"
    result["postgres"] = version
    section = report(result, args)
    print(section)
    if not args.no_append:
        web.record(section)
    return 0 if all(line.startswith("- PASS") for line in result["goals"]) else 1


# --- the child: runs inside Django against the benchmark database ---------------------------------


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def load(cases: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from residenthub.cases.models import Case, Channel
    from residenthub.core.calendar import add_working_days
    from residenthub.services.models import Service

    devnull = open(os.devnull, "w")  # noqa: SIM115
    call_command("load_catalogue", verbosity=0, stdout=devnull)
    rng = random.Random(16)
    addresses = [(f"3{n:011d}", WARDS[n % 20], f"E{n % 20 + 1} {n % 9}AA") for n in range(1000)]
    with connection.cursor() as cur:
        _copy(
            cur.cursor if hasattr(cur, "cursor") else cur,
            "core_address",
            ["uprn", "line1", "line2", "town", "postcode", "ward"],
            ((u, f"{i} Bench Street", "", "Benchtown", pc, w) for i, (u, w, pc) in enumerate(addresses)),
        )
    services = list(Service.objects.values_list("pk", "team_id", "target_working_days", "restricted"))
    weights = [8 if i < 6 else 3 if i < 14 else 1 for i in range(len(services))]
    start = END - dt.timedelta(days=730)
    tz = timezone.get_current_timezone()
    channels = [
        Channel.WEB,
        Channel.PHONE,
        Channel.FACE_TO_FACE,
        Channel.EMAIL,
        Channel.LETTER,
        Channel.OPEN311,
    ]
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    due_cache: dict = {}

    def rows():
        for n in range(cases):
            sid, team, target, restricted = rng.choices(services, weights)[0]
            day = start + dt.timedelta(days=int(rng.random() * 730))
            created = timezone.make_aware(
                dt.datetime.combine(day, dt.time(8 + rng.randrange(10), rng.randrange(60))), tz
            )
            online = 0.45 + 0.25 * (day - start).days / 730
            channel = Channel.WEB if rng.random() < online else rng.choice(channels[1:])
            key = (day, target)
            if key not in due_cache:
                due_cache[key] = add_working_days(day, target, closures=frozenset())
            due = due_cache[key]
            closed = None
            if rng.random() < 0.92:
                closed = created + dt.timedelta(days=rng.expovariate(1 / (target * 1.2)) + 0.1)
                if closed.date() > END:
                    closed = None
            uprn, _ward, postcode = addresses[rng.randrange(1000)]
            values = {
                "reference": f"B{n:09d}",
                "service": sid,
                "status": "resolved" if closed else "received",
                "is_open": closed is None,
                "answers": "{}",
                "postcode": postcode,
                "uprn": uprn,
                "channel": channel,
                "priority": 2,
                "restricted": restricted,
                "due_date": due,
                "closed_at": closed,
                "team": team,
                "status_entered_at": closed or created,
                "created_at": created,
                "updated_at": closed or created,
                "submission_key": None,
                "duplicate_of": None,
                "assigned_to": None,
                "on_hold_since": None,
            }
            row = []
            for f in fields:
                name = f.name
                if name in values:
                    row.append(values[name])
                elif f.null:
                    row.append(None)
                else:
                    default = f.get_default()
                    row.append(json.dumps(default) if f.get_internal_type() == "JSONField" else default)
            yield row

    t = time.perf_counter()
    with connection.cursor() as cur:
        raw = cur.cursor if hasattr(cur, "cursor") else cur
        n = _copy(raw, "cases_case", columns, rows())
        cur.execute("ANALYZE cases_case")
    return {"cases": n, "load_s": round(time.perf_counter() - t, 1)}


def _loadavg() -> float:
    return round(os.getloadavg()[0], 1)


def _pages(client, filter_sets, requests, label):
    """Time the dashboard ``requests`` times over the filter sets; (sorted ms, queries per set)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times, counts = [], {}
    for i in range(requests):
        params = filter_sets[i % len(filter_sets)]
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = client.get("/staff/insights/", params)
            times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (label, params, response.status_code)
        counts.setdefault(i % len(filter_sets), set()).add(len(ctx.captured_queries))
    return sorted(times), counts


def _ms(times) -> dict:
    return {
        "p50": round(web.percentile(times, 50), 1),
        "p95": round(web.percentile(times, 95), 1),
        "max": round(times[-1], 1),
    }


def child(out: Path, cases: int, requests: int, months: int = 25, reuse: bool = False) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    # Import every module the pages need now: other engineers edit the same tree while this runs,
    # and a module first imported twenty minutes in may not match the ones imported at the start.
    from django.urls import get_resolver

    from residenthub.accounts.models import Membership, Team
    from residenthub.cases.models import Case
    from residenthub.insights import actions, queries, reports, rollup
    from residenthub.insights.models import DailyCaseStat, MonthlyCaseStat, ReportDefinition

    _ = get_resolver().url_patterns
    result = {"goals": [], "reused": reuse, "loadavg": [_loadavg()]}
    if reuse:
        result.update(cases=Case.objects.count(), load_s=None, rollup_all_s=None, rollup_months=None)
    else:
        result.update(load(cases))
        web.log(f"loaded {result['cases']:,} cases in {result['load_s']} s")
        # Roll-ups: the catch-up month by month (daily and monthly rows), then one nightly day.
        t = time.perf_counter()
        first = (
            END - dt.timedelta(days=731)
            if months >= 25
            else (END.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
        )
        month = first.replace(day=1)
        while month <= END:
            last = min(
                (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1), END
            )
            rollup.build_days(max(month, first), last)
            month = last + dt.timedelta(days=1)
        result["rollup_all_s"] = round(time.perf_counter() - t, 1)
        result["rollup_months"] = months
    t = time.perf_counter()
    rollup.build_days(END, END)
    result["rollup_day_s"] = round(time.perf_counter() - t, 2)
    result["rollup_rows"] = DailyCaseStat.objects.count()
    result["monthly_rows"] = MonthlyCaseStat.objects.count()
    web.log(
        f"roll-ups: {result['rollup_rows']:,} daily rows, {result['monthly_rows']:,} monthly rows; one "
        f"nightly day {result['rollup_day_s']} s"
    )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")

    # The dashboard page as a service manager.
    user = get_user_model().objects.filter(username="bench.manager").first()
    if user is None:
        user = get_user_model().objects.create_user("bench.manager", password="x" * 20, is_staff=True)
        Membership.objects.create(user=user, team=Team.objects.get(slug="highways"), role="service_manager")
    client = Client()
    client.force_login(user)
    filter_sets = [
        {"period": "2026-10", "by": "ward"},
        {"period": "2026-10", "team": "highways", "by": "ward"},
        {"period": "2026-10", "team": "highways", "by": "ward", "channel": "web"},
        {"period": "2026-09", "by": "service"},
        {"period": "2026-10", "ward": "Ward 07", "by": "channel"},
    ]
    result["loadavg"].append(_loadavg())
    for params in filter_sets:  # warm caches (names, calendar) once
        assert client.get("/staff/insights/", params).status_code == 200
    cold = []
    for params in filter_sets:  # charts not yet drawn for these figures: the first view of new data
        cache.clear()
        t = time.perf_counter()
        assert client.get("/staff/insights/", params).status_code == 200
        cold.append((time.perf_counter() - t) * 1000)
    result["cold_ms"] = {"p50": round(statistics.median(cold), 1), "max": round(max(cold), 1)}
    # The page and its daily-only baseline in alternating rounds, so both see the same machine.
    times, daily_times, counts, daily_counts = [], [], {}, {}
    rounds = 4
    for _ in range(rounds):
        queries.USE_MONTHS = True
        t, c = _pages(client, filter_sets, requests // rounds, "monthly")
        times += t
        for k, v in c.items():
            counts.setdefault(k, set()).update(v)
        queries.USE_MONTHS = False
        t, c = _pages(client, filter_sets, max(5, requests // (2 * rounds)), "daily only")
        daily_times += t
        for k, v in c.items():
            daily_counts.setdefault(k, set()).update(v)
    queries.USE_MONTHS = True
    times.sort()
    daily_times.sort()
    result["page_ms"] = _ms(times)
    result["page_n"] = len(times)
    result["daily_page_ms"] = _ms(daily_times)
    result["daily_page_n"] = len(daily_times)
    result["queries"] = {str(k): sorted(v) for k, v in sorted(counts.items())}
    constant = all(len(v) == 1 for v in counts.values())
    result["loadavg"].append(_loadavg())

    # Baseline: one panel's figure straight from the cases table for one month.
    base = []
    with connection.cursor() as cur:
        for _ in range(max(5, requests // 6)):
            t = time.perf_counter()
            cur.execute(
                "SELECT a.ward, count(*), count(c.closed_at), count(*) FILTER (WHERE "
                "c.closed_at::date <= c.due_date) "
                "FROM cases_case c LEFT JOIN core_address a ON a.uprn = c.uprn "
                "WHERE c.created_at >= '2026-10-01' AND c.created_at < '2026-11-01' GROUP BY a.ward"
            )
            cur.fetchall()
            base.append((time.perf_counter() - t) * 1000)
    base.sort()
    result["baseline_ms"] = {
        "p50": round(web.percentile(base, 50), 1),
        "p95": round(web.percentile(base, 95), 1),
    }
    web.log(
        f"page p50 {result['page_ms']['p50']} ms p95 {result['page_ms']['p95']} ms; daily-only "
        f"p50 {result['daily_page_ms']['p50']} p95 {result['daily_page_ms']['p95']}; raw one-panel "
        f"p50 {result['baseline_ms']['p50']} ms"
    )

    # The 12-month, 20-ward monthly report.
    actions.load_reports()
    definition = ReportDefinition.objects.get(name="monthly-services")
    period = "2025-11-01..2026-10-31"
    reports.render(definition, period)  # fonts and templates loaded once, as in a worker
    runs, phases = [], []
    for _ in range(3):
        timings: dict = {}
        pdf, _csv, pages, seconds = reports.render(definition, period, timings=timings)
        runs.append(seconds)
        phases.append(timings)
    queries.USE_MONTHS = False
    daily_runs = []
    for _ in range(2):
        daily_runs.append(reports.render(definition, period)[3])
    queries.USE_MONTHS = True
    best = phases[runs.index(min(runs))]
    result["report"] = {
        "seconds": round(min(runs), 2),
        "median": round(statistics.median(runs), 2),
        "all": [round(s, 2) for s in runs],
        "phases": {k: round(v, 2) for k, v in best.items()},
        "daily_all": [round(s, 2) for s in daily_runs],
        "pages": pages,
        "bytes": len(pdf),
    }
    result["loadavg"].append(_loadavg())
    web.log(f"report: {result['report']}")

    p95 = result["page_ms"]["p95"]
    median_report = statistics.median(runs)
    result["goals"] = [
        f"- {'PASS' if p95 <= 300 else 'FAIL'}: dashboard p95 {p95} ms with {result['cases']:,} cases "
        "(goal <= 300 ms)",
        f"- {'PASS' if constant else 'FAIL'}: queries per page by filter set {result['queries']} "
        "(goal: constant for each filter set, whatever the data)",
        f"- {'PASS' if max(runs) <= 10 else 'FAIL'}: 12-month 20-ward report median {median_report:.1f} s, "
        f"slowest {max(runs):.1f} s of {len(runs)} runs, {pages} pages (goal <= 10 s)",
    ]
    out.write_text(json.dumps(result))


def report(r: dict, args) -> str:
    m = web.machine()
    ratio = r["page_ms"]["p50"] / r["baseline_ms"]["p50"] if r["baseline_ms"]["p50"] else float("nan")
    if r["reused"]:
        data = (
            f"{r['cases']:,} generated cases (26 services, 20 wards, channel mix moving online) in a "
            f"database loaded and rolled up by an earlier step (`--reuse`): {r['rollup_rows']:,} daily "
            f"rows, {r['monthly_rows']:,} monthly rows; one nightly day rebuilt in {r['rollup_day_s']} s."
        )
    else:
        data = (
            f"{r['cases']:,} generated cases over two years (26 services, 20 wards, channel mix moving "
            f"online) COPYed in {r['load_s']} s. Roll-ups built for {r['rollup_months']} months, month by "
            f"month, in {r['rollup_all_s']} s ({r['rollup_rows']:,} daily rows, {r['monthly_rows']:,} "
            f"monthly rows); one nightly day {r['rollup_day_s']} s."
        )
    rep = r["report"]
    lines = [
        f"## Insights dashboards and reports ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {m.get('cores', '?')} cores ({m.get('cpu', '?')}), {m.get('memory', '?')}; PostgreSQL "
        f"{r.get('postgres', '?')}; commit {web.git_commit()}. 1-minute load average at the start, "
        f"before the pages, after the pages and after the report: {r['loadavg']}.",
        f"Command: `{web.the_command(sys.argv)}`",
        "",
        data,
        "",
        "| measure | requests | p50 ms | p95 ms |",
        "|---|---|---|---|",
        f"| dashboard page, all 10 panels, monthly + daily roll-ups | {r['page_n']} | "
        f"{r['page_ms']['p50']} | {r['page_ms']['p95']} |",
        "| baseline: the same page over the daily roll-ups only (alternating rounds) | "
        f"{r['daily_page_n']} | {r['daily_page_ms']['p50']} | {r['daily_page_ms']['p95']} |",
        "| baseline: one panel (demand by ward, one month) straight from the cases table | | "
        f"{r['baseline_ms']['p50']} | {r['baseline_ms']['p95']} |",
        "| dashboard page, first view of new figures (charts drawn, cache empty): median, max | 5 | "
        f"{r['cold_ms']['p50']} | {r['cold_ms']['max']} |",
        "",
        f"The whole page takes {ratio:.2f}x the time of one panel computed from raw cases. Queries "
        f"per page: {r['queries']}.",
        "",
        f"12-month, 20-ward monthly report ({rep['pages']} pages, {rep['bytes']:,} bytes): runs "
        f"{rep['all']} s (best {rep['seconds']}, median {rep['median']}); the best run's time by step "
        f"{rep['phases']}; baseline, the same report over the daily roll-ups only: {rep['daily_all']} s.",
        "",
        "Goals:",
        *r["goals"],
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--no-append", action="store_true")
    parser.add_argument("--child", type=Path)
    parser.add_argument(
        "--rollup-months", type=int, default=25, help="months of roll-ups to build (default: all 25)"
    )
    parser.add_argument("--reuse", metavar="DBNAME", help="an already loaded and rolled-up database")
    parser.add_argument(
        "--keep", action="store_true", help=f"keep the loaded database ({DB_NAME}) for --reuse"
    )
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.cases, args.requests, args.rollup_months, reuse=bool(args.reuse))
        return 0
    return parent(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
