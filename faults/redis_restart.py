#!/usr/bin/env python3
"""
Redis stopped and started again while wrk loads the site: no 5xx, pages served throughout.

    .venv/bin/python faults/redis_restart.py --rehearse   # a Redis of its own: disturbs nobody
    .venv/bin/python faults/redis_restart.py              # the machine's Redis on 127.0.0.1:6379
        [--down 8] [--database NAME] [--port 8302] [--workers 2]

On this machine only (127.0.0.1): gunicorn with gunicorn.conf.py serves the
demo newsroom with the page cache on and REDIS_URL set, as in production, and
wrk (16 connections) asks for the front page, a story and a section through
three phases: *up*; *down*, Redis stopped for --down seconds; *back*, 10 s
after it was started again (empty: it keeps nothing on disk). Meanwhile a
prober asks once at a time. It fails (exit 1) on any answer other than 200,
any request without an answer or slower than 3 s, and if the site has not
stored pages in Redis again within 5 s of Redis being back (the cache came
back by itself). Redis is started again on the way out whatever happens.

--rehearse starts a redis-server of its own on --redis-port (8342), stops and
starts that one, and stops it at the end. Without it, the machine's Redis is
stopped with SHUTDOWN NOSAVE and started with the command the machine uses.
"""

import argparse
import shlex
import subprocess
import sys
import threading
import time

import harness

MACHINE_REDIS_START = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
    "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
)
BACK_SECONDS = 10
CACHE_BACK_WITHIN = 5


class Redis:
    """The Redis the site uses: stopped and started on request, running again at the end."""

    def __init__(self, rehearse, port):
        self.rehearse, self.port = rehearse, port
        self.process = None
        if rehearse:
            self.start()

    @property
    def url(self):
        return f"redis://{harness.HOST}:{self.port}/0"

    def cli(self, *args, timeout=5):
        return subprocess.run(
            ["redis-cli", "-h", harness.HOST, "-p", str(self.port), *args],
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip

    def up(self):
        try:
            return self.cli("ping", timeout=2).stdout.strip() == "PONG"
        except subprocess.TimeoutExpired:
            return False

    def stop(self):
        if self.rehearse and self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        else:
            self.cli("shutdown", "nosave")
        self.wait(lambda: not self.up(), "Redis did not stop")

    def start(self):
        if self.up():
            return
        if self.rehearse:
            self.process = subprocess.Popen(
                ["redis-server", "--bind", harness.HOST, "--port", str(self.port),
                 "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        else:
            subprocess.run(shlex.split(MACHINE_REDIS_START), check=True, timeout=30)
        self.wait(self.up, "Redis did not start")

    def close(self):
        if self.rehearse:
            if self.process is not None:
                self.process.terminate()
                self.process.wait(timeout=10)
        else:
            self.start()  # the machine's Redis is left running, as it was found

    def keys(self, prefix):
        answer = self.cli("--scan", "--pattern", f"{prefix}*", timeout=10)
        return len(answer.stdout.split())

    @staticmethod
    def wait(condition, failure, seconds=15):
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                sys.exit(failure)
            time.sleep(0.1)


class Prober(threading.Thread):
    """One request at a time on the front page: every answer, with its moment."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url, self.answers, self.running = url, [], True

    def run(self):
        while self.running:
            status, seconds, _ = harness.get(self.url, timeout=3)
            self.answers.append((time.monotonic(), status, seconds))
            time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rehearse", action="store_true", help="a Redis of its own")
    parser.add_argument("--redis-port", type=int, default=8342, help="the rehearsal's Redis")
    parser.add_argument("--down", type=float, default=8, help="seconds Redis stays stopped")
    parser.add_argument(
        "--database",
        default=harness.DEFAULT_DATABASE,
        help=f"a migrated database on 127.0.0.1:5432 (default: {harness.DEFAULT_DATABASE}, "
        "made with the demo newsroom if missing)",
    )
    parser.add_argument("--port", type=int, default=8302, help="gunicorn's port on 127.0.0.1")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not 1 <= args.down <= 120:
        parser.error("--down must be 1–120 seconds")

    redis = Redis(args.rehearse, args.redis_port if args.rehearse else 6379)
    try:
        return drill(args, redis)
    except KeyboardInterrupt:
        print("\nInterrupted: Redis is started again.")
        return 130
    finally:
        redis.close()


def drill(args, redis):
    var_dir = harness.fresh_var_dir()
    env = harness.site_environment(args.database, var_dir, args.port, args.workers, 600, redis.url)
    prefix = env["NEWSROOM_CACHE_PREFIX"]
    harness.prepare(args.database, env)
    base_url = f"http://{harness.HOST}:{args.port}"
    rows, failures = [], []
    with harness.gunicorn(env, var_dir / "gunicorn.log", extra=["--max-requests", "0"]) as master:
        harness.wait_until_up(base_url, master)
        story = harness.a_story(base_url)
        section = "/" + story.strip("/").split("/")[0] + "/"
        paths = ["/", story, section]
        harness.warm_up(base_url, paths)
        workers = set(harness.workers_of(master.pid))
        prober = Prober(base_url + "/")
        prober.start()

        def phase(name, seconds, action=None):
            wrk = harness.Wrk(base_url, paths, connections=16, seconds=int(seconds) + 30)
            started = time.monotonic()
            try:
                if action is not None:
                    action()
                time.sleep(max(seconds - (time.monotonic() - started), 0))
            finally:
                counts = wrk.stop()
            counts["seconds"] = time.monotonic() - started
            rows.append((name, counts))

        print(f"gunicorn {master.pid}, Redis at {redis.url}; wrk -c16 on {paths}")
        phase("up", 5)
        phase("down", args.down, redis.stop)
        back_at = time.monotonic()
        stored = []

        def restart():
            redis.start()
            # The cache comes back by itself: pages are stored in Redis again.
            deadline = time.monotonic() + CACHE_BACK_WITHIN
            while time.monotonic() < deadline:
                if redis.keys(prefix):
                    stored.append(time.monotonic() - back_at)
                    return
                time.sleep(0.1)

        phase("back", BACK_SECONDS, restart)
        prober.running = False
        prober.join(timeout=5)
        if set(harness.workers_of(master.pid)) != workers:
            failures.append("a worker went away or was replaced")

    print()
    print(harness.table(rows))
    slow = [a for a in prober.answers if a[1] != 200 or a[2] > 3]
    print(f"\nThe prober asked {len(prober.answers)} times; {len(slow)} answers not 200 in 3 s.")
    if stored:
        print(f"Pages were stored in Redis again {stored[0]:.1f} s after it was started.")
    for name, counts in rows:
        if counts["requests"] == 0:
            failures.append(f"no request answered while {name}")
        if counts["requests"] != counts["200"]:
            failures.append(f"answers other than 200 while {name}")
        if counts["timeouts"] or counts["read errors"] or counts["connect errors"]:
            failures.append(f"requests without an answer while {name}")
    if slow:
        failures.append("the prober got an answer other than 200, or none within 3 s")
    if not stored:
        failures.append(f"no page was stored in Redis within {CACHE_BACK_WITHIN} s of its return")
    if failures:
        print("\nFAILED: " + "; ".join(failures))
        return 1
    print("\nPASSED: every request answered 200 while Redis was up, down and back,")
    print("and the site used Redis again by itself.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
