"""
What the fault scripts share: a demo database, gunicorn started with
gunicorn.conf.py on this machine only, and wrk runs counted per answer.

Everything here is bounded: every wait has a deadline, every process started
is stopped on the way out.
"""

import atexit
import json
import math
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
PG_PORT = 5432
DEFAULT_DATABASE = "newsroom_faults"

# Counts every answer by status in each wrk thread, and prints one JSON line at
# the end: wrk's own summary says only "non-2xx or 3xx", not which.
WRK_SCRIPT = """
local paths, counter, threads = {}, 0, {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  for _, path in ipairs(args) do table.insert(paths, path) end
  s200, s503, s500, s5xx, sother = 0, 0, 0, 0, 0
end
function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
function response(status, headers, body)
  if status == 200 then s200 = s200 + 1
  elseif status == 503 then s503 = s503 + 1
  elseif status == 500 then s500 = s500 + 1
  elseif status > 500 then s5xx = s5xx + 1
  else sother = sother + 1 end
end
function done(summary, latency, requests)
  local c = {s200 = 0, s503 = 0, s500 = 0, s5xx = 0, sother = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(c) do c[name] = c[name] + (thread:get(name) or 0) end
  end
  io.write(string.format(
    'FAULTS {"requests": %d, "seconds": %f, "200": %d, "503": %d, "500": %d, "other 5xx": %d,'
    .. ' "other": %d, "timeouts": %d, "connect errors": %d, "read errors": %d,'
    .. ' "p50 ms": %f, "p99 ms": %f, "max ms": %f}\\n',
    summary.requests, summary.duration / 1e6, c.s200, c.s503, c.s500, c.s5xx, c.sother,
    summary.errors.timeout, summary.errors.connect, summary.errors.read,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def run(command, env=None, timeout=600):
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        sys.exit(f"Failed: {' '.join(map(str, command))}\n{result.stdout}{result.stderr}")
    return result.stdout


def psql(sql, pg_port=PG_PORT):
    return run(["psql", "-h", HOST, "-p", str(pg_port), "-U", "postgres", "-tAc", sql], timeout=30)


def database_exists(name, pg_port=PG_PORT):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'", pg_port).strip() == "1"


def site_environment(
    database, var_dir, port, workers, page_cache_seconds, redis_url, pg_port=PG_PORT
):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    env.pop("REDIS_URL", None)
    env |= {
        "DATABASE_URL": f"postgres://postgres@{HOST}:{pg_port}/{database}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "NEWSROOM_VAR_DIR": str(var_dir),
        "NEWSROOM_BIND": f"{HOST}:{port}",
        "WEB_CONCURRENCY": str(workers),
        "NEWSROOM_PAGE_CACHE_SECONDS": str(page_cache_seconds),
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
        env["NEWSROOM_CACHE_PREFIX"] = f"faults-{secrets.token_hex(4)}"
    return env


def prepare(database, env, pg_port=PG_PORT):
    """The demo newsroom in ``database`` (made if missing), and the static files collected."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", database):
        sys.exit(f"Not a database name this script makes: {database!r}")
    if database == DEFAULT_DATABASE and not database_exists(database, pg_port):
        print(f"Creating the database {database} with the demo newsroom …", flush=True)
        psql(f"CREATE DATABASE {database}", pg_port)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        run([PYTHON, "manage.py", "load_demo", "--no-editor"], env)
    elif not database_exists(database, pg_port):
        sys.exit(f"No database {database!r}: leave --database out to have one made.")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)


@contextmanager
def gunicorn(env, log_path, extra=()):
    """gunicorn with gunicorn.conf.py, until the block ends; its master process."""
    log = open(log_path, "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", *extra, "newsroom.wsgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=35)  # gunicorn.conf.py's graceful_timeout, and a bit
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.close()


def wait_until_up(base_url, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped at once (exit {process.returncode}); see its log.")
        try:
            with urllib.request.urlopen(base_url + "/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    sys.exit(f"gunicorn did not answer /readyz within {seconds} s")


def get(url, timeout=5):
    """(status, seconds, body) of one GET; status None when no answer came in time."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            body = answer.read()
            return answer.status, time.monotonic() - started, body
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - started, error.read()
    except (urllib.error.URLError, OSError):
        return None, time.monotonic() - started, b""


def a_story(base_url):
    """The address of the first story the front page links to."""
    status, _, body = get(base_url + "/")
    found = re.search(rb'href="(/(?:[a-z0-9-]+/)?[0-9]+-[^"/]+/)"', body)
    if status != 200 or not found:
        sys.exit(f"The front page ({status}) links to no story: is the demo loaded?")
    return found[1].decode()


def warm_up(base_url, paths, rounds=20):
    for _ in range(rounds):
        for path in paths:
            get(base_url + path)


class Wrk:
    """wrk on the given paths until stop() (or ``seconds``); its counts as a dict."""

    def __init__(self, base_url, paths, connections, seconds=600, timeout_seconds=3):
        self.script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
        self.script.write(WRK_SCRIPT)
        self.script.close()
        timeout = math.ceil(timeout_seconds)  # wrk takes whole seconds
        self.process = subprocess.Popen(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s",
             "-s", self.script.name, base_url, "--", *paths],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # wrk prints its summary and leaves
        try:
            out, _ = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate(timeout=5)
        os.unlink(self.script.name)
        for line in out.splitlines():
            if line.startswith("FAULTS "):
                return json.loads(line[len("FAULTS ") :])
        sys.exit(f"wrk printed no counts:\n{out}")


COLUMNS = ["requests", "200", "503", "500", "other 5xx", "other", "timeouts", "read errors"]


def table(rows):
    """rows: (phase, counts) → a Markdown table."""
    head = ["phase", "seconds", *COLUMNS, "p50 ms", "p99 ms", "max ms"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for phase, counts in rows:
        cells = [phase, f"{counts['seconds']:.1f}", *(str(counts[c]) for c in COLUMNS)]
        cells += [f"{counts[c]:.0f}" for c in ("p50 ms", "p99 ms", "max ms")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def workers_of(master_pid):
    """The gunicorn master's children: its workers."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def resident_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        return None
    return None


def fresh_var_dir():
    """A var/ of the run's own (cache, static files, gunicorn's log), removed at exit."""
    path = Path(tempfile.mkdtemp(prefix="newsroom-faults-"))
    atexit.register(remove, path)
    return path


def remove(path):
    shutil.rmtree(path, ignore_errors=True)
