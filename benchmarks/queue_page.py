"""Team queue benchmark: the staff queue page with 100,000 cases in PostgreSQL, under gunicorn.

Run it with the project's virtualenv (``make bench`` does this, after ``web.py``)::

    .venv/bin/python benchmarks/queue_page.py [--duration 10] [--connections 4,16] [--cases 100000]
        [--no-record]

What it does, in order:

1. Creates a fresh PostgreSQL database (``bench_queue``), runs ``hub migrate`` and ``hub load_demo``.
2. Adds ``--cases`` generated cases (default 100,000) with ``Case.objects.bulk_create`` in batches
   of 5,000, from a Django process: 60% in the highways team's services, the rest spread over the
   other services; 70% open; 5% urgent; due dates from 30 days ago to 30 days ahead; postcodes
   from the demo addresses; a channel mix; some assigned to ``highways.officer``. Then
   ``VACUUM (ANALYZE)`` on the cases table.
3. Counts the SQL queries of one request to each queue page in-process (``django.test.Client``,
   ``CaptureQueriesContext``), with their times, and prints ``EXPLAIN (ANALYZE, BUFFERS)`` of
   the slowest ones.
4. Starts gunicorn (2 sync workers, DEBUG off, Redis as the cache when it answers), signs in as
   ``highways.officer`` through ``/staff/login/`` and loads, with wrk at each connection count:

   * ``bare``: ``GET /bench/bare``, the cheapest Django view (the baseline).
   * ``queue``: ``GET /staff/``, the team queue's first page (50 rows).
   * ``overdue``: ``GET /staff/?sla=overdue``, the same filtered to overdue cases.
   * ``page50``: ``GET /staff/?page=50``, the 50th page (OFFSET 2,450).

5. Prints a table and appends it to docs/benchmarks.md (unless ``--no-record``), with the goal
   from the issue (team queue p95 <= 150 ms at 4 connections) marked PASS or MISS.

It reuses benchmarks/web.py's helpers (database, gunicorn, wrk, reporting). Gunicorn,
PostgreSQL, Redis and wrk share the machine, so the figures compare revisions on one machine;
they are not a capacity estimate.

Exit codes: 0 done (whatever the goal says), 1 the benchmark failed, 2 a prerequisite is missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


import web  # noqa: E402 - benchmarks/web.py (run as a script, this folder is on sys.path)

REPO = web.REPO
HOST = web.HOST
DB_NAME = "bench_queue"
DEFAULT_CASES = 100_000
BATCH_SIZE = 5_000
SEED = 2026
HIGHWAYS_TEAM = "highways"
OFFICER = "highways.officer"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - load_demo's documented demo credential
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PAGE_SIZE = 50
QUERY_REPEATS = 5  # in-process requests per page for the query count and timings (after one warm-up)

# The goal, checked against the figures.
GOAL_P95_MS = 150.0  # team queue p95 <= 150 ms ...
GOAL_CONNECTIONS = 4  # ... judged at 4 connections (see Method in docs/benchmarks.md for why)

SCENARIOS = [
    ("bare", "/bench/bare"),
    ("queue", "/staff/"),
    ("overdue", "/staff/?sla=overdue"),
    ("page50", "/staff/?page=50"),
]

_CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ROW = b'name="cases" type="checkbox"'
_PAGE_RE = re.compile(rb"Page (\d+) of (\d+)")
_TOTAL_RE = re.compile(rb"<p class=\"govuk-body\">([\d,]+) cases?, most urgent first")
_ACCESS_RE = re.compile(
    r"(Parallel Seq Scan on \w+|Seq Scan on \w+|Index Only Scan using \w+ on \w+|"
    r"Index Scan using \w+ on \w+|Bitmap Index Scan on \w+)"
)

log = web.log
BenchError = web.BenchError
Missing = web.Missing


# --- The database --------------------------------------------------------------------------------


def db_url() -> str:
    return web.bench_db_url(DB_NAME)


def create_database() -> str:
    return web.create_database(DB_NAME)


def drop_database() -> None:
    web.drop_database(DB_NAME)


# --- Child processes with Django set up (run as `queue.py --fill-worker` etc.) ------------------


def fill_worker(config: dict) -> dict:
    """Add ``config["cases"]`` generated cases with bulk_create, then VACUUM (ANALYZE)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from residenthub.cases.models import Case, Channel, NotifyBy, Priority
    from residenthub.cases.queries import due_soon_limit, queue_counts, visible_cases
    from residenthub.core.demo import RESIDENTS
    from residenthub.core.demo import demo_answer as _demo_answer
    from residenthub.core.models import Address
    from residenthub.core.references import generate
    from residenthub.services.models import Service

    started = time.perf_counter()
    rng = random.Random(config["seed"])
    total, batch_size = config["cases"], config["batch"]
    services = list(Service.objects.filter(active=True).select_related("team").order_by("pk"))
    highways = [s for s in services if s.team.slug == HIGHWAYS_TEAM]
    others = [s for s in services if s.team.slug != HIGHWAYS_TEAM]
    if not highways or not others:
        raise SystemExit(f"the demo catalogue has no active services in and outside team {HIGHWAYS_TEAM!r}")
    addresses = list(Address.objects.order_by("pk"))
    if not addresses:
        raise SystemExit("the demo has no addresses (core.Address)")
    users = get_user_model().objects
    officer = users.get(username=OFFICER)
    colleagues = list(users.filter(memberships__team__slug=HIGHWAYS_TEAM).exclude(pk=officer.pk))
    workflows = {}
    for service in services:
        workflow = service.workflow
        workflows[service.pk] = (
            workflow,
            [s for s in workflow.statuses if not s.is_closed],
            [s for s in workflow.statuses if s.is_closed],
        )
    channels = (
        [Channel.WEB] * 60
        + [Channel.PHONE] * 20
        + [Channel.EMAIL] * 8
        + [Channel.FACE_TO_FACE] * 5
        + [Channel.OPEN311] * 3
        + [Channel.LETTER] * 2
        + [Channel.API] * 2
    )
    references = set(Case.objects.values_list("reference", flat=True))
    before = len(references)
    officer_team_id = highways[0].team_id
    now = timezone.now()
    today = timezone.localdate()

    def new_reference() -> str:
        while True:
            reference = generate(settings.REFERENCE_PREFIX)
            if reference not in references:
                references.add(reference)
                return reference

    def one_case() -> Case:
        service = rng.choice(highways) if rng.random() < 0.60 else rng.choice(others)
        workflow, open_statuses, closed_statuses = workflows[service.pk]
        is_open = rng.random() < 0.70 or not closed_statuses
        if is_open:
            draw = rng.random()
            codes = [s.code for s in open_statuses]
            if draw < 0.50:
                code = workflow.initial
            elif draw < 0.90 and "in_progress" in codes:
                code = "in_progress"
            else:
                code = rng.choice(codes)
            status = workflow.status(code)
        else:
            status = rng.choice(closed_statuses)
        created = now - dt.timedelta(days=rng.randint(0, 90), seconds=rng.randint(0, 86_399))
        entered = created if status.code == workflow.initial else created + (now - created) * rng.random()
        address = rng.choice(addresses)
        answers: dict = {}
        for question in service.form.questions:
            if question.required and question.is_shown(answers):
                answers[question.name] = _demo_answer(question, address, rng)
        name, email = rng.choice(RESIDENTS)
        assigned = None
        if service.team_id == officer_team_id:
            draw = rng.random()
            if draw < 0.15:
                assigned = officer
            elif draw < 0.35 and colleagues:
                assigned = rng.choice(colleagues)
        return Case(
            reference=new_reference(),
            service=service,
            status=status.code,
            is_open=not status.is_closed,
            answers=answers,
            location_text=address.single_line,
            postcode=address.postcode,
            uprn=address.uprn,
            latitude=address.latitude,
            longitude=address.longitude,
            contact_name=name,
            contact_email=email.lower(),
            notify_by=NotifyBy.EMAIL,
            channel=rng.choice(channels),
            priority=Priority.URGENT if rng.random() < 0.05 else Priority.NORMAL,
            restricted=service.restricted,
            due_date=today + dt.timedelta(days=rng.randint(-30, 30)),
            closed_at=entered if status.is_closed else None,
            team_id=service.team_id,
            assigned_to=assigned,
            status_entered_at=entered,
            on_hold_since=entered if (status.pause_clock and not status.is_closed) else None,
            created_at=created,
        )

    with transaction.atomic():
        batch: list[Case] = []
        for _ in range(total):
            batch.append(one_case())
            if len(batch) == batch_size:
                Case.objects.bulk_create(batch, batch_size=batch_size)
                batch = []
        if batch:
            Case.objects.bulk_create(batch, batch_size=batch_size)
    inserted = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) cases_case")
    vacuumed = time.perf_counter()

    soon = due_soon_limit(today)
    counts = queue_counts(visible_cases(officer), officer, today, soon)
    return {
        "added": len(references) - before,
        "cases": Case.objects.count(),
        "highways_cases": Case.objects.filter(team__slug=HIGHWAYS_TEAM).count(),
        "open_cases": Case.objects.filter(is_open=True).count(),
        "officer_queue": counts,
        "insert_s": inserted - started,
        "vacuum_s": vacuumed - inserted,
    }


