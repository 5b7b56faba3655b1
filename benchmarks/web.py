"""Web benchmark: Resident Hub under gunicorn against PostgreSQL, loaded over loopback.

Run it with the project's virtualenv (``make bench`` does this)::

    .venv/bin/python benchmarks/web.py [--duration 10] [--connections 16,64] [--no-record]

What it does, in order:

1. Creates a fresh PostgreSQL database (``bench_web``), runs ``hub migrate`` and ``hub load_demo``.
2. Starts gunicorn with 2 sync workers on a free loopback port, DEBUG off, jobs inline,
   Redis as the cache when it answers.
3. Loads three scenarios at each connection count, from separate processes:

   * ``bare``: ``GET /bench/bare``, the cheapest Django view (the baseline). Driven by wrk.
   * ``track``: ``GET /track/<reference>/``, a resident's case status page, with a session
     cookie got from the case's signed tracking link. Driven by wrk.
   * ``submit``: ``POST /services/<code>/check-your-answers/``, the final submit that creates a
     case. Each simulated resident walks the whole journey (question pages, contact details,
     check page) in a fresh session; only the final POST is timed. Driven by a Python load
     generator (threads + http.client in a child process), not wrk, because every case needs
     its own session, CSRF token and submission key.

4. Prints a table and appends it to docs/benchmarks.md (unless ``--no-record``), with the goals
   from the issue marked PASS or MISS.

Gunicorn, PostgreSQL, Redis and the load generators all share the same machine, so the figures
are for comparing revisions of the app on one machine, not a capacity estimate.

Exit codes: 0 done (whatever the goals say), 1 the benchmark failed, 2 a prerequisite is missing
(wrk, PostgreSQL, the virtualenv's packages).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS_FILE = REPO / "docs" / "benchmarks.md"
HOST = "127.0.0.1"
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = "bench_web"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
WORKERS = 2
WRK_THREADS = 2
WRK_TIMEOUT = "10s"  # wrk's default (2 s) would turn slow responses into "timeouts" and hide them
DEFAULT_SERVICE = "give-a-compliment"  # 4 questions, contact optional, no uploads or addresses

# The goals, checked against the figures.
GOAL_TRACK_RATIO = 0.50  # tracking page throughput >= 50% of the bare view's, same connections
GOAL_P95_MS = 50.0  # tracking page p95 <= 50 ms at 16 connections
GOAL_P95_CONNECTIONS = 16

SCENARIOS = {
    "bare": "GET /bench/bare (baseline, wrk)",
    "track": "GET /track/<reference>/ with a session (wrk)",
    "submit": "POST /services/<code>/check-your-answers/ (Python load generator)",
}

WRK_LUA = r"""
-- Printed after the run: wrk's own summary, plus the p95 that --latency does not show.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_JSON {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, \"p90_us\": %d, " ..
    "\"p95_us\": %d, \"p99_us\": %d, \"max_us\": %d, \"connect\": %d, \"read\": %d, " ..
    "\"write\": %d, \"status\": %d, \"timeout\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50.0), latency:percentile(90.0),
    latency:percentile(95.0), latency:percentile(99.0), latency.max, e.connect, e.read,
    e.write, e.status, e.timeout))
end
"""

# Run inside `hub shell` against the benchmark database: what the scenarios need to know.
SHELL_SNIPPET = r"""
import json
from django.db.models import Count, Q
from residenthub.cases.models import Case
from residenthub.cases.tracking import make_token
from residenthub.services.models import Service
case = (Case.objects.annotate(n=Count("events", filter=Q(events__public=True)))
        .select_related("service").order_by("-n", "id").first())
service = Service.objects.filter(code=SERVICE_CODE, active=True).first()
plan = None
if service is not None:
    plan = {"code": service.code, "questions": [
        {"name": q.name, "type": q.type, "required": q.required, "conditional": bool(q.show_if),
         "choices": [c.value for c in q.choices], "min": q.min} for q in service.form.questions]}
print("BENCH_JSON " + json.dumps({
    "reference": case.reference, "token": make_token(case), "public_events": case.n,
    "case_service": case.service.code, "cases": Case.objects.count(), "service": plan}))
