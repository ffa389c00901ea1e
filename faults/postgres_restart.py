#!/usr/bin/env python3
"""
PostgreSQL stopped and started again while wrk loads the site.

    .venv/bin/python faults/postgres_restart.py [--database NAME] [--port 8300]

On this machine only (127.0.0.1): gunicorn with gunicorn.conf.py and 2 workers
serves the demo newsroom (a database it makes itself, unless --database names
one already migrated); wrk asks for the front page and a story. Then:

  up         wrk for a few seconds with everything running;
  down       PostgreSQL stopped (pg_ctlcluster … stop -m fast) for --down seconds:
             every answer must be 503 (or 200, if the page cache had the page)
             and come within 3 s; no 500, no request left hanging;
  starting   PostgreSQL starting again, until pg_isready says it is back;
  back 0–5 s the first five seconds after it is back;
  back 5 s+  every request must succeed.

A prober asks once at a time all along, so the moment the last failure came
is known to the tenth of a second. A table of what was seen is printed; the
exit status is 1 if an expectation failed. PostgreSQL is started again on
the way out whatever happens, Ctrl+C included.

It stops the machine's PostgreSQL for some seconds: everyone else's
connections fail meanwhile. Run it where that is acceptable, or rehearse with
--rehearse, which makes, stops and removes a PostgreSQL of its own instead.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import harness

HANG_SECONDS = 3.0
RECOVERY_SECONDS = 5.0


class MachineCluster:
    """The machine's PostgreSQL on 127.0.0.1:5432, the newest in /etc/postgresql."""

    port = harness.PG_PORT

    def __init__(self):
        versions = sorted(
            (p.name for p in Path("/etc/postgresql").iterdir()),
            key=lambda v: [int(x) for x in v.split(".") if x.isdigit()],
        )
        if not versions:
            sys.exit("No PostgreSQL cluster in /etc/postgresql.")
        self.version, self.name = versions[-1], "main"

    def control(self, action):
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action]
        if action == "stop":
            command += ["-m", "fast"]
        return subprocess.run(command, capture_output=True, text=True, timeout=60)

    def remove(self):
        pass