def queries_worker(config: dict) -> dict:
    """SQL queries of each page, in-process, signed in as the officer; EXPLAIN the slowest."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.get(username=OFFICER)
    client = Client(SERVER_NAME=HOST)
    client.force_login(user, backend=MODEL_BACKEND)  # the first backend (axes) cannot get_user
    pages = []
    for path in config["paths"]:
        runs = []
        for attempt in range(config["repeats"] + 1):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(path)
                wall = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"in-process GET {path} answered {response.status_code}, expected 200")
            if attempt:  # the first request warms caches (session, templates) and is not counted
                runs.append(
                    (wall * 1000, [(q["sql"], float(q["time"]) * 1000) for q in ctx.captured_queries])
                )
        counts = sorted({len(queries) for _wall, queries in runs})
        n = len(runs[-1][1])
        per_query = [
            (runs[-1][1][i][0], statistics.median(queries[i][1] for _w, queries in runs if len(queries) == n))
            for i in range(n)
        ]
        slowest = sorted(range(n), key=lambda i: per_query[i][1], reverse=True)[: config["explain"]]
        explained = []
        for i in slowest:
            sql, ms = per_query[i]
            try:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
            except Exception as exc:  # a plan is a bonus: never fail the benchmark for it
                plan = f"(EXPLAIN failed: {type(exc).__name__}: {exc})"
            explained.append({"index": i + 1, "ms": ms, "sql": sql, "plan": plan})
        pages.append(
            {
                "path": path,
                "queries": n,
                "query_counts": counts,
                "wall_ms": statistics.median(w for w, _q in runs),
                "sql_ms": statistics.median(sum(t for _s, t in queries) for _w, queries in runs),
                "per_query": [{"ms": ms, "sql": sql} for sql, ms in per_query],
                "explained": explained,
            }
        )
    return {"pages": pages}


def run_worker(flag: str, config: dict, env: dict[str, str], timeout: int) -> dict:
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), flag, json.dumps(config)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise BenchError(
            f"`queue.py {flag}` failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        )
    return json.loads(line[len("BENCH_JSON ") :])


# --- Signing in ----------------------------------------------------------------------------------


def staff_cookie(port: int) -> str:
    """The Cookie header of highways.officer's session, from the real sign-in form."""
    client = web.Client(port)
    try:
        status, _location, body = client.request("GET", "/staff/login/")
        match = _CSRF_RE.search(body.decode("utf-8", "replace")) if status == 200 else None
        if not match:
            raise BenchError(f"GET /staff/login/ answered {status} without a CSRF token")
        form = [("csrfmiddlewaretoken", match.group(1)), ("username", OFFICER), ("password", DEMO_PASSWORD)]
        status, location, _body = client.request("POST", "/staff/login/", form)
        if status != 302:
            raise BenchError(f"POST /staff/login/ as {OFFICER} answered {status}, expected a 302")
        if "sessionid" not in client.jar:
            raise BenchError("POST /staff/login/ set no sessionid cookie")
        cookie = "; ".join(f"{k}={v}" for k, v in client.jar.items())
    finally:
        client.conn.close()
    status, headers, body = web.http_get(port, "/staff/", {"Cookie": cookie})
    if status != 200 or b"Team queue" not in body:
        raise BenchError(
            f"GET /staff/ with {OFFICER}'s session answered {status} (Location: {headers.get('Location')}), "
            "expected the team queue: the benchmark would measure a redirect"
        )
    return cookie