"""


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


class Missing(BenchError):
    """A prerequisite is missing (exit code 2)."""


# --- Small helpers -------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def bin_path(name: str) -> Path:
    """A console script of the virtualenv this script runs in (or the project's .venv)."""
    for folder in (Path(sys.executable).parent, REPO / ".venv" / "bin"):
        if (folder / name).exists():
            return folder / name
    raise Missing(
        f"{name} is not installed in the virtualenv: run `make install`, then "
        f"`.venv/bin/python benchmarks/web.py`"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def percentile(sorted_values: list[float], pct: float) -> float:
    """Linear interpolation between closest ranks (as numpy's default)."""
    if not sorted_values:
        return float("nan")
    if len(sorted_values) == 1:
        return sorted_values[0]
    rank = (len(sorted_values) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def machine() -> dict[str, str]:
    info = {"cores": str(len(os.sched_getaffinity(0))), "memory": "?", "cpu": "?"}
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    return info


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"


def the_command(argv: list[str]) -> str:
    python = Path(sys.executable)
    with contextlib.suppress(ValueError):
        python = python.relative_to(REPO)
    script = Path(argv[0]).resolve()
    with contextlib.suppress(ValueError):
        script = script.relative_to(REPO)
    return shlex.join([str(python), str(script), *argv[1:]])


# --- The database --------------------------------------------------------------------------------


def admin_connection():
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise Missing(
            f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({str(exc).strip()}).\n"
            "Start it (trust auth for user postgres on 127.0.0.1:5432), or point "
            "BENCH_POSTGRES_URL at its `postgres` database."
        ) from exc


def bench_db_url(name: str = DB_NAME) -> str:
    parts = urllib.parse.urlsplit(PG_ADMIN_URL)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def create_database(name: str = DB_NAME) -> str:
    """A fresh, empty database (each benchmark script has its own name); returns the server version."""
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        version = conn.info.parameter_status("server_version") or "?"
    return version


def drop_database(name: str = DB_NAME) -> None:
    try:
        with admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as exc:  # cleanup must not hide the real error
        log(f"could not drop database {name}: {exc}")


def count_cases() -> int:
    import psycopg

    with psycopg.connect(bench_db_url(), autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]


# --- The app -------------------------------------------------------------------------------------


def app_env(var_dir: Path, port: int, use_redis: bool) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "NOTIFY_API_KEY", "DJANGO_SETTINGS_MODULE"}
        and not k.endswith("_FILE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "residenthub.settings",
            "DATABASE_URL": bench_db_url(),
            "HUB_ENV": "development",
            "DEBUG": "false",
            "JOBS_INLINE": "true",
            "ALLOWED_HOSTS": HOST,
            "LOG_LEVEL": "WARNING",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
            "SITE_URL": f"http://{HOST}:{port}",
            "VAR_DIR": str(var_dir),  # emails (file backend) and uploads go to a temporary folder
            "CACHE_KEY_PREFIX": f"bench-{os.getpid()}",  # never touch other keys in Redis
            "PYTHONUNBUFFERED": "1",
            "BENCHMARK_BASELINE_VIEW": "true",  # GET /bench/bare, the baseline
        }
    )
    if use_redis:
        env["REDIS_URL"] = f"redis://{REDIS_HOST}:{REDIS_PORT}/0"
    return env


def hub(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [str(bin_path("hub")), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise BenchError(
            f"`hub {' '.join(args[:1])}` failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


def shell_json(env: dict[str, str], service_code: str) -> dict:
    snippet = f"SERVICE_CODE = {service_code!r}\n" + SHELL_SNIPPET
    out = hub(env, "shell", "-c", snippet)
    for line in out.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    raise BenchError(f"`hub shell` printed no result:\n{out[-2000:]}")


def start_gunicorn(env: dict[str, str], port: int, log_file: Path) -> subprocess.Popen:
    cmd = [
        str(bin_path("gunicorn")),
        "residenthub.wsgi:application",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        "60",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log_file),
    ]
    return subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_gunicorn(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def http_get(port: int, path: str, headers: dict[str, str] | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, response.headers, body
    finally:
        conn.close()


def wait_healthy(proc: subprocess.Popen, port: int, log_file: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"gunicorn exited ({proc.returncode}):\n{tail(log_file)}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if http_get(port, "/healthz")[0] == 200:
                return
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{tail(log_file)}")


def tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return "(no log)"


def tracking_cookie(port: int, info: dict) -> str:
    """The Cookie header of a session allowed to see the case: visit its signed tracking link."""
    status, headers, _body = http_get(port, f"/track/link/{info['token']}/")
    if status != 302:
        raise BenchError(f"/track/link/<token>/ answered {status}, expected a 302 to the case page")
    jar = cookies_from(headers)
    if "sessionid" not in jar:
        raise BenchError("/track/link/<token>/ set no sessionid cookie")
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, headers, _body = http_get(port, f"/track/{info['reference']}/", {"Cookie": cookie})
    if status != 200:
        raise BenchError(
            f"/track/{info['reference']}/ with the session answered {status} "
            f"(Location: {headers.get('Location')}), expected 200: the session does not "
            "let this resident see the case, so the benchmark would measure a redirect"
        )
    return cookie


def cookies_from(headers, jar: dict[str, str] | None = None) -> dict[str, str]:
    jar = {} if jar is None else jar
    for header in headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            if morsel.value == "" or morsel["max-age"] == "0":
                jar.pop(name, None)
            else:
                jar[name] = morsel.value
    return jar


# --- wrk -----------------------------------------------------------------------------------------


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict:
    """Requests/s, p50/p90/p99 and errors from wrk's text output; p95 from the Lua hook."""
    result: dict = {}
    match = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if not match:
        raise BenchError(f"could not read wrk's output:\n{output}")
    result["rps"] = float(match.group(1))
    for pct in ("50", "90", "99"):
        found = re.search(rf"^\s+{pct}%\s+(\S+)", output, re.M)
        result[f"p{pct}"] = _ms(found.group(1)) if found else float("nan")
    match = re.search(r"^\s+(\d+) requests in", output, re.M)
    result["requests"] = int(match.group(1)) if match else 0
    match = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result["non_2xx_3xx"] = int(match.group(1)) if match else 0
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    socket_errors = [int(x) for x in match.groups()] if match else [0, 0, 0, 0]
    result["socket_errors"] = dict(zip(["connect", "read", "write", "timeout"], socket_errors, strict=True))
    lua = next((line for line in output.splitlines() if line.startswith("BENCH_JSON ")), None)
    if lua is None:
        raise BenchError(f"wrk's done() hook printed nothing (is the Lua script loaded?):\n{output}")
    hook = json.loads(lua[len("BENCH_JSON ") :])
    result["p95"] = hook["p95_us"] / 1000
    for pct in ("50", "90", "99"):  # the text rounds to 2 decimals; prefer the exact figures
        result[f"p{pct}"] = hook[f"p{pct}_us"] / 1000
    result["errors"] = result["non_2xx_3xx"] + sum(socket_errors)
    result["detail"] = f"non-2xx/3xx {result['non_2xx_3xx']}, socket errors " + ", ".join(
        f"{k} {v}" for k, v in result["socket_errors"].items()
    )
    return result


def run_wrk(
    port: int,
    path: str,
    connections: int,
    duration: float,
    lua: Path,
    headers: dict[str, str] | None = None,
    quiet: bool = False,
) -> dict:
    threads = min(WRK_THREADS, connections)
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        "--timeout",
        WRK_TIMEOUT,
        "-s",
        str(lua),
    ]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(f"http://{HOST}:{port}{path}")
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    if result.returncode != 0:
        raise BenchError(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    if quiet:
        return {}
    parsed = parse_wrk(result.stdout)
    parsed["raw"] = result.stdout
    return parsed


# --- The submission load generator (runs in its own process) --------------------------------------


_CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEY_RE = re.compile(r'name="submission_key" value="([^"]+)"')


class JourneyError(Exception):
    pass


def _answer(question: dict, serial: int) -> list[tuple[str, str]]:
    name, kind = question["name"], question["type"]
    if kind in {"choice"}:
        return [(name, question["choices"][0])]
    if kind == "choices":
        return [(name, question["choices"][0])]
    if kind == "yesno":
        return [(name, "no")]
    if kind in {"text", "textarea"}:
        return [(name, f"Benchmark answer {serial}: thank you for the good service.")]
    if kind == "number":
        return [(name, str(max(question.get("min") or 1, 1)))]
    if kind == "email":
        return [(name, "resident@example.com")]
    if kind == "postcode":
        return [(name, "SW1A 2AA")]
    raise JourneyError(f"question type {kind!r} is not supported by the load generator")


class Client:
    """One simulated resident's browser: a keep-alive connection (gunicorn's sync workers close
    it after each response; http.client reopens it) and a cookie jar."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)
        self.jar: dict[str, str] = {}
        self.requests = 0

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None):
        headers = {}
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        finally:
            self.requests += 1
        cookies_from(response.headers, self.jar)
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, response.getheader("Location", ""), data


def _journey(client: Client, plan: dict, serial: int, deadline: float) -> float | None:
    """Walk the journey in a fresh session; time and return the final POST (None: stopped)."""
    code = plan["code"]
    questions = {q["name"]: q for q in plan["questions"]}
    client.jar.clear()
    url = f"/services/{code}/{plan['questions'][0]['name']}/"
    status, _loc, body = client.request("GET", url)
    if status != 200:
        raise JourneyError(f"GET {url} answered {status}")
    match = _CSRF_RE.search(body.decode("utf-8", "replace"))
    if not match:
        raise JourneyError(f"no CSRF token on {url}")
    csrf = [("csrfmiddlewaretoken", match.group(1))]
    contact_url = f"/services/{code}/your-details/"
    check_url = f"/services/{code}/check-your-answers/"
    for _step in range(len(questions) + 1):
        name = url.rstrip("/").rsplit("/", 1)[-1]
        if name not in questions:
            raise JourneyError(f"redirected to unexpected page {url}")
        status, location, _body = client.request("POST", url, csrf + _answer(questions[name], serial))
        if status != 302:
            raise JourneyError(f"POST {url} answered {status}, expected 302")
        url = urllib.parse.urlsplit(location).path
        if url == contact_url:
            break
    else:
        raise JourneyError("the questions never led to the contact page")
    status, location, _body = client.request(
        "POST",
        contact_url,
        csrf
        + [
            ("name", "Bench Resident"),
            ("email", "resident@example.com"),
            ("phone", ""),
            ("notify_by", "email"),
            ("postcode", ""),
        ],
    )
    if status != 302 or urllib.parse.urlsplit(location).path != check_url:
        raise JourneyError(f"POST {contact_url} answered {status} {location}, expected 302 to {check_url}")
    status, _loc, body = client.request("GET", check_url)
    match = _KEY_RE.search(body.decode("utf-8", "replace")) if status == 200 else None
    if not match:
        raise JourneyError(f"GET {check_url} answered {status} without a submission key")
    if time.monotonic() >= deadline:
        return None  # the run is over: do not start a submit it would not count
    started = time.perf_counter()
    status, location, _body = client.request("POST", check_url, csrf + [("submission_key", match.group(1))])
    elapsed = time.perf_counter() - started
    if status != 302 or urllib.parse.urlsplit(location).path != f"/services/{code}/confirmation/":
        raise SubmitError(f"POST {check_url} answered {status} {location}, expected 302 to confirmation")
    return elapsed


class SubmitError(Exception):
    """The timed submit itself failed."""


def submit_worker(config: dict) -> dict:
    """Entry point of the child process: `clients` threads walk journeys for `duration` seconds."""
    port, clients, duration, plan = config["port"], config["clients"], config["duration"], config["plan"]
    latencies: list[float] = []
    errors = {"submit": 0, "journey": 0}
    samples: list[str] = []
    total_requests = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline_box: list[float] = []
    serial_box = [0]

    def run() -> None:
        client = Client(port)
        barrier.wait()
        deadline = deadline_box[0]
        while time.monotonic() < deadline:
            with lock:
                serial_box[0] += 1
                serial = serial_box[0]
            try:
                elapsed = _journey(client, plan, serial, deadline)
            except SubmitError as exc:
                with lock:
                    errors["submit"] += 1
                    if len(samples) < 5:
                        samples.append(str(exc))
                continue
            except (JourneyError, OSError, http.client.HTTPException) as exc:
                with lock:
                    errors["journey"] += 1
                    if len(samples) < 5:
                        samples.append(f"{type(exc).__name__}: {exc}")
                if isinstance(exc, JourneyError) and "not supported" in str(exc):
                    break
                continue
            if elapsed is not None:
                with lock:
                    latencies.append(elapsed)
        with lock:
            total_requests[0] += client.requests
        client.conn.close()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    deadline_box.append(started + duration)
    barrier.wait()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    latencies.sort()
    ms = [x * 1000 for x in latencies]
    return {
        "submits": len(latencies),
        "wall": wall,
        "rps": len(latencies) / wall,
        "journey_rps": total_requests[0] / wall,
        "requests": total_requests[0],
        "p50": percentile(ms, 50),
        "p90": percentile(ms, 90),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "mean": statistics.fmean(ms) if ms else float("nan"),
        "submit_errors": errors["submit"],
        "journey_errors": errors["journey"],
        "samples": samples,
    }


def run_submit(port: int, clients: int, duration: float, plan: dict) -> dict:
    config = json.dumps({"port": port, "clients": clients, "duration": duration, "plan": plan})
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--submit-worker", config],
        capture_output=True,
        text=True,
        timeout=duration + 180,
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise BenchError(
            f"the submission load generator failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        )
    return json.loads(line[len("BENCH_JSON ") :])


# --- Reporting -----------------------------------------------------------------------------------


def fmt(value: float, digits: int = 1) -> str:
    return "n/a" if value != value else f"{value:,.{digits}f}"  # NaN check


def latencies(result: dict) -> str:
    return ", ".join(f"p{pct} {fmt(result[f'p{pct}'], 2)} ms" for pct in (50, 95, 99))


def results_table(rows: list[dict], baseline: dict[int, float]) -> list[list[str]]:
    table = []
    for row in rows:
        base = baseline.get(row["connections"])
        ratio = f"{row['rps'] / base:.0%}" if base else "n/a"
        if row["scenario"] == "submit":
            ratio += "*"
        table.append(
            [
                row["scenario"],
                str(row["connections"]),
                fmt(row["rps"]),
                fmt(row["p50"], 2),
                fmt(row["p95"], 2),
                fmt(row["p99"], 2),
                str(row["errors"]),
                ratio,
            ]
        )
    return table


HEADERS = ["scenario", "connections", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "vs bare"]


def text_table(table: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(HEADERS)]
    lines = [
        "  ".join(
            h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(HEADERS, widths, strict=True))
        )
    ]
    lines.append("  ".join("-" * w for w in widths))
    for row in table:
        lines.append(
            "  ".join(
                c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(lines)


def markdown_table(table: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join(["---"] + ["---:"] * (len(HEADERS) - 1)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in table]
    return "\n".join(lines)


def goals(rows: list[dict]) -> list[str]:
    by = {(r["scenario"], r["connections"]): r for r in rows}
    lines = []
    for (scenario, conns), row in sorted(by.items(), key=lambda item: item[0][1]):
        if scenario != "track":
            continue
        bare = by.get(("bare", conns))
        if bare and bare["rps"]:
            ratio = row["rps"] / bare["rps"]
            verdict = "PASS" if ratio >= GOAL_TRACK_RATIO else "MISS"
            lines.append(
                f"{verdict}: tracking page throughput >= {GOAL_TRACK_RATIO:.0%} of the bare view's at "
                f"{conns} connections: {ratio:.0%} ({fmt(row['rps'])} vs {fmt(bare['rps'])} req/s)"
            )
    track = by.get(("track", GOAL_P95_CONNECTIONS))
    if track:
        verdict = "PASS" if track["p95"] <= GOAL_P95_MS else "MISS"
        lines.append(
            f"{verdict}: tracking page p95 <= {GOAL_P95_MS:.0f} ms at {GOAL_P95_CONNECTIONS} "
            f"connections: {fmt(track['p95'], 2)} ms"
        )
    else:
        lines.append(
            f"NOT MEASURED: tracking page p95 <= {GOAL_P95_MS:.0f} ms at {GOAL_P95_CONNECTIONS} "
            "connections (no run at that connection count)"
        )
    submit = by.get(("submit", GOAL_P95_CONNECTIONS))
    if submit:
        lines.append(
            f"(for information, not a goal) case submission p95 at {GOAL_P95_CONNECTIONS} clients: "
            f"{fmt(submit['p95'], 2)} ms"
        )
    failed = [f"{r['scenario']}@{r['connections']}: {r['errors']}" for r in rows if r["errors"]]
    verdict = "MISS" if failed else "PASS"
    lines.append(f"{verdict}: zero errors in every run" + (f" ({', '.join(failed)})" if failed else ""))
    return lines


DOCS_HEADER = """\
# Benchmarks

Figures appended by `benchmarks/web.py` (`make bench`). Each section is one run; newer runs are
at the bottom. Compare runs on the same machine only.

## Method

- A fresh PostgreSQL database (`bench_web`) is created and filled by `hub migrate` and
  `hub load_demo` (the demo council: 26 services, about 50 cases). It is dropped afterwards.
- The app runs under gunicorn with 2 sync workers on 127.0.0.1, `DEBUG=false`,
  `JOBS_INLINE=true` (the resident's email is rendered and written by the file email backend
  inside the submit request), Redis as the cache when it answers, `LOG_LEVEL=WARNING`.
- Load comes from separate processes over loopback, on the same machine: the server, PostgreSQL,
  Redis and the load generator share its cores, so these are relative figures, not capacity.
- `bare`: `GET /bench/bare`, a view that returns "ok" through the whole middleware stack. It is
  the baseline the other scenarios are compared with ("vs bare": throughput ratio at the same
  connection count).
- `track`: `GET /track/<reference>/`, the resident's case status page, for the demo case with the
  longest public timeline, with a session cookie from the case's signed tracking link (checked
  to answer 200, not a redirect, before and after the run).
- `bare` and `track` are driven by wrk (2 threads, `--latency`, a Lua `done()` hook for p95,
  `--timeout 10s`); errors are non-2xx/3xx responses plus socket errors (connect, read, write,
  timeout). A short warm-up run precedes each scenario and is not recorded.
- `submit`: `POST /services/give-a-compliment/check-your-answers/`, the final submit that creates a
  case. It is driven by a Python load generator (threads and `http.client` in a child
  process), **not wrk**: each simulated resident walks the whole journey in a fresh session
  (GET the first question page for the CSRF token, POST each answer, POST contact details, GET
  the check page for the submission key), and only the final POST is timed. Its req/s is timed
  submits completed / wall time; the untimed journey requests (7 per submit here) load the same
  server, so its "vs bare" ratio (marked `*`) is not comparable with the others. Connections
  means concurrent simulated residents. Errors are submits that did not answer 302 to the
  confirmation page plus journeys that failed before the submit. After each run the number of
  new cases in the database is checked against the successful submits. The Python load
  generator shares the machine's cores with the server, so it caps the figures it can show.
- Goals from the issue: the tracking page's throughput is at least 50% of the bare view's, its
  p95 is at most 50 ms at 16 connections, and no run has errors.
"""


def record(section: str) -> None:
    DOCS_FILE.parent.mkdir(parents=True, exist_ok=True)
    existing = DOCS_FILE.read_text(encoding="utf-8") if DOCS_FILE.exists() else DOCS_HEADER
    if not existing.endswith("\n"):
        existing += "\n"
    DOCS_FILE.write_text(existing + "\n" + section, encoding="utf-8")


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
    parser.add_argument(
        "--service",
        default=DEFAULT_SERVICE,
        help=f"service whose journey the submit scenario walks (default {DEFAULT_SERVICE})",
    )
    return check_common_args(parser, parser.parse_args(argv))


def check_common_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.Namespace:
    """``--connections`` and ``--duration``, shared by every benchmark script."""
    try:
        args.connection_counts = sorted({int(x) for x in args.connections.split(",") if x.strip()})
    except ValueError:
        parser.error("--connections must be whole numbers separated by commas, like 16,64")
    if not args.connection_counts or min(args.connection_counts) < 1:
        parser.error("--connections needs at least one count of 1 or more")
    if args.duration < 1:
        parser.error("--duration must be at least 1 second")
    return args


def check_prerequisites(script: str = "web.py") -> None:
    """wrk, psycopg and the virtualenv's hub and gunicorn; every benchmark script needs them."""
    if shutil.which("wrk") is None:
        raise Missing(
            "wrk is not installed. Install it with `apt-get install wrk` (Debian/Ubuntu; "
            "`sudo apt-get install wrk` if you are not root), then run this again."
        )
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise Missing(
            "psycopg is not importable: run this with the project's virtualenv, "
            f"`.venv/bin/python benchmarks/{script}` (or `make bench`)."
        ) from exc
    bin_path("hub")
    bin_path("gunicorn")


def benchmark(args: argparse.Namespace, argv: list[str]) -> int:
    check_prerequisites()
    started_at = dt.datetime.now(dt.UTC)
    use_redis = redis_answers()
    cache = "used as the cache" if use_redis else "not answering, local-memory cache"
    log(f"Redis at {REDIS_HOST}:{REDIS_PORT}: {cache}")
    work = Path(tempfile.mkdtemp(prefix="bench-web-"))
    port = free_port()
    env = app_env(work / "var", port, use_redis)
    gunicorn = None
    db_created = False
    try:
        log(f"creating database {DB_NAME}")
        pg_version = create_database()
        db_created = True
        log("hub migrate")
        hub(env, "migrate", "--noinput", "-v0")
        log("hub load_demo")
        hub(env, "load_demo")
        info = shell_json(env, args.service)
        plan = info["service"]
        if plan is None:
            raise BenchError(f"no active service {args.service!r} in the demo catalogue")
        if any(
            q["type"] not in {"text", "textarea", "choice", "choices", "yesno", "number", "email", "postcode"}
            for q in plan["questions"]
        ):
            raise BenchError(
                f"service {args.service!r} has question types the load generator cannot answer; "
                f"pick one with text, choice and yes/no questions (like {DEFAULT_SERVICE})"
            )
        log(
            f"tracking page: {info['reference']} ({info['case_service']}, {info['public_events']} public "
            f"events); submit journey: {plan['code']} ({len(plan['questions'])} questions)"
        )

        log_file = work / "gunicorn.log"
        gunicorn = start_gunicorn(env, port, log_file)
        wait_healthy(gunicorn, port, log_file)
        log(f"gunicorn ({WORKERS} sync workers) on http://{HOST}:{port}/ (pid {gunicorn.pid})")
        cookie = tracking_cookie(port, info)

        lua = work / "report.lua"
        lua.write_text(WRK_LUA)
        rows: list[dict] = []
        warm_conns = args.connection_counts[0]

        for scenario, path, headers in (
            ("bare", "/bench/bare", None),
            ("track", f"/track/{info['reference']}/", {"Cookie": cookie}),
        ):
            if args.warmup:
                log(f"{scenario}: warm-up {args.warmup:g} s")
                run_wrk(port, path, warm_conns, args.warmup, lua, headers, quiet=True)
            for conns in args.connection_counts:
                log(f"{scenario}: wrk -c{conns} for {args.duration:g} s")
                result = run_wrk(port, path, conns, args.duration, lua, headers)
                rows.append({"scenario": scenario, "connections": conns, **result})
                errors = f"errors {result['errors']} ({result['detail']})"
                log(f"  {fmt(result['rps'])} req/s, {latencies(result)}, {errors}")
            if scenario == "track":
                status = http_get(port, path, headers)[0]
                if status != 200:
                    raise BenchError(
                        f"after the run the tracking page answered {status}, not 200: the "
                        "figures above measured something else"
                    )

        if args.warmup:
            log(f"submit: warm-up {args.warmup:g} s")
            run_submit(port, warm_conns, args.warmup, plan)
        for conns in args.connection_counts:
            before = count_cases()
            log(f"submit: {conns} simulated residents for {args.duration:g} s (Python load generator)")
            result = run_submit(port, conns, args.duration, plan)
            created = count_cases() - before
            errors = result["submit_errors"] + result["journey_errors"]
            detail = (
                f"submit errors {result['submit_errors']}, journey errors {result['journey_errors']}, "
                f"{result['submits']} submits, {created} cases created, "
                f"{fmt(result['journey_rps'])} journey req/s incl. submits"
            )
            if created != result["submits"]:
                detail += f" -- MISMATCH: {created} cases for {result['submits']} successful submits"
                errors += abs(created - result["submits"])
            rows.append(
                {
                    "scenario": "submit",
                    "connections": conns,
                    "rps": result["rps"],
                    "p50": result["p50"],
                    "p95": result["p95"],
                    "p99": result["p99"],
                    "errors": errors,
                    "detail": detail,
                }
            )
            log(f"  {fmt(result['rps'])} submits/s, {latencies(result)}; {detail}")
            for sample in result["samples"]:
                log(f"  e.g. {sample}")

        gunicorn_log = tail(log_file, 1500).strip()
    finally:
        stop_gunicorn(gunicorn)
        if db_created:
            drop_database()
        shutil.rmtree(work, ignore_errors=True)

    baseline = {r["connections"]: r["rps"] for r in rows if r["scenario"] == "bare"}
    table = results_table(rows, baseline)
    goal_lines = goals(rows)
    mach = machine()
    commit = git_commit()
    command = the_command(argv)
    when = started_at.strftime("%Y-%m-%d %H:%M UTC")

    print()
    print(f"Resident Hub web benchmark, {when}, commit {commit}")
    print(
        f"Machine: {mach['cores']} cores, {mach['memory']} RAM, {mach['cpu']}; PostgreSQL {pg_version}; "
        f"cache {'Redis' if use_redis else 'local memory'}"
    )
    print(f"Command: {command}")
    print()
    print(text_table(table))
    untimed = len(plan["questions"]) + 3  # first page, answers, contact details, check page
    print("* submit: timed final POSTs completed per second, driven by the Python load generator")
    print(f"  (not wrk), which walks the whole journey ({untimed} untimed requests per submit for")
    print(f"  {plan['code']}) and shares the cores with the server.")
    print()
    for row in rows:
        print(f"  {row['scenario']}@{row['connections']}: {row['detail']}")
    print()
    for line in goal_lines:
        print(line)
    if gunicorn_log:
        print("\ngunicorn error log (last lines):\n" + gunicorn_log)

    if not args.no_record:
        section = "\n".join(
            [
                f"## {when}, commit {commit}",
                "",
                f"- Machine: {mach['cores']} cores, {mach['memory']} RAM, {mach['cpu']}",
                f"- PostgreSQL {pg_version}; cache: {'Redis' if use_redis else 'local memory'}; "
                f"gunicorn {WORKERS} sync workers; {args.duration:g} s per run",
                f"- Command: `{command}`",
                f"- Tracking page: a case with {info['public_events']} public timeline events; "
                f"submit journey: `{plan['code']}`",
                "",
                markdown_table(table),
                "",
                "`*` submit is driven by the Python load generator, not wrk; see Method.",
                "",
                "Errors in detail:",
                "",
                *[f"- {row['scenario']} at {row['connections']}: {row['detail']}" for row in rows],
                "",
                "Goals from the issue:",
                "",
                *[f"- {line}" for line in goal_lines],
                "",
            ]
        )
        record(section)
        log(f"appended to {DOCS_FILE.relative_to(REPO)}")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "--submit-worker":
        print("BENCH_JSON " + json.dumps(submit_worker(json.loads(argv[2]))), flush=True)
        return 0
    args = parse_args(argv[1:])
    try:
        return benchmark(args, argv)
    except Missing as exc:
        print(f"benchmarks/web.py: {exc}", file=sys.stderr)
        return 2
    except BenchError as exc:
        print(f"benchmarks/web.py: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("benchmarks/web.py: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv))
