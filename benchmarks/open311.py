"""Open311 benchmark: POST and GET requests.json under gunicorn against PostgreSQL, beside the bare view.

Run it with the project's virtualenv (``make bench`` does this, with the other benchmarks)::

    .venv/bin/python benchmarks/open311.py [--duration 10] [--connections 16,64] [--warmup 2] [--no-record]

What it does, in order:

1. Creates a fresh PostgreSQL database (``bench_open311``), runs ``hub migrate`` and ``hub load_demo``,
   and creates an Open311 API key with ``hub open311 create-key`` (it prints the key once).
2. Starts gunicorn with 2 sync workers on a free loopback port, DEBUG off, jobs inline, Redis as the
   cache when it answers, and the API rate limits (``API_RATE_LIMIT_PER_HOUR``, writes per key, and
   ``API_READ_RATE_LIMIT_PER_HOUR``, reads per IP address; defaults 1,000 and 10,000) raised to
   1,000,000,000 in its environment: every request of a run comes from one key and one address, so
   the defaults would turn the runs into 429s within seconds.
3. Loads four scenarios at each connection count with wrk, in this order:

   * ``bare``: ``GET /bench/bare``, the cheapest Django view (the baseline).
   * ``get``: ``GET /open311/v2/requests.json`` over the demo's cases (no parameters: the public
     requests of the last 90 days, at most 1,000, newest first).
   * ``post``: ``POST /open311/v2/requests.json``, form-encoded, a ``report-pothole`` request (lat and
     long, address_string, the three required attributes, a name and an email). Every POST creates a
     case: that is the point. A Lua ``request()`` hook gives each one its own description, because
     the hub answers a repeated submission with the case it already made; a ``response()`` hook
     counts the 2xx answers and keeps the references they return. After each run the new cases in
     the database are counted and checked against them (see "Cases" below).
   * ``get-after``: ``GET /open311/v2/requests.json`` again, now over the demo's cases plus those the
     POST runs created (still capped at 1,000, newest first, so mostly the new ones). No warm-up:
     ``get`` warmed the same view.

   Before each measured run the script waits until gunicorn is idle (one ``GET /bench/bare`` per
   worker, sent at once, all answered within 0.25 s): wrk does not wait for its last requests, and
   gunicorn serves them after it has gone, so a slow endpoint's leftovers would otherwise be timed
   in the next run. Before ``get`` and ``get-after`` it also times 3 requests sent one at a time to
   the idle server (the median is reported), the cost of one list without queueing.

4. Prints a table and appends it to docs/benchmarks.md (unless ``--no-record``), with the goal
   (zero errors in every run) marked PASS or MISS and the p95 figures for information.

Cases: wrk stops at the end of the duration without waiting for the requests it has sent; with 2
sync workers most of them are still queued in gunicorn's backlog, and gunicorn serves them after
wrk has gone, so they create cases wrk never sees answered. The script waits for the case count to
settle, then checks that every 2xx answer returned a distinct reference that is in the database,
and that the cases beyond the 2xx answers are no more than the requests wrk sent and never saw
answered (normally exactly those). Anything else counts as errors.

It reuses benchmarks/web.py's helpers (database, gunicorn, wrk, reporting). Gunicorn, PostgreSQL,
Redis and wrk share the machine, so the figures compare revisions on one machine; they are not a
capacity estimate.

Exit codes: 0 done (whatever the goal says), 1 the benchmark failed, 2 a prerequisite is missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import web  # benchmarks/web.py (run as a script, this folder is on sys.path)

REPO = web.REPO
HOST = web.HOST
DB_NAME = "bench_open311"
SERVICE = "report-pothole"
KEY_NAME = "Open311 benchmark"
REQUESTS_PATH = "/open311/v2/requests.json"
RATE_LIMIT = 1_000_000_000  # API_RATE_LIMIT_PER_HOUR and API_READ_RATE_LIMIT_PER_HOUR for the run
DRAIN_TIMEOUT = 60.0  # seconds to wait for gunicorn to serve what wrk left queued
DRAIN_QUIET = 2.0  # ... judged done when the case count has not moved for this long
IDLE_TIMEOUT = 180.0  # seconds to wait for gunicorn's backlog to empty before a run
IDLE_PROBE_S = 0.25  # idle: one probe per worker, sent at once, all answered within this
SINGLE_REPEATS = 3  # unloaded requests, one at a time, for the single-request time
# wrk calls the script's request() once before the run, to check what it returns (wrk's
# script_verify_request); that request is never sent, so it comes off the counts of requests sent.
VERIFY_CALLS = 1

# A valid request, as in tests/api/test_open311.py (pothole_form); the description is added per request.
POST_FIELDS = {
    "service_code": SERVICE,
    "lat": "51.5412",
    "long": "-0.0031",
    "address_string": "Outside 14 Station Road, E20 1AB",
    "email": "resident@example.com",
    "first_name": "Mary",
    "last_name": "O'Brien",
    "attribute[surface]": "road",
    "attribute[size]": "large",
    "attribute[injured]": "no",
}

SCENARIOS = {
    "bare": "GET /bench/bare (baseline)",
    "get": f"GET {REQUESTS_PATH} over the demo's cases",
    "post": f"POST {REQUESTS_PATH} ({SERVICE}, form-encoded; creates a case each)",
    "get-after": f"GET {REQUESTS_PATH} after the POST runs (demo + new cases, newest 1,000)",
}

# wrk scripts, loaded after web.WRK_LUA: its done() prints the summary and p95 (BENCH_JSON); these
# wrap it to also count the requests sent, so the requests wrk stopped waiting for are known.
GET_LUA = r"""
local report, threads = done, {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  sent, req = 0, wrk.format()
end

request = function()
  sent = sent + 1
  return req
end

done = function(summary, latency, requests)
  report(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("sent")
  end
  io.write(string.format("BENCH_SENT {\"sent\": %d}\n", total))
end
"""

# The POST runs. Each thread numbers its requests; RUN_TAG makes the descriptions of different runs
# differ too (the hub finds the first case again for a repeated submission). BASE_BODY, RUN_TAG and
# REFS_FILE are set by post_lua().
POST_LUA = r"""
local report, threads = done, {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  sent, ok, other, refs, sample = 0, 0, 0, "", ""
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

request = function()
  sent = sent + 1
  local body = BASE_BODY .. "&description=" .. string.format("Benchmark+pothole+%s-%d-%d", RUN_TAG, tid, sent)
  return wrk.format("POST", nil, nil, body)
end

response = function(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
    refs = refs .. (string.match(body, '"service_request_id":%s*"([^"]+)"') or "?") .. "\n"
  else
    other = other + 1
    if sample == "" then
      sample = status .. " " .. string.gsub(string.sub(body, 1, 300), "%s+", " ")
    end
  end
end

done = function(summary, latency, requests)
  report(summary, latency, requests)
  local total_sent, total_ok, total_other, first = 0, 0, 0, ""
  local out = assert(io.open(REFS_FILE, "w"))
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    total_ok = total_ok + thread:get("ok")
    total_other = total_other + thread:get("other")
    out:write(thread:get("refs"))
    if first == "" then first = thread:get("sample") end
  end
  out:close()
  io.write(string.format("BENCH_POST {\"sent\": %d, \"ok\": %d, \"other\": %d}\n",
    total_sent, total_ok, total_other))
  if first ~= "" then io.write("BENCH_SAMPLE " .. first .. "\n") end
end
"""

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


def case_state() -> tuple[int, int]:
    """(number of cases, highest case id) in the benchmark database."""
    import psycopg

    with psycopg.connect(db_url(), autocommit=True) as conn:
        count, top = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM cases_case").fetchone()
    return count, top


def references_after(case_id: int) -> list[str]:
    import psycopg

    with psycopg.connect(db_url(), autocommit=True) as conn:
        rows = conn.execute("SELECT reference FROM cases_case WHERE id > %s", [case_id]).fetchall()
    return [row[0] for row in rows]


def wait_settled() -> tuple[int, int, float]:
    """Wait until gunicorn has served what wrk left queued: the case count stops moving."""
    started = time.monotonic()
    last = case_state()
    quiet_since = started
    while time.monotonic() - started < DRAIN_TIMEOUT:
        time.sleep(0.25)
        now = case_state()
        if now != last:
            last, quiet_since = now, time.monotonic()
        elif time.monotonic() - quiet_since >= DRAIN_QUIET:
            break
    else:
        log(f"  the case count was still moving after {DRAIN_TIMEOUT:.0f} s")
    return last[0], last[1], quiet_since - started


def _probe(port: int, times: list[float]) -> None:
    begun = time.perf_counter()
    try:
        status = web.http_get(port, "/bench/bare")[0]
    except (OSError, http.client.HTTPException):
        return
    if status == 200:
        times.append(time.perf_counter() - begun)


def wait_idle(port: int) -> float:
    """Wait until gunicorn has served what the last wrk run left in its backlog; return the wait.

    wrk does not wait for its last requests, and gunicorn serves them anyway: without this, a slow
    endpoint's leftovers would be timed as part of the next run. Idle means one GET /bench/bare per
    worker, sent at once, all answered within IDLE_PROBE_S.
    """
    started = time.monotonic()
    while time.monotonic() - started < IDLE_TIMEOUT:
        times: list[float] = []
        probes = [threading.Thread(target=_probe, args=(port, times)) for _ in range(web.WORKERS)]
        for thread in probes:
            thread.start()
        for thread in probes:
            thread.join()
        if len(times) == web.WORKERS and max(times) <= IDLE_PROBE_S:
            return time.monotonic() - started
        time.sleep(0.2)
    raise BenchError(f"gunicorn was still busy {IDLE_TIMEOUT:.0f} s after a run")


def settle(port: int, what: str) -> None:
    waited = wait_idle(port)
    if waited >= 1:
        log(f"  waited {waited:.1f} s for gunicorn to serve what wrk left queued ({what})")


def single_request_ms(port: int, path: str) -> float:
    """Median time of SINGLE_REPEATS requests sent one at a time to an idle server."""
    times = []
    for _ in range(SINGLE_REPEATS):
        begun = time.perf_counter()
        status = web.http_get(port, path)[0]
        times.append((time.perf_counter() - begun) * 1000)
        if status != 200:
            raise BenchError(f"GET {path} answered {status}, expected 200")
    return statistics.median(times)


# --- Requests ------------------------------------------------------------------------------------


def base_body(api_key: str) -> str:
    return urllib.parse.urlencode({"api_key": api_key, **POST_FIELDS})


def post_lua(api_key: str, tag: str, refs_file: Path) -> str:
    for text in (tag, str(refs_file)):
        if "]==]" in text:
            raise BenchError(f"cannot quote {text!r} in Lua")
    header = (
        f"local BASE_BODY = [==[{base_body(api_key)}]==]\n"
        f"local RUN_TAG = [==[{tag}]==]\n"
        f"local REFS_FILE = [==[{refs_file}]==]\n"
    )
    return header + web.WRK_LUA + POST_LUA


def create_api_key(env: dict[str, str]) -> str:
    out = web.hub(env, "open311", "create-key", KEY_NAME)
    key = next((line.strip() for line in out.splitlines() if line.strip().startswith("rh_")), None)
    if key is None:
        raise BenchError(f"`hub open311 create-key` printed no key:\n{out[-1000:]}")
    return key


def check_post(port: int, api_key: str) -> str:
    """One POST before the load: the body must create a case (200 with a reference), not an error."""
    body = base_body(api_key) + "&description=Benchmark+check+before+the+runs"
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(
            "POST", REQUESTS_PATH, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    try:
        reference = json.loads(data)[0]["service_request_id"]
    except (ValueError, LookupError, TypeError):
        reference = None
    if response.status != 200 or not reference:
        raise BenchError(
            f"POST {REQUESTS_PATH} answered {response.status}, expected 200 with a service_request_id: "
            f"{data[:600].decode('utf-8', 'replace')}"
        )
    return reference


def requests_facts(port: int) -> dict:
    status, _headers, body = web.http_get(port, REQUESTS_PATH)
    if status != 200:
        raise BenchError(f"GET {REQUESTS_PATH} answered {status}, expected 200: {body[:300]!r}")
    items = json.loads(body)
    return {"items": len(items), "bytes": len(body), "refs": [i["service_request_id"] for i in items]}


def sent_count(raw: str) -> int:
    line = next((x for x in raw.splitlines() if x.startswith("BENCH_SENT ")), None)
    if line is None:
        raise BenchError(f"the GET script's done() hook printed no count:\n{raw}")
    return json.loads(line[len("BENCH_SENT ") :])["sent"] - VERIFY_CALLS


def post_run(port: int, conns: int, duration: float, lua: Path, quiet: bool = False) -> dict:
    """One wrk POST run, then wait for the queue to drain and compare cases with 2xx answers."""
    count_before, top_before = case_state()
    result = web.run_wrk(port, REQUESTS_PATH, conns, duration, lua, quiet=quiet)
    count_after, _top, drained_s = wait_settled()
    if quiet:
        return {"created": count_after - count_before}
    raw = result["raw"]
    line = next((x for x in raw.splitlines() if x.startswith("BENCH_POST ")), None)
    if line is None:
        raise BenchError(f"the POST script's done() hook printed no counts:\n{raw}")
    counts = json.loads(line[len("BENCH_POST ") :])
    sample = next((x[len("BENCH_SAMPLE ") :] for x in raw.splitlines() if x.startswith("BENCH_SAMPLE ")), "")
    refs_file = lua.with_suffix(".refs")
    answered = [r for r in refs_file.read_text().splitlines() if r] if refs_file.exists() else []
    new = set(references_after(top_before))
    created = count_after - count_before
    distinct = set(answered)
    duplicates = len(answered) - len(distinct)
    missing = len(distinct - new)
    sent = counts["sent"] - VERIFY_CALLS
    unanswered = sent - counts["ok"] - counts["other"]
    extra = len(new - distinct)
    problems = duplicates + missing + max(0, extra - unanswered) + abs(created - len(new))
    detail = (
        f"{result['requests']:,} requests; {counts['ok']:,} 2xx, {counts['other']} other; "
        f"{result['detail']}; {sent:,} sent, {unanswered} unanswered when wrk stopped; "
        f"{created:,} cases created"
    )
    if created == counts["ok"]:
        detail += " = the 2xx answers"
    elif extra <= unanswered:
        served = "all of them" if extra == unanswered else f"{extra} of them"
        detail += (
            f" = {counts['ok']:,} 2xx answers + {extra} for the requests wrk stopped waiting for "
            f"({served}, served by gunicorn within {drained_s:.1f} s after wrk ended)"
        )
    if problems:
        detail += (
            f" -- MISMATCH: {duplicates} references answered twice, {missing} answered but not in "
            f"the database, {max(0, extra - unanswered)} cases beyond the unanswered requests"
        )
    result.update(
        {
            "detail": detail,
            "errors": result["errors"] + counts["other"] + problems,
            "created": created,
            "ok": counts["ok"],
            "sent": sent,
            "unanswered": unanswered,
            "extra": extra,
            "sample": sample,
            "new_refs": new,
        }
    )
    return result


# --- Reporting -----------------------------------------------------------------------------------


def loadavg() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def goal_lines(rows: list[dict]) -> list[str]:
    lines = []
    for row in rows:
        if row["scenario"] == "bare":
            continue
        lines.append(
            f"(for information) {row['scenario']} p95 at {row['connections']} connections: "
            f"{web.fmt(row['p95'], 2)} ms ({web.fmt(row['rps'])} req/s)"
        )
    failed = [f"{r['scenario']}@{r['connections']}: {r['errors']}" for r in rows if r["errors"]]
    verdict = "MISS" if failed else "PASS"
    lines.append(f"{verdict}: zero errors in every run" + (f" ({', '.join(failed)})" if failed else ""))
    return lines


# --- Main ----------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds per run (default 10)")
    parser.add_argument(
        "--connections", default="16,64", help="comma-separated connection counts (default 16,64)"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=2,
        help="seconds of unrecorded warm-up before each scenario (default 2, 0 for none)",
    )
    parser.add_argument("--no-record", action="store_true", help="do not append to docs/benchmarks.md")
    args = web.check_common_args(parser, parser.parse_args(argv))
    return args


def check_prerequisites() -> None:
    web.check_prerequisites("open311.py")


def benchmark(args: argparse.Namespace, argv: list[str]) -> int:
    check_prerequisites()
    started_at = dt.datetime.now(dt.UTC)
    load_before = loadavg()
    use_redis = web.redis_answers()
    cache = "used as the cache" if use_redis else "not answering, local-memory cache"
    log(f"Redis at {web.REDIS_HOST}:{web.REDIS_PORT}: {cache}")
    work = Path(tempfile.mkdtemp(prefix="bench-open311-"))
    port = web.free_port()
    env = web.app_env(work / "var", port, use_redis)
    env["DATABASE_URL"] = db_url()
    env["API_RATE_LIMIT_PER_HOUR"] = str(RATE_LIMIT)
    env["API_READ_RATE_LIMIT_PER_HOUR"] = str(RATE_LIMIT)
    rate_note = (
        f"API_RATE_LIMIT_PER_HOUR and API_READ_RATE_LIMIT_PER_HOUR set to {RATE_LIMIT:,} in gunicorn's "
        "environment (defaults 1,000 writes per key and 10,000 reads per IP address an hour)"
    )
    log(rate_note)
    gunicorn = None
    db_created = False
    rows: list[dict] = []
    try:
        log(f"creating database {DB_NAME}")
        pg_version = create_database()
        db_created = True
        log("hub migrate")
        web.hub(env, "migrate", "--noinput", "-v0")
        log("hub load_demo")
        web.hub(env, "load_demo")
        api_key = create_api_key(env)
        log(f"hub open311 create-key {KEY_NAME!r}: key rh_{api_key.split('_')[1]}_... (scope open311)")
        demo_cases = case_state()[0]

        log_file = work / "gunicorn.log"
        gunicorn = web.start_gunicorn(env, port, log_file)
        web.wait_healthy(gunicorn, port, log_file)
        log(f"gunicorn ({web.WORKERS} sync workers) on http://{HOST}:{port}/ (pid {gunicorn.pid})")
        before = requests_facts(port)
        log(
            f"GET {REQUESTS_PATH}: {before['items']} requests ({before['bytes'] / 1024:.0f} KiB) "
            f"of the demo's {demo_cases} cases"
        )

        lua = work / "report.lua"
        lua.write_text(web.WRK_LUA)
        get_lua = work / "get.lua"
        get_lua.write_text(web.WRK_LUA + GET_LUA)
        warm_conns = args.connection_counts[0]
        single: dict[str, float] = {}

        def get_runs(scenario: str, path: str, warmup: float) -> None:
            if warmup:
                log(f"{scenario}: warm-up {warmup:g} s")
                web.run_wrk(port, path, warm_conns, warmup, lua, quiet=True)
            script = lua if scenario == "bare" else get_lua
            for conns in args.connection_counts:
                settle(port, f"before {scenario} at {conns}")
                log(f"{scenario}: wrk -c{conns} for {args.duration:g} s")
                result = web.run_wrk(port, path, conns, args.duration, script)
                result["detail"] = f"{result['requests']:,} requests; {result['detail']}"
                if script is get_lua:
                    sent = sent_count(result["raw"])
                    result["detail"] += (
                        f"; {sent:,} sent, {sent - result['requests']} still unanswered when wrk stopped "
                        "(not in the latency figures)"
                    )
                rows.append({"scenario": scenario, "connections": conns, **result})
                log(f"  {web.fmt(result['rps'])} req/s, {web.latencies(result)}, errors {result['errors']}")

        get_runs("bare", "/bench/bare", args.warmup)
        settle(port, "before the single GET requests.json")
        single["get"] = single_request_ms(port, REQUESTS_PATH)
        log(f"GET {REQUESTS_PATH} alone: {single['get']:.0f} ms (median of {SINGLE_REPEATS})")
        get_runs("get", REQUESTS_PATH, args.warmup)
        settle(port, "after get")
        if requests_facts(port)["items"] != before["items"]:
            raise BenchError(f"GET {REQUESTS_PATH} changed during the GET runs: the figures mix two lists")

        reference = check_post(port, api_key)
        log(f"POST {REQUESTS_PATH} check: 200, case {reference}")
        new_refs: set[str] = {reference}
        warm_created = 0
        if args.warmup:
            log(f"post: warm-up {args.warmup:g} s")
            warm_lua = work / "post-warm.lua"
            warm_lua.write_text(post_lua(api_key, "warm", warm_lua.with_suffix(".refs")))
            warm_created = post_run(port, warm_conns, args.warmup, warm_lua, quiet=True)["created"]
            log(f"  {warm_created} cases created")
        for conns in args.connection_counts:
            settle(port, f"before post at {conns}")
            log(f"post: wrk -c{conns} for {args.duration:g} s")
            post_lua_file = work / f"post-{conns}.lua"
            post_lua_file.write_text(post_lua(api_key, f"c{conns}", post_lua_file.with_suffix(".refs")))
            result = post_run(port, conns, args.duration, post_lua_file)
            new_refs |= result.pop("new_refs")
            rows.append({"scenario": "post", "connections": conns, **result})
            log(f"  {web.fmt(result['rps'])} req/s, {web.latencies(result)}, errors {result['errors']}")
            log(f"  {result['detail']}")
            if result["sample"]:
                log(f"  e.g. {result['sample']}")

        settle(port, "after post")
        after = requests_facts(port)
        total_cases = case_state()[0]
        posted_listed = sum(1 for ref in after["refs"] if ref in new_refs)
        log(
            f"GET {REQUESTS_PATH} now: {after['items']} requests ({after['bytes'] / 1024:.0f} KiB), "
            f"{posted_listed} of them created by this benchmark; {total_cases:,} cases in the database"
        )
        single["get-after"] = single_request_ms(port, REQUESTS_PATH)
        log(f"GET {REQUESTS_PATH} alone: {single['get-after']:.0f} ms (median of {SINGLE_REPEATS})")
        get_runs("get-after", REQUESTS_PATH, 0)  # the same view as `get`, warmed by it
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
    posts = [r for r in rows if r["scenario"] == "post"]
    data_line = (
        f"demo council, {demo_cases} cases; `get` lists {before['items']} requests "
        f"({before['bytes'] / 1024:.0f} KiB); the POST runs created "
        f"{sum(r['created'] for r in posts):,} cases (+ {warm_created} in the warm-up, 1 in the check "
        f"before it); `get-after` lists {after['items']} requests ({after['bytes'] / 1024:.0f} KiB, "
        f"{posted_listed} of them POSTed by the benchmark) of {total_cases:,} cases"
    )
    single_line = (
        f"one request at a time to the idle server (median of {SINGLE_REPEATS}): `get` "
        f"{single['get']:.0f} ms, `get-after` {single['get-after']:,.0f} ms"
    )

    print()
    print(f"Resident Hub Open311 benchmark, {when}, commit {commit}")
    print(
        f"Machine: {mach['cores']} cores, {mach['memory']} RAM, {mach['cpu']}; load average "
        f"{load_before} at the start, {load_after} at the end (shared with other work); "
        f"PostgreSQL {pg_version}; cache {'Redis' if use_redis else 'local memory'}"
    )
    print(f"Command: {command}")
    print(f"Rate limits: {rate_note}")
    print(f"Data: {data_line}")
    print(f"GET {REQUESTS_PATH} {single_line}")
    print()
    print(web.text_table(table))
    print()
    for row in rows:
        print(f"  {row['scenario']}@{row['connections']}: {row['detail']}")
    print()
    for line in goals:
        print(line)
    if gunicorn_log:
        print("\ngunicorn error log (last lines):\n" + gunicorn_log)

    if not args.no_record:
        section = "\n".join(
            [
                f"## Open311, {when}, commit {commit}",
                "",
                f"- Machine: {mach['cores']} cores, {mach['memory']} RAM, {mach['cpu']}; load average "
                f"{load_before} at the start, {load_after} at the end (shared with other work: noisy)",
                f"- PostgreSQL {pg_version}; cache: {'Redis' if use_redis else 'local memory'}; "
                f"gunicorn {web.WORKERS} sync workers; {args.duration:g} s per run",
                f"- Command: `{command}`",
                f"- Rate limits: {rate_note}",
                f"- Data: {data_line}",
                f"- `GET requests.json` {single_line}",
                "",
                web.markdown_table(table),
                "",
                "Requests, errors and cases in detail:",
                "",
                *[f"- {row['scenario']} at {row['connections']}: {row['detail']}" for row in rows],
                "",
                "Goal:",
                "",
                *[f"- {line}" for line in goals],
                "",
            ]
        )
        web.record(section)
        log(f"appended to {web.DOCS_FILE.relative_to(REPO)}")
    return 0


def main(argv: list[str]) -> int:
    args = parse_args(argv[1:])
    try:
        return benchmark(args, argv)
    except Missing as exc:
        print(f"benchmarks/open311.py: {exc}", file=sys.stderr)
        return 2
    except BenchError as exc:
        print(f"benchmarks/open311.py: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("benchmarks/open311.py: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv))