def page_facts(port: int, path: str, cookie: str) -> dict:
    status, _headers, body = web.http_get(port, path, {"Cookie": cookie})
    if status != 200:
        raise BenchError(f"GET {path} answered {status}, expected 200")
    page = _PAGE_RE.search(body)
    total = _TOTAL_RE.search(body)
    return {
        "rows": body.count(_ROW),
        "bytes": len(body),
        "page": f"{int(page.group(1))} of {int(page.group(2)):,}" if page else "1 of 1",
        "matching": int(total.group(1).replace(b",", b"")) if total else None,
    }


# --- Reporting -----------------------------------------------------------------------------------


def short_sql(sql: str, chars: int = 110) -> str:
    sql = " ".join(sql.split())
    return sql if len(sql) <= chars else sql[: chars - 3] + "..."


def compact_sql(sql: str, chars: int = 200) -> str:
    """The SQL with a long SELECT list cut short, so the FROM and WHERE show."""
    sql = " ".join(sql.split())
    end = sql.find(" FROM ")
    if sql.startswith("SELECT ") and end > 90:  # a long column list: keep its start
        sql = sql[:57] + "..." + sql[end:]
    return short_sql(sql, chars)


def plan_summary(plan: str) -> str:
    """How the plan reads cases_case, whether the queue indexes are used, how it sorts, its time."""
    scans: list[str] = []
    for found in _ACCESS_RE.findall(plan):
        if found.endswith(" on cases_case") and found not in scans:
            scans.append(found.removesuffix(" on cases_case"))
    parts = [f"cases_case: {', '.join(scans) or 'not scanned'}"]
    parts += [
        f"{index} {'used' if index in plan else 'not used'}" for index in ("queue_order", "my_cases_order")
    ]
    sorts = re.findall(r"Sort Method: ([a-zA-Z -]+?)\s+(?:Disk|Memory): (\d+)kB", plan)
    if sorts:
        methods = " and ".join(sorted({method for method, _kb in sorts}))
        disk = sum(int(kb) for method, kb in sorts if method == "external merge")
        parts.append(f"sort: {methods}" + (f" ({disk:,} kB to disk over all workers)" if disk else ""))
    match = re.search(r"Execution Time: ([\d.]+) ms", plan)
    if match:
        parts.append(f"executed in {float(match.group(1)):.1f} ms")
    return ", ".join(parts)


