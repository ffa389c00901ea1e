#!/usr/bin/env python3
"""
How long one reader waits for search, uncached, on an archive bench/archive.py made.

    .venv/bin/python bench/search.py [--stories 100000] [--workers 2] [--duration 10]

bench/archive.py measures search under sixteen connections at once, where a
request's time is mostly its wait in the queue. This measures the answer
itself: gunicorn serves the archive's Newsroom with the page cache off, and
``wrk -c1`` (one reader at a time) asks for a common word («Казахстан», in
two stories of three), a word in one story of ten («помощи»), a rare one
(«Байконур») and two words, each for --duration seconds. It prints p50, p99
and requests per second, and writes them to bench/results/search-<N>.md.
"""

import argparse
import datetime
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.archive import (  # noqa: E402
    HOST,
    Servers,
    free_ports,
    git_commit,
    gunicorn,
    machine,
    newsroom_env,
    parse_wrk,
)

WORDS = ["Казахстан", "помощи", "Байконур", "Казахстан экономика"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=100000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    options.database_url = (
        options.database_url or f"postgres://postgres@{HOST}:5432/newsroom_bench_{options.stories}"
    )
    name = options.database_url.rsplit("/", 1)[-1]
    var_dir = Path("/tmp/newsroom-bench") / name
    run_dir = var_dir / "runs" / f"search-{datetime.datetime.now():%Y%m%d-%H%M%S}"
    run_dir.mkdir(parents=True, exist_ok=True)
    (port,) = free_ports(1)
    servers = Servers()
    rows = []
    try:
        app = "newsroom.wsgi:application"
        server = servers.start(
            "newsroom", gunicorn(app, options.workers, port), newsroom_env(options, var_dir, port),
            run_dir,
        )  # fmt: skip
        servers.wait_ready(server, port, "/")
        for words in WORDS:
            url = f"http://{HOST}:{port}/search/?q={quote(words)}"
            wrk(url, 2)  # warm up
            result = parse_wrk(wrk(url, options.duration))
            rows.append((words, result))
            print(
                f"{words:<22} p50 {result['p50']:7.1f} ms  p99 {result['p99']:7.1f} ms  "
                f"{result['rps']:6.1f} req/s  errors {result['errors']}",
                flush=True,
            )
    finally:
        servers.stop_all()
    lines = [
        f"# Search, one reader at a time, {options.stories:,} stories",
        "",
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; commit {git_commit()}",
        f"- Machine: {machine()}",
        f"- gunicorn, {options.workers} sync workers, page cache off; "
        f"`wrk -t1 -c1 -d{options.duration}s --latency`",
        "",
        "| words | p50 ms | p99 ms | req/s | errors |",
        "| --- | --: | --: | --: | --: |",
        *(
            f"| {words} | {r['p50']:.1f} | {r['p99']:.1f} | {r['rps']:.1f} | {r['errors']} |"
            for words, r in rows
        ),
        "",
    ]
    out = Path(__file__).resolve().parent / "results" / f"search-{options.stories}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines))
    print(f"Written to {out}")


def wrk(url, duration):
    import subprocess

    argv = ["wrk", "-t1", "-c1", f"-d{duration}s", "--latency", url]
    return subprocess.run(
        argv, capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout


if __name__ == "__main__":
    main()