class ThrowawayCluster:
    """
    A PostgreSQL of the script's own (--rehearse): made in a temporary folder,
    listening on 127.0.0.1:<port>, removed at the end. Stopping it disturbs nobody.
    """

    def __init__(self, port):
        self.port = port
        bin_dirs = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
        if not bin_dirs:
            sys.exit("No PostgreSQL programs in /usr/lib/postgresql.")
        self.bin = bin_dirs[-1]
        self.data = Path(tempfile.mkdtemp(prefix="newsroom-faults-pg-"))
        # PostgreSQL will not run as root: its files and processes are the postgres user's.
        self.user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.user:
            shutil.chown(self.data, "postgres")
        subprocess.run(
            [*self.user, self.bin / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres"],
            capture_output=True, check=True, timeout=120,
        )  # fmt: skip
        options = f"-p {port} -c listen_addresses={harness.HOST} -k {self.data}"
        self.pg_ctl = [*self.user, self.bin / "pg_ctl", "-D", self.data, "-o", options, "-w"]
        if self.control("start").returncode != 0:
            sys.exit(f"The throwaway PostgreSQL did not start on port {port}.")

    def control(self, action):
        command = [*self.pg_ctl, action] + (["-m", "fast"] if action == "stop" else [])
        command += ["-l", self.data / "postgresql.log"] if action == "start" else []
        return subprocess.run(command, capture_output=True, text=True, timeout=60)

    def remove(self):
        self.control("stop")
        shutil.rmtree(self.data, ignore_errors=True)


def pg_ready(port):
    result = subprocess.run(
        ["pg_isready", "-q", "-h", harness.HOST, "-p", str(port)], capture_output=True, timeout=10
    )
    return result.returncode == 0


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


class Prober(threading.Thread):
    """One request at a time, all along: (moment, status, seconds) for each."""

    def __init__(self, base_url, paths):
        super().__init__(daemon=True)
        self.base_url, self.paths = base_url, paths
        self.seen = []
        self.running = True

    def run(self):
        i = 0
        while self.running:
            path = self.paths[i % len(self.paths)]
            i += 1
            moment = time.monotonic()
            status, seconds, _ = harness.get(self.base_url + path, timeout=HANG_SECONDS + 2)
            self.seen.append((moment, status, seconds))
            time.sleep(0.05)


def phase(name, base_url, paths, connections, action):
    """wrk while ``action()`` runs; the counts, and what the action returned."""
    wrk = harness.Wrk(base_url, paths, connections, timeout_seconds=HANG_SECONDS)
    started = time.monotonic()
    try:
        result = action()
    finally:
        counts = wrk.stop()
    counts["seconds"] = time.monotonic() - started
    print(f"  {name}: {counts['requests']} requests", flush=True)
    return counts, result


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database",
        default=harness.DEFAULT_DATABASE,
        help=f"a migrated database on 127.0.0.1:5432 (default: {harness.DEFAULT_DATABASE}, "
        "made with the demo newsroom if missing)",
    )
    parser.add_argument("--port", type=int, default=8300, help="gunicorn's port on 127.0.0.1")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16, help="wrk's connections")
    parser.add_argument("--down", type=float, default=8.0, help="seconds PostgreSQL stays down")
    parser.add_argument(
        "--page-cache-seconds",
        type=int,
        default=0,
        help="NEWSROOM_PAGE_CACHE_SECONDS for the site; 0 (the default) makes every request "
        "need the database, the hardest case",
    )
    parser.add_argument("--redis-url", help="REDIS_URL for the site (default: files in a temp dir)")
    parser.add_argument(
        "--rehearse",
        action="store_true",
        help="stop and start a throwaway PostgreSQL of the script's own instead of the "
        "machine's (on --pg-port): a rehearsal that disturbs nobody",
    )
    parser.add_argument("--pg-port", type=int, default=8340, help="the rehearsal's PostgreSQL port")
    args = parser.parse_args()
    if not 1 <= args.down <= 60 or not 1024 <= args.port <= 65535:
        parser.error("--down must be 1–60 seconds and --port 1024–65535")
    if args.rehearse and args.database != harness.DEFAULT_DATABASE:
        parser.error("a rehearsal makes its own database: leave --database out")

    # SIGTERM too must start PostgreSQL again: make it unwind like Ctrl+C.
    signal.signal(signal.SIGTERM, interrupted)
    cluster = ThrowawayCluster(args.pg_port) if args.rehearse else MachineCluster()
    try:
        return exercise(args, cluster)
    finally:
        cluster.remove()