def query_lines(pages: list[dict]) -> list[str]:
    lines = []
    for page in pages:
        varies = "" if len(page["query_counts"]) == 1 else f" (varied: {page['query_counts']})"
        lines.append(
            f"GET {page['path']}: {page['queries']} queries{varies}, {page['sql_ms']:.1f} ms in SQL, "
            f"{page['wall_ms']:.1f} ms for the whole request in-process "
            f"({page['wall_ms'] - page['sql_ms']:.1f} ms outside SQL)"
        )
    return lines


def goal_lines(rows: list[dict]) -> list[str]:
    by = {(r["scenario"], r["connections"]): r for r in rows}
    lines = []
    judged = by.get(("queue", GOAL_CONNECTIONS))
    if judged:
        verdict = "PASS" if judged["p95"] <= GOAL_P95_MS else "MISS"
        lines.append(
            f"{verdict}: team queue p95 <= {GOAL_P95_MS:.0f} ms at {GOAL_CONNECTIONS} connections: "
            f"{web.fmt(judged['p95'], 2)} ms"
        )
    else:
        lines.append(
            f"NOT MEASURED: team queue p95 <= {GOAL_P95_MS:.0f} ms at {GOAL_CONNECTIONS} connections "
            "(no run at that connection count)"
        )
    for row in rows:
        if row["scenario"] == "bare" or (row["scenario"], row["connections"]) == ("queue", GOAL_CONNECTIONS):
            continue
        lines.append(
            f"(for information, not the goal) {row['scenario']} p95 at {row['connections']} connections: "
            f"{web.fmt(row['p95'], 2)} ms ({'within' if row['p95'] <= GOAL_P95_MS else 'over'} "
            f"{GOAL_P95_MS:.0f} ms)"
        )
    failed = [f"{r['scenario']}@{r['connections']}: {r['errors']}" for r in rows if r["errors"]]
    verdict = "MISS" if failed else "PASS"
    lines.append(f"{verdict}: zero errors in every run" + (f" ({', '.join(failed)})" if failed else ""))
    return lines


