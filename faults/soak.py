#!/usr/bin/env python3
"""
A minute of readers at 64 connections: no 5xx, and each worker's memory at the start and the end.

    .venv/bin/python faults/soak.py [--seconds 60] [--database NAME] [--port 8301]

On this machine only (127.0.0.1): gunicorn with gunicorn.conf.py serves the
demo newsroom (a database it makes itself, unless --database names one
already migrated), and wrk asks for the front page, a story and a search for
--seconds. Workers are not recycled during the run (--max-requests 0), so
that a leak shows as growth instead of being hidden by a new worker. It
prints wrk's counts and each worker's resident memory (VmRSS) before and
after; the exit status is 1 on any 5xx, timeout or worker that went away.
"""

import argparse
import sys
import time
from urllib.parse import quote

import harness


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--database",
        default=harness.DEFAULT_DATABASE,
        help=f"a migrated database on 127.0.0.1:5432 (default: {harness.DEFAULT_DATABASE}, "
        "made with the demo newsroom if missing)",
    )
    parser.add_argument("--port", type=int, default=8301, help="gunicorn's port on 127.0.0.1")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--page-cache-seconds", type=int, default=600, help="NEWSROOM_PAGE_CACHE_SECONDS"
    )
    parser.add_argument("--redis-url", help="REDIS_URL for the site (default: files in a temp dir)")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 3600 or not 1 <= args.connections <= 1000:
        parser.error("--seconds must be 1–3600 and --connections 1–1000")

    var_dir = harness.fresh_var_dir()
    env = harness.site_environment(
        args.database, var_dir, args.port, args.workers, args.page_cache_seconds, args.redis_url
    )
    harness.prepare(args.database, env)
    base_url = f"http://{harness.HOST}:{args.port}"
    log_path = var_dir / "gunicorn.log"
    with harness.gunicorn(env, log_path, extra=["--max-requests", "0"]) as master:
        harness.wait_until_up(base_url, master)
        story = harness.a_story(base_url)
        # The demo newsroom writes about Almaty: a search that finds stories.
        paths = ["/", story, "/search/?q=" + quote("Алматы")]
        harness.warm_up(base_url, paths)
        before = {pid: harness.resident_kb(pid) for pid in harness.workers_of(master.pid)}
        print(f"gunicorn {master.pid}; {args.seconds} s of wrk -c{args.connections} on {paths}")
        wrk = harness.Wrk(base_url, paths, args.connections, seconds=args.seconds)
        try:
            time.sleep(args.seconds + 1)
        finally:
            counts = wrk.stop()
        counts["seconds"] = args.seconds
        after = {pid: harness.resident_kb(pid) for pid in harness.workers_of(master.pid)}

    print()
    print(harness.table([("soak", counts)]))
    print(f"\n{counts['requests'] / args.seconds:.0f} requests a second.\n")
    print("| worker | VmRSS at start | VmRSS at end | change |")
    print("|---|---|---|---|")
    for pid in sorted(before.keys() | after.keys()):
        start, end = before.get(pid), after.get(pid)
        change = f"{end - start:+d} KB" if start and end else "–"
        print(f"| {pid} | {kb(start)} | {kb(end)} | {change} |")

    failures = []
    if counts["500"] or counts["503"] or counts["other 5xx"]:
        failures.append("5xx answers")
    if counts["timeouts"] or counts["read errors"] or counts["connect errors"]:
        failures.append("requests without an answer")
    if before.keys() != after.keys():
        failures.append("a worker went away or was replaced")
    if failures:
        print("\nFAILED: " + "; ".join(failures))
        return 1
    print("\nPASSED: no 5xx, every request answered, the same workers throughout.")
    return 0


def kb(value):
    return f"{value / 1024:.1f} MB" if value else "–"


if __name__ == "__main__":
    sys.exit(main())