def exercise(args, cluster):
    if not pg_ready(cluster.port):
        sys.exit(f"PostgreSQL is not running on 127.0.0.1:{cluster.port}: nothing to restart.")
    var_dir = harness.fresh_var_dir()
    env = harness.site_environment(
        args.database,
        var_dir,
        args.port,
        args.workers,
        args.page_cache_seconds,
        args.redis_url,
        cluster.port,
    )
    harness.prepare(args.database, env, cluster.port)
    base_url = f"http://{harness.HOST}:{args.port}"
    log_path = var_dir / "gunicorn.log"
    failures, rows = [], []
    stopped = False
    try:
        # Workers are not recycled meanwhile: a worker replaced after its
        # max_requests would be counted as one the fault took down.
        with harness.gunicorn(env, log_path, extra=["--max-requests", "0"]) as master:
            harness.wait_until_up(base_url, master)
            paths = ["/", harness.a_story(base_url)]
            harness.warm_up(base_url, paths)
            workers_before = set(harness.workers_of(master.pid))
            print(f"gunicorn {master.pid}, workers {sorted(workers_before)}; paths {paths}")
            prober = Prober(base_url, paths)
            prober.start()

            def measure(name, action):
                counts, result = phase(name, base_url, paths, args.connections, action)
                rows.append((name, counts))
                return result

            measure("up", lambda: time.sleep(5))

            def stop_and_wait():
                nonlocal stopped
                stopped = True
                result = cluster.control("stop")
                if result.returncode != 0:
                    raise RuntimeError(f"pg_ctlcluster stop failed: {result.stderr}")
                time.sleep(args.down)

            measure("down", stop_and_wait)

            def start_and_wait():
                result = cluster.control("start")
                if result.returncode != 0 or not wait_for(lambda: pg_ready(cluster.port), 60):
                    raise RuntimeError(f"PostgreSQL did not come back: {result.stderr}")
                return time.monotonic()

            back_at = measure("starting", start_and_wait)
            stopped = False
            measure("back 0–5 s", lambda: time.sleep(RECOVERY_SECONDS))
            measure("back 5 s+", lambda: time.sleep(10))
            prober.running = False
            prober.join(timeout=HANG_SECONDS + 5)
            workers_after = set(harness.workers_of(master.pid))
    finally:
        if stopped or not pg_ready(cluster.port):
            print("Starting PostgreSQL again …", flush=True)
            cluster.control("start")
            if not wait_for(lambda: pg_ready(cluster.port), 60):
                print("PostgreSQL is NOT back: start it by hand!", file=sys.stderr)

    print()
    print(harness.table(rows))

    # What the prober saw after the database was back.
    late = [(m - back_at, s, secs) for m, s, secs in prober.seen if m >= back_at]
    failed_late = [(t, s) for t, s, _ in late if s != 200]
    last_failure = max((t for t, _ in failed_late), default=None)
    down_seen = [(s, secs) for m, s, secs in prober.seen if m < back_at]
    print()
    print(f"Prober: {len(prober.seen)} requests one at a time; while down or starting, "
          f"answers {summary(s for s, _ in down_seen)}, "
          f"median {median_ms(secs for _, secs in down_seen)} ms.")  # fmt: skip
    if last_failure is None:
        print("Prober: every request succeeded from the moment PostgreSQL was back.")
    else:
        print(f"Prober: last failure {last_failure:.1f} s after PostgreSQL was back.")

    log = log_path.read_text()
    worker_timeouts = log.count("WORKER TIMEOUT")
    outage_lines = log.count("The database cannot be reached")
    print(f"gunicorn: workers before {sorted(workers_before)}, after {sorted(workers_after)}; "
          f"{worker_timeouts} worker timeouts; {outage_lines} outage lines.")  # fmt: skip

    by_name = dict(rows)
    if any(by_name["up"][k] for k in ("500", "other 5xx", "503", "timeouts", "read errors")):
        failures.append("errors while everything was up: the test proves nothing")
    for name in ("down", "starting"):
        counts = by_name[name]
        if counts["500"] or counts["other 5xx"] or counts["other"]:
            failures.append(f"{name}: answers other than 200 or 503")
        if counts["timeouts"] or counts["read errors"] or counts["p99 ms"] > HANG_SECONDS * 1000:
            failures.append(f"{name}: answers slower than {HANG_SECONDS:.0f} s, or none")
    if by_name["down"]["503"] == 0 and not args.page_cache_seconds:
        failures.append("down: not one 503 page; was the database really needed?")
    after = by_name["back 5 s+"]
    if after["200"] != after["requests"] or after["timeouts"] or after["read errors"]:
        failures.append("back 5 s+: not every request succeeded")
    if last_failure is not None and last_failure > RECOVERY_SECONDS:
        failures.append(f"a request failed {last_failure:.1f} s after PostgreSQL was back")
    if any(s is None for s, _ in down_seen):
        failures.append("the prober waited in vain for an answer while PostgreSQL was down")
    if worker_timeouts or workers_after != workers_before:
        failures.append("a worker hung or was replaced")

    print()
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("PASSED: no 500 and no hang while PostgreSQL was down, every request served again "
          f"within {RECOVERY_SECONDS:.0f} s of its return.")  # fmt: skip
    return 0


def interrupted(signum, frame):
    raise KeyboardInterrupt


def summary(statuses):
    counts = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{s or 'none'} × {n}" for s, n in sorted(counts.items(), key=str)) or "none"


def median_ms(seconds):
    seconds = list(seconds)
    return f"{statistics.median(seconds) * 1000:.0f}" if seconds else "–"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # PostgreSQL was started again on the way here (see exercise()).
        sys.exit("Interrupted.")