def loadavg() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


# --- Main ----------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds per run (default 10)")
    parser.add_argument(
        "--connections", default="4,16", help="comma-separated connection counts (default 4,16)"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=2,
        help="seconds of unrecorded warm-up before each scenario (default 2, 0 for none)",
    )
    parser.add_argument(
        "--cases", type=int, default=DEFAULT_CASES, help=f"cases to add (default {DEFAULT_CASES:,})"
    )
    parser.add_argument("--no-record", action="store_true", help="do not append to docs/benchmarks.md")
    args = web.check_common_args(parser, parser.parse_args(argv))
    if args.cases < 0:
        parser.error("--cases cannot be negative")
    return args


def check_prerequisites() -> None:
    web.check_prerequisites("queue_page.py")


def benchmark(args: argparse.Namespace, argv: list[str]) -> int:
    check_prerequisites()
    started_at = dt.datetime.now(dt.UTC)
    load_before = loadavg()
    use_redis = web.redis_answers()
    cache = "used as the cache" if use_redis else "not answering, local-memory cache"
    log(f"Redis at {web.REDIS_HOST}:{web.REDIS_PORT}: {cache}")
    work = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    port = web.free_port()
    env = web.app_env(work / "var", port, use_redis)
    env["DATABASE_URL"] = db_url()
    gunicorn = None
    db_created = False
    try:
        log(f"creating database {DB_NAME}")
        pg_version = create_database()
        db_created = True
        log("hub migrate")
        web.hub(env, "migrate", "--noinput", "-v0")
        log("hub load_demo")
        web.hub(env, "load_demo")
        log(f"adding {args.cases:,} cases (bulk_create, batches of {BATCH_SIZE:,}), then VACUUM (ANALYZE)")
        fill = run_worker(
            "--fill-worker", {"cases": args.cases, "batch": BATCH_SIZE, "seed": SEED}, env, timeout=1200
        )
        mine = fill["officer_queue"]
        log(
            f"  {fill['added']:,} added in {fill['insert_s']:.1f} s (vacuum {fill['vacuum_s']:.1f} s): "
            f"{fill['cases']:,} cases, {fill['highways_cases']:,} in highways, {fill['open_cases']:,} open"
        )
        log(
            f"  {OFFICER}'s queue: {mine['open']:,} open, {mine['overdue']:,} overdue, "
            f"{mine['due_soon']:,} due soon, {mine['unassigned']:,} unassigned, {mine['mine']:,} theirs"
        )

        paths = [path for scenario, path in SCENARIOS if scenario != "bare"]
        log(f"query count: {QUERY_REPEATS} in-process requests per page (django.test.Client)")
        queries = run_worker(
            "--queries-worker", {"paths": paths, "repeats": QUERY_REPEATS, "explain": 2}, env, timeout=600
        )["pages"]
        for line in query_lines(queries):
            log("  " + line)

        log_file = work / "gunicorn.log"
        gunicorn = web.start_gunicorn(env, port, log_file)
        web.wait_healthy(gunicorn, port, log_file)
        log(f"gunicorn ({web.WORKERS} sync workers) on http://{HOST}:{port}/ (pid {gunicorn.pid})")
        cookie = staff_cookie(port)
        log(f"signed in as {OFFICER}")
        facts = {path: page_facts(port, path, cookie) for path in paths}
        for path, fact in facts.items():
            log(
                f"  GET {path}: {fact['rows']} rows, page {fact['page']}, {fact['matching']:,} matching "
                f"cases, {fact['bytes'] / 1024:.0f} KiB"
            )
            if fact["rows"] != PAGE_SIZE:
                raise BenchError(
                    f"GET {path} shows {fact['rows']} rows, expected {PAGE_SIZE}: too few cases?"
                )

        lua = work / "report.lua"
        lua.write_text(web.WRK_LUA)
        rows: list[dict] = []
        for scenario, path in SCENARIOS:
            headers = None if scenario == "bare" else {"Cookie": cookie}
            if args.warmup:
                log(f"{scenario}: warm-up {args.warmup:g} s")
                web.run_wrk(port, path, args.connection_counts[0], args.warmup, lua, headers, quiet=True)
            for conns in args.connection_counts:
                log(f"{scenario}: wrk -c{conns} for {args.duration:g} s")
                result = web.run_wrk(port, path, conns, args.duration, lua, headers)
                result["detail"] = f"{result['requests']:,} requests; {result['detail']}"
                rows.append({"scenario": scenario, "path": path, "connections": conns, **result})
                log(
                    f"  {web.fmt(result['rps'])} req/s, {web.latencies(result)}, "
                    f"errors {result['errors']} ({result['detail']})"
                )
            if headers:
                status = web.http_get(port, path, headers)[0]
                if status != 200:
                    raise BenchError(
                        f"after the run GET {path} answered {status}, not 200: the figures above "
                        "measured something else"
                    )
        gunicorn_log = web.tail(log_file, 1500).strip()
    finally:
        web.stop_gunicorn(gunicorn)
        if db_created:
            drop_database()
        shutil.rmtree(work, ignore_errors=True)

    load_after = loadavg()
    baseline = {r["connections"]: r["rps"] for r in rows if r["scenario"] == "bare"}
    table = web.results_table(rows, baseline)
    goals = goal_lines(rows)
    mach = web.machine()
    commit = web.git_commit()
    command = web.the_command(argv)
    when = started_at.strftime("%Y-%m-%d %H:%M UTC")
    data_line = (
        f"demo council + {fill['added']:,} generated cases = {fill['cases']:,} ({fill['highways_cases']:,} "
        f"in highways, {fill['open_cases']:,} open); {OFFICER}'s queue: {mine['open']:,} open, "
        f"{mine['overdue']:,} overdue, {mine['mine']:,} assigned to them; insert {fill['insert_s']:.0f} s"
    )
    pages_line = "; ".join(
        f"`{path}` {fact['matching']:,} matching, page {fact['page']}, {fact['bytes'] / 1024:.0f} KiB"
        for path, fact in facts.items()
    )

    print()
    print(f"Resident Hub team queue benchmark, {when}, commit {commit}")
    print(
        f"Machine: {mach['cores']} cores, {mach['memory']} RAM, {mach['cpu']}; load average "
        f"{load_before} at the start, {load_after} at the end; PostgreSQL {pg_version}; "
        f"cache {'Redis' if use_redis else 'local memory'}"
    )
    print(f"Command: {command}")
    print(f"Data: {data_line}")
    print(f"Pages: {pages_line}")
    print()
    print(web.text_table(table))
    print()
    print(
        f"Queries per request (in-process, django.test.Client, median of {QUERY_REPEATS} after a "
        "warm-up; Django times queries to the millisecond):"
    )
    for page in queries:
        print(f"  {query_lines([page])[0]}")
        for number, query in enumerate(page["per_query"], start=1):
            print(f"    {number:2d}. {query['ms']:4.0f} ms  {compact_sql(query['sql'], 150)}")
    for page in queries:
        for item in page["explained"]:
            print(
                f"\nEXPLAIN (ANALYZE, BUFFERS) of query {item['index']} of GET {page['path']} "
                f"({item['ms']:.2f} ms in the request):"
            )
            print(short_sql(item["sql"], 2000))
            print(item["plan"])
    print()
    for row in rows:
        print(f"  {row['scenario']}@{row['connections']}: {row['detail']}")
    print()
    for line in goals:
        print(line)
    if gunicorn_log:
        print("\ngunicorn error log (last lines):\n" + gunicorn_log)

    if not args.no_record:
        slow = []
        for page in queries:
            for item in page["explained"]:
                slow.append(
                    f"- `{page['path']}` query {item['index']} of {page['queries']}, {item['ms']:.1f} ms: "
                    f"`{compact_sql(item['sql'])}` -- {plan_summary(item['plan'])}"
                )
        section = "\n".join(
            [
                f"## Team queue, {when}, commit {commit}",
                "",
                f"- Machine: {mach['cores']} cores, {mach['memory']} RAM, {mach['cpu']}; load average "
                f"{load_before} at the start, {load_after} at the end (shared with other work: noisy)",
                f"- PostgreSQL {pg_version}; cache: {'Redis' if use_redis else 'local memory'}; "
                f"gunicorn {web.WORKERS} sync workers; {args.duration:g} s per run",
                f"- Command: `{command}`",
                f"- Data: {data_line}",
                f"- Pages as {OFFICER}: {pages_line}",
                "",
                web.markdown_table(table),
                "",
                f"Queries per request (in-process, median of {QUERY_REPEATS}):",
                "",
                *[f"- {line}" for line in query_lines(queries)],
                "",
                "Slowest queries and what their plans read (`EXPLAIN (ANALYZE, BUFFERS)`, run before the "
                "load):",
                "",
                *slow,
                "",
                "Requests and errors in detail:",
                "",
                *[f"- {row['scenario']} at {row['connections']}: {row['detail']}" for row in rows],
                "",
                "Goal from the issue:",
                "",
                *[f"- {line}" for line in goals],
                "",
            ]
        )
        web.record(section)
        log(f"appended to {web.DOCS_FILE.relative_to(REPO)}")
    return 0


def main(argv: list[str]) -> int:
    workers = {"--fill-worker": fill_worker, "--queries-worker": queries_worker}
    if len(argv) == 3 and argv[1] in workers:
        print("BENCH_JSON " + json.dumps(workers[argv[1]](json.loads(argv[2]))), flush=True)
        return 0
    args = parse_args(argv[1:])
    try:
        return benchmark(args, argv)
    except Missing as exc:
        print(f"benchmarks/queue_page.py: {exc}", file=sys.stderr)
        return 2
    except BenchError as exc:
        print(f"benchmarks/queue_page.py: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("benchmarks/queue_page.py: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv))
