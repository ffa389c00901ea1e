#!/usr/bin/env python3
"""
Newsroom's reader pages on a generated archive in PostgreSQL, served for real.

    .venv/bin/python bench/archive.py [--stories 100000] [--workers 2,4] [--duration 10]
        [--connections 16] [--database-url postgres://postgres@127.0.0.1:5432/newsroom_bench_N]
        [--redis-url redis://127.0.0.1:6379/5] [--wagtail-python /tmp/wagtail-venv/bin/python]
        [--out bench/results/archive-N.md] [--timeout SECONDS] [--skip-archive]

1. The archive: the database is created if missing; migrate, load_demo --no-editor,
   generate_archive --stories N (resumable: an existing archive is reused),
   renditions, collectstatic, VACUUM ANALYZE. Uploads, originals and static files
   live in /tmp/newsroom-bench/<database>/ (NEWSROOM_VAR_DIR). --skip-archive uses
   the archive as it stands.
2. The pages: a mid-archive Russian story with a lead photo, the front page, the
   biggest section's page 1 and 50, the most used tag, the busiest author, search
   for a common and a rare word, RSS and the story sitemap, found by asking the
   archive through Django.
3. For each worker count, gunicorn (sync workers, no access log) serves Newsroom
   twice: with the page cache off (every page is made) and on (600 s, REDIS_URL
   passed). Every page is warmed up for 2 s, then measured with
   ``wrk -t2 -c<connections> -d<duration>s --latency`` (with --timeout, wrk waits
   that long for an answer instead of its 2 s). Search is never cached, so it is
   measured with the cache off only. Cached pages are stored under a key prefix of
   this run's own (NEWSROOM_CACHE_PREFIX), deleted from Redis at the end.
4. Beside them: bench/minimal_site.py, one Django view returning, at each cached
   page's address, the bytes and content type Newsroom served from its cache,
   under the same gunicorn and worker count and measured on every cached page; and
   nginx serving the cached story's bytes as a static file.
5. Wagtail (with --wagtail-python): bench/wagtail_site.py builds the same archive
   once (a marker file records it), serves it and is measured on its story and
   its index's page 1 and 50.
6. Queries and bytes of each page, through Django's test client: one request with
   the page cache off, one repeated request with it on.
7. The largest gunicorn worker's resident memory after each run.

It prints one markdown table and writes it, with the machine, the date, the
command, N and the git commit, to --out. Every server it starts runs in its own
process group and is stopped on the way out, also on Ctrl+C or an error. Ports
are taken from 8100-8199, traffic goes to 127.0.0.1 only.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
GUNICORN = str(BIN / "gunicorn") if (BIN / "gunicorn").exists() else "gunicorn"
PORTS = range(8100, 8200)
HOST = "127.0.0.1"
SECRET_KEY = "newsroom-bench-archive-not-secret"
WARM_UP_SECONDS = 2
START_TIMEOUT = 90
COMMON_WORD, RARE_WORD = "Казахстан", "Байконур"
DEEP_PAGE = 50
MARK = "BENCH-JSON "

# The reader pages, in the table's order: key, label, cached by the site (search never is).
PAGES = [
    ("story", "story", True),
    ("front", "front page", True),
    ("section", "section, page 1", True),
    ("section_deep", "section, page 50", True),
    ("tag", "tag", True),
    ("author", "author", True),
    ("search_common", f"search «{COMMON_WORD}»", False),
    ("search_rare", f"search «{RARE_WORD}»", False),
    ("rss", "RSS", True),
    ("sitemap", "story sitemap", True),
]
# Which Wagtail page each Newsroom page is read against.
WAGTAIL_PEER = {
    "story": "story",
    "front": "index",
    "section": "index",
    "tag": "index",
    "section_deep": "index_page_50",
}
WAGTAIL_PAGES = [
    ("story", "Wagtail story"),
    ("index", "Wagtail index, page 1"),
    ("index_page_50", "Wagtail index, page 50"),
]


def main():
    options = parse_options()
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started in background
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    servers = Servers()
    try:
        report = run(options, servers)
    except KeyboardInterrupt:
        print("\nInterrupted: stopping the servers.", file=sys.stderr)
        sys.exit(130)
    finally:
        servers.stop_all()
        forget_cache(options)
    print(report)


def interrupted(signum, frame):
    raise KeyboardInterrupt


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--workers", default="2,4", help="comma-separated worker counts")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--timeout", type=int, help="seconds before wrk counts a request as timed out (wrk: 2)"
    )
    parser.add_argument("--database-url", help="default: …/newsroom_bench_<stories>")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--wagtail-python", help="a Python with Wagtail: measure Wagtail too")
    parser.add_argument(
        "--wagtail-date-index",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="index NewsPage.date, as a real Wagtail site of this size would (default: on)",
    )
    parser.add_argument("--out", help="default: bench/results/archive-<stories>.md")
    parser.add_argument(
        "--skip-archive", action="store_true", help="use the archive as it is: no step 1"
    )
    options = parser.parse_args()
    options.workers = [int(part) for part in options.workers.split(",") if part.strip()]
    if not options.workers or min(options.workers) < 1:
        parser.error("--workers needs positive numbers")
    if options.duration < 1 or options.connections < 1:
        parser.error("--duration and --connections must be positive")
    if not options.database_url:
        options.database_url = (
            f"postgres://postgres@127.0.0.1:5432/newsroom_bench_{options.stories}"
        )
    options.out = Path(options.out or ROOT / f"bench/results/archive-{options.stories}.md")
    options.stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    # Pages of this run only: nothing cached by an earlier run, another archive or another
    # worker count is served (settings read NEWSROOM_CACHE_PREFIX with REDIS_URL).
    options.cache_prefix = f"newsroom-bench:{options.stamp}"
    for url in (options.database_url, options.redis_url):
        if urlsplit(url).hostname not in {"127.0.0.1", "localhost"}:
            parser.error(f"{url}: only 127.0.0.1 is benchmarked")
    return options


def run(options, servers):
    started = time.monotonic()
    timings = {}
    database = urlsplit(options.database_url).path.lstrip("/")
    var_dir = Path("/tmp/newsroom-bench") / database
    run_dir = var_dir / "runs" / options.stamp
    run_dir.mkdir(parents=True, exist_ok=True)
    ports = free_ports(4)
    port = {"newsroom": ports[0], "minimal": ports[1], "nginx": ports[2], "wagtail": ports[3]}
    env = newsroom_env(options, var_dir, port["newsroom"])
    say(f"Archive {database}, files in {var_dir}, logs in {run_dir}, ports {ports}")

    # 1. The archive.
    if not options.skip_archive:
        with timed(timings, "create database"):
            ensure_database(options.database_url)
        for step, argv in [
            ("migrate", ["migrate", "--noinput"]),
            ("load_demo", ["load_demo", "--no-editor"]),
            ("generate_archive", ["generate_archive", "--stories", str(options.stories)]),
            ("renditions", ["renditions", "--formats", "jpeg,webp"]),
            ("collectstatic", ["collectstatic", "--noinput"]),
        ]:
            with timed(timings, step):
                manage(argv, env)
        with timed(timings, "VACUUM ANALYZE"):
            vacuum_analyze(options.database_url)

    # 2. The pages.
    with timed(timings, "find pages"):
        found = shell(
            FIND_PAGES,
            env | {"REDIS_URL": options.redis_url, "NEWSROOM_CACHE_PREFIX": options.cache_prefix},
        )
    pages = page_urls(found)
    problems = []
    if "redis" not in found["cache_backend"].lower():
        problems.append(
            f"REDIS_URL was passed, but the cache is {found['cache_backend']}: "
            "newsroom/settings.py does not read REDIS_URL"
        )

    # 5. Wagtail's copy of the archive, built once.
    wagtail = None
    if options.wagtail_python:
        with timed(timings, "Wagtail build"):
            wagtail = prepare_wagtail(options, var_dir, found, problems)

    # 6. Queries and bytes.
    with timed(timings, "queries and bytes"):
        counted = shell(
            COUNT_QUERIES,
            env
            | {
                "NEWSROOM_PAGE_CACHE_SECONDS": "0",
                "REDIS_URL": options.redis_url,
                "NEWSROOM_CACHE_PREFIX": f"{options.cache_prefix}:queries",
                "BENCH_PAGES": json.dumps([[key, url, cached] for key, url, cached in pages]),
            },
        )
    for key, row in counted.items():
        for status in (row["status"], row.get("cached_status", 200)):
            if status != 200:
                problems.append(f"{key} ({url_of(pages, key)}): the test client got {status}")

    # 3, 4, 7. Serve and measure, for each worker count.
    load = {"before": load_average()}
    if load["before"] > 1.0:
        problems.append(
            f"the machine was busy before the measurements (load average {load['before']:.2f} "
            f"on {os.cpu_count()} cores): other processes compete with the servers and wrk"
        )
    results, memory = {}, {}
    for workers in options.workers:
        results[workers], memory[workers] = {}, {}
        base = f"http://{HOST}:{port['newsroom']}"
        for mode, seconds in [("uncached", 0), ("cached", 600)]:
            mode_env = env | {"NEWSROOM_PAGE_CACHE_SECONDS": str(seconds)}
            if mode == "cached":
                mode_env["REDIS_URL"] = options.redis_url
                mode_env["NEWSROOM_CACHE_PREFIX"] = f"{options.cache_prefix}:w{workers}"
            with timed(timings, f"{workers} workers: Newsroom {mode}"):
                server = servers.start(
                    f"newsroom-{mode}-{workers}",
                    gunicorn("newsroom.wsgi:application", workers, port["newsroom"]),
                    mode_env,
                    run_dir,
                )
                servers.wait_ready(server, port["newsroom"], "/")
                for key, url, cacheable in pages:
                    if mode == "cached" and not cacheable:
                        continue
                    results[workers][(mode, key)] = measure(
                        base + url, options, problems, f"Newsroom {mode} {key}"
                    )
                memory[workers][f"Newsroom, {mode}"] = worker_memory(server.pid)
                if mode == "cached":
                    served = cached_pages(base, pages, problems)
                servers.stop(server)

        # 4. The same bytes from a minimal Django view, page by page, and from nginx.
        pages_map = write_pages(run_dir / "www", served)
        with timed(timings, f"{workers} workers: minimal view"):
            server = servers.start(
                f"minimal-{workers}",
                gunicorn("bench.minimal_site:application", workers, port["minimal"]),
                plain_env() | {"MINIMAL_SITE_PAGES": str(pages_map)},
                run_dir,
            )
            servers.wait_ready(server, port["minimal"], "/")
            for key, (url, body, _content_type) in served.items():
                result = measure(
                    f"http://{HOST}:{port['minimal']}{url}", options, problems, f"minimal {key}"
                )
                if result and result["bytes"] != len(body):
                    problems.append(
                        f"minimal {key} ({url}): {result['bytes']} bytes served, "
                        f"Newsroom's cache served {len(body)}"
                    )
                results[workers][("minimal", key)] = result
            memory[workers]["minimal view"] = worker_memory(server.pid)
            servers.stop(server)
        with timed(timings, f"{workers} workers: nginx"):
            server = servers.start(
                f"nginx-{workers}", nginx(run_dir, port["nginx"]), plain_env(), run_dir
            )
            servers.wait_ready(server, port["nginx"], "/")
            results[workers][("nginx", "page")] = measure(
                f"http://{HOST}:{port['nginx']}/", options, problems, "nginx"
            )
            servers.stop(server)

        # 5. Wagtail.
        if wagtail:
            with timed(timings, f"{workers} workers: Wagtail"):
                server = servers.start(
                    f"wagtail-{workers}",
                    wagtail_serve(wagtail, workers, port["wagtail"]),
                    plain_env(),
                    run_dir,
                )
                try:
                    servers.wait_ready(server, port["wagtail"], wagtail["urls"]["index"])
                    for key, _label in WAGTAIL_PAGES:
                        url = f"http://{HOST}:{port['wagtail']}{wagtail['urls'][key]}"
                        results[workers][("wagtail", key)] = measure(
                            url, options, problems, f"Wagtail {key}"
                        )
                    memory[workers]["Wagtail"] = worker_memory(server.pid)
                except RuntimeError as error:
                    problems.append(f"Wagtail with {workers} workers: {error}")
                finally:
                    servers.stop(server)

    load["after"] = load_average()
    problems += server_log_problems(run_dir)
    timings["total"] = time.monotonic() - started
    report = render(
        options, found, pages, counted, results, memory, timings, problems, run_dir, load
    )
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(report)
    say(f"Written to {options.out}")
    return report


# ---------------------------------------------------------------- the archive


def newsroom_env(options, var_dir, port):
    """The environment every Newsroom process of this run gets."""
    env = dict(os.environ)
    for name in (
        "REDIS_URL",
        "NEWSROOM_CACHE_PREFIX",
        "NEWSROOM_MEDIA_ROOT",
        "NEWSROOM_ORIGINALS_ROOT",
        "DJANGO_HTTPS",
    ):
        env.pop(name, None)
    # DJANGO_SETTINGS_MODULE, when set, is passed on (manage.py and wsgi.py only default it).
    env.update(
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=options.database_url,
        NEWSROOM_VAR_DIR=str(var_dir),
        NEWSROOM_SITE_URL=f"http://{HOST}:{port}",
        NEWSROOM_PAGE_CACHE_SECONDS="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def plain_env():
    """For servers that are not Newsroom: nothing of Django's settings."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "NEWSROOM_")) and name not in {"DATABASE_URL"}
    }


def maintenance_url(database_url):
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def ensure_database(database_url):
    import psycopg
    from psycopg import sql

    url, name = maintenance_url(database_url)
    with psycopg.connect(url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            say(f"Creating database {name}")
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def forget_cache(options):
    """Delete the keys this run put in Redis (and only those)."""
    try:
        import redis

        client = redis.Redis.from_url(options.redis_url, socket_timeout=5)
        keys = list(client.scan_iter(match=f"{options.cache_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        client.close()
    except Exception as error:  # tidying up must not hide the run's own outcome
        say(f"could not delete this run's Redis keys ({options.cache_prefix}:*): {error}")


def vacuum_analyze(database_url):
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def database_facts(database_url):
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
        size = connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return version, size


def manage(argv, env):
    say("manage.py " + shlex.join(argv))
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *argv], env=env, cwd=ROOT, check=True)


def shell(code, env):
    """Run code in `manage.py shell` and return the JSON it prints after MARK."""
    done = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK) :])
    raise RuntimeError(f"manage.py shell failed ({done.returncode}):\n{done.stdout}{done.stderr}")


FIND_PAGES = f"""
import json
from django.conf import settings
from django.db.models import Count
from django.utils import translation
from articles.models import Article, Section, Tag
from articles.views import STORIES_PER_PAGE
from newsroom.models import Author

translation.activate("ru")
edition = Article.objects.published().filter(language="ru")
with_photo = edition.filter(lead_photo__isnull=False).order_by("published_at", "pk")
count = with_photo.count()
story = with_photo[count // 2]

def busiest(field):
    return (
        edition.filter(**{{field + "__isnull": False}}).values(field)
        .annotate(n=Count("pk", distinct=True)).order_by("-n", field).first()
    )

section_row, tag_row, author_row = busiest("section"), busiest("tags"), busiest("bylines__author")
section = Section.objects.get(pk=section_row["section"])
tag = Tag.objects.get(pk=tag_row["tags"])
author = Author.objects.get(pk=author_row["bylines__author"])
pages = -(-section_row["n"] // STORIES_PER_PAGE)

def matches(word):
    # Roughly what search finds (Russian stemming only), for the report; None if it fails.
    try:
        from django.contrib.postgres.search import SearchQuery
        return edition.filter(search_vector=SearchQuery(word, config="russian")).count()
    except Exception:
        return None

print({MARK!r} + json.dumps({{
    "stories": Article.objects.count(),
    "published_ru": edition.count(),
    "with_photo_ru": count,
    "story": story.get_absolute_url(),
    "story_published_at": story.published_at.isoformat(),
    "section": section.get_absolute_url(),
    "section_stories": section_row["n"],
    "section_pages": pages,
    "deep_page": min({DEEP_PAGE}, pages),
    "tag": tag.get_absolute_url(),
    "tag_stories": tag_row["n"],
    "author": author.get_absolute_url(),
    "author_stories": author_row["n"],
    "common_matches": matches({COMMON_WORD!r}),
    "rare_matches": matches({RARE_WORD!r}),
    "cache_backend": settings.CACHES["default"]["BACKEND"],
}}))
"""

COUNT_QUERIES = f"""
import json, os
from django.conf import settings
from django.db import connection
from django.test import Client
from bench.timing import counting

client = Client(HTTP_HOST="127.0.0.1")

def counted(url):
    queries = []
    with connection.execute_wrapper(counting(queries)):
        response = client.get(url)
    return response, len(queries)

rows = {{}}
for key, url, cacheable in json.loads(os.environ["BENCH_PAGES"]):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    # The first request after a change draws what the page shows; the next ones
    # are made around the parts a worker keeps (articles/fragments.py).
    _response, drawn = counted(url)
    client.get(url)
    response, queries = counted(url)
    row = {{
        "status": response.status_code, "bytes": len(response.content),
        "drawn": drawn, "uncached": queries,
    }}
    if cacheable:
        settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
        client.get(url)
        response, queries = counted(url)
        row.update(cached=queries, cached_status=response.status_code)
    rows[key] = row
print({MARK!r} + json.dumps(rows))
"""


def page_urls(found):
    urls = {
        "story": found["story"],
        "front": "/",
        "section": found["section"],
        "section_deep": f"{found['section']}?page={found['deep_page']}",
        "tag": found["tag"],
        "author": found["author"],
        "search_common": "/search/?q=" + quote(COMMON_WORD),
        "search_rare": "/search/?q=" + quote(RARE_WORD),
        "rss": "/rss/",
        "sitemap": "/sitemaps/stories.xml",
    }
    return [(key, urls[key], cacheable) for key, _label, cacheable in PAGES]


def url_of(pages, wanted):
    return next(url for key, url, _cached in pages if key == wanted)


def cached_pages(base, pages, problems):
    """Each cacheable page as Newsroom serves it: {key: (url, bytes, content type)}."""
    served = {}
    for key, url, cacheable in pages:
        if not cacheable:
            continue
        status, body, content_type = fetch(base + url)
        if status != 200:
            problems.append(f"Newsroom cached {key} ({url}): answered {status} when fetched")
            continue
        served[key] = (url, body, content_type or "application/octet-stream")
    return served


def write_pages(www, served):
    """The pages' files in www/ (the story as story.html, for nginx) and the minimal
    site's map of full path to [file, content type]; returns the map's path."""
    www.mkdir(exist_ok=True)
    pages_map = {}
    for key, (url, body, content_type) in served.items():
        suffix = ".xml" if "xml" in content_type else ".html" if "html" in content_type else ""
        name = key + suffix
        (www / name).write_bytes(body)
        pages_map[url] = [name, content_type]
    path = www / "minimal-pages.json"
    path.write_text(json.dumps(pages_map, indent=1, ensure_ascii=False))
    return path


# ---------------------------------------------------------------- servers


class Server:
    def __init__(self, name, process, log):
        self.name, self.process, self.log = name, process, log

    @property
    def pid(self):
        return self.process.pid


class Servers:
    """Servers in their own process groups, all stopped by stop_all()."""

    def __init__(self):
        self.running = []

    def start(self, name, argv, env, run_dir):
        log = run_dir / f"{name}.log"
        say(f"Starting {name}: {shlex.join(argv)}")
        with open(log, "ab") as output:
            process = subprocess.Popen(
                argv,
                env=env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(name, process, log)
        self.running.append(server)
        return server

    def wait_ready(self, server, port, path):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(f"{server.name} exited at start:\n{tail(server.log)}")
            try:
                fetch(f"http://{HOST}:{port}{path}", timeout=30)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(
            f"{server.name} did not answer in {START_TIMEOUT} s:\n{tail(server.log)}"
        )

    def stop(self, server):
        process = server.process
        if process.poll() is None:
            for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
                try:
                    os.killpg(process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        # Workers left behind by a master that died first are in the same group.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if server in self.running:
            self.running.remove(server)

    def stop_all(self):
        for server in list(self.running):
            self.stop(server)


def gunicorn(app, workers, port):
    # No access log (gunicorn keeps none unless asked). No control socket: gunicorn's default
    # one, ~/.gunicorn/gunicorn.ctl, would be shared with any other gunicorn on the machine.
    return [
        GUNICORN,
        app,
        "--config",
        str(ROOT / "bench" / "gunicorn_bench.conf.py"),
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--no-control-socket",
    ]


NGINX_CONF = """\
daemon off;
worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log off;
    client_body_temp_path {dir}/nginx-temp/client;
    proxy_temp_path {dir}/nginx-temp/proxy;
    fastcgi_temp_path {dir}/nginx-temp/fastcgi;
    uwsgi_temp_path {dir}/nginx-temp/uwsgi;
    scgi_temp_path {dir}/nginx-temp/scgi;
    default_type "text/html; charset=utf-8";
    server {{
        listen {host}:{port};
        root {dir}/www;
        location / {{
            try_files /story.html =404;
        }}
    }}
}}
"""


def nginx(run_dir, port):
    (run_dir / "nginx-temp").mkdir(exist_ok=True)
    conf = run_dir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=run_dir, host=HOST, port=port))
    # nginx's workers drop root for nobody, who must be able to read the page.
    for folder in [run_dir, *run_dir.parents]:
        if folder == Path("/tmp"):
            break
        folder.chmod(folder.stat().st_mode | 0o055)
    story = run_dir / "www" / "story.html"
    if story.exists():  # else nginx answers 404, reported as a problem
        story.chmod(0o644)
    return ["nginx", "-c", str(conf), "-p", str(run_dir), "-e", str(run_dir / "nginx-error.log")]


def free_ports(count):
    ports = []
    for port in PORTS:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError(f"fewer than {count} free ports in {PORTS.start}-{PORTS.stop - 1}")


def fetch(url, timeout=60):
    """One GET without following redirects: status, body and content type."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Content-Type")
    finally:
        connection.close()


def worker_memory(master):
    """The largest resident memory of the master's children, in MB."""
    children_file = Path(f"/proc/{master}/task/{master}/children")
    try:
        children = [int(pid) for pid in children_file.read_text().split()]
    except OSError:
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                children.append(int(stat.parent.name))
    sizes = []
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        if found:
            sizes.append(int(found.group(1)) / 1024)
    return max(sizes) if sizes else None


def load_average():
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def tail(path, lines=30):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def server_log_problems(run_dir):
    problems = []
    for log in sorted(run_dir.glob("*.log")):
        text = log.read_text(errors="replace")
        for label, pattern in [
            ("server errors", r"Internal Server Error"),
            ("worker timeouts", r"WORKER TIMEOUT"),
            ("tracebacks", r"^Traceback"),
        ]:
            hits = len(re.findall(pattern, text, re.MULTILINE))
            if hits:
                problems.append(f"{log.name}: {hits} {label} (see {log})")
    return problems


# ---------------------------------------------------------------- measuring


SETTLE_SECONDS = 2


def measure(url, options, problems, name):
    """Check the page answers 200, warm it up, then wrk it; None if wrk failed."""
    try:
        status, body, _content_type = fetch(url)
    except OSError as error:
        problems.append(f"{name}: {url} did not answer: {error}")
        return None
    if status != 200:
        problems.append(f"{name}: {url} answered {status}")
    try:
        wrk(url, WARM_UP_SECONDS, options)
        result = parse_wrk(wrk(url, options.duration, options))
        # Sync workers go on answering what was queued when wrk stopped: let them
        # finish before the next page is measured.
        time.sleep(SETTLE_SECONDS)
    except (subprocess.SubprocessError, ValueError) as error:
        problems.append(f"{name}: wrk failed on {url}: {error}")
        return None
    if not result["requests"]:
        problems.append(f"{name}: not one request to {url} finished in {options.duration} s")
    return result | {"status": status, "bytes": len(body)}


def wrk_command(options, duration=None):
    connections = options.connections
    argv = ["wrk", f"-t{min(2, connections)}", f"-c{connections}"]
    argv += [f"-d{duration or options.duration}s", "--latency"]
    return argv + ([f"--timeout={options.timeout}s"] if options.timeout else [])


def wrk(url, duration, options):
    argv = [*wrk_command(options, duration), url]
    limit = duration + (options.timeout or 2) + 60
    done = subprocess.run(argv, capture_output=True, text=True, timeout=limit, check=True)
    return done.stdout


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_wrk(output):
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not rate:
        raise ValueError(f"no Requests/sec in wrk's output:\n{output}")
    result = {"rps": float(rate.group(1)), "p50": None, "p99": None}
    for percent in ("50", "99"):
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
        if found:
            result[f"p{percent}"] = float(found.group(1)) * UNITS[found.group(2)]
    requests = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    result["requests"] = int(requests.group(1)) if requests else 0
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    result["socket"] = dict(
        zip(
            ("connect", "read", "write", "timeout"),
            map(int, socket_errors.groups()) if socket_errors else (0, 0, 0, 0),
            strict=True,
        )
    )
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx_3xx"] = int(non_ok.group(1)) if non_ok else 0
    result["errors"] = result["non_2xx_3xx"] + sum(result["socket"].values())
    if result["requests"] <= result["socket"]["timeout"]:
        # Every request timed out: wrk has no latency to report, only zeros.
        result["p50"] = result["p99"] = None
    return result


# ---------------------------------------------------------------- Wagtail


def prepare_wagtail(options, var_dir, found, problems):
    python = Path(options.wagtail_python)
    script = ROOT / "bench" / "wagtail_site.py"
    if not python.exists():
        problems.append(f"Wagtail skipped: {python} does not exist")
        return None
    if not script.exists():
        problems.append("Wagtail skipped: bench/wagtail_site.py does not exist yet")
        return None
    workdir = var_dir / "wagtail"
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = wagtail_database(options.database_url)
    marker = workdir / "built.json"
    wanted = {
        "stories": options.stories,
        "source": options.database_url,
        "database": database_url,
        # A rebuilt Newsroom archive is copied again.
        "archive": [found["stories"], found["story"]],
        "date_index": options.wagtail_date_index,
    }
    try:
        if not (marker.exists() and json.loads(marker.read_text()) == wanted):
            # build drops and creates its database itself (only wagtail_bench* ones).
            argv = [
                str(python),
                str(script),
                "build",
                "--workdir",
                str(workdir),
                "--database-url",
                database_url,
                "--source-database-url",
                options.database_url,
                "--source-media",
                str(var_dir / "originals"),
                "--stories",
                str(options.stories),
            ] + (["--date-index"] if options.wagtail_date_index else [])
            say("Building Wagtail: " + shlex.join(argv))
            subprocess.run(argv, cwd=ROOT, env=plain_env(), check=True)
            marker.write_text(json.dumps(wanted))
        else:
            say(f"Wagtail already built in {workdir}")
        done = subprocess.run(
            [str(python), str(script), "urls", "--workdir", str(workdir)]
            + ["--database-url", database_url],
            cwd=ROOT,
            env=plain_env(),
            capture_output=True,
            text=True,
            check=True,
        )
        urls = json.loads(done.stdout.strip().splitlines()[-1])
        urls = {key: local_path(urls[key]) for key, _label in WAGTAIL_PAGES}
    except (subprocess.SubprocessError, ValueError, KeyError, IndexError) as error:
        problems.append(f"Wagtail skipped: {error}")
        return None
    return {
        "python": python,
        "script": script,
        "workdir": workdir,
        "database_url": database_url,
        "urls": urls,
    }


def wagtail_database(database_url):
    """newsroom_bench_N's copy is wagtail_bench_N: wagtail_site.py rebuilds only wagtail_bench*."""
    name = urlsplit(database_url).path.lstrip("/")
    name = "wagtail_bench_" + name.removeprefix("newsroom_bench_")
    return urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))


def local_path(url):
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def wagtail_serve(wagtail, workers, port):
    return [
        str(wagtail["python"]),
        str(wagtail["script"]),
        "serve",
        "--workdir",
        str(wagtail["workdir"]),
        "--database-url",
        wagtail["database_url"],
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]


# ---------------------------------------------------------------- the report


def render(options, found, pages, counted, results, memory, timings, problems, run_dir, load):
    labels = {key: label for key, label, _cached in PAGES}
    if found["deep_page"] != DEEP_PAGE:
        labels["section_deep"] = f"section, page {found['deep_page']} (the last)"
    urls = dict((key, url) for key, url, _cached in pages)
    has_wagtail = any(server == "wagtail" for w in options.workers for server, _ in results[w])

    header = ["page"]
    for workers in options.workers:
        header += [
            f"{workers}w req/s",
            f"{workers}w p50 ms",
            f"{workers}w p99 ms",
            f"{workers}w err",
        ]
        header += [f"{workers}w ÷ minimal"]
        if has_wagtail:
            header += [f"{workers}w ÷ Wagtail"]
    header += ["queries (drawn / made / cached)", "bytes"]

    def cells(row_key, page_key=None, mode=None):
        out = []
        for workers in options.workers:
            result = results[workers].get(row_key)
            out += numbers(result)
            minimal = results[workers].get(("minimal", page_key))
            out.append(ratio(result, minimal) if mode == "cached" else "")
            if has_wagtail:
                peer = WAGTAIL_PEER.get(page_key) if mode else None
                out.append(ratio(result, results[workers].get(("wagtail", peer))) if peer else "")
        return out

    def served_bytes(row_key):
        # As served: the minimal view and nginx send the cached page gunicorn sent.
        sizes = (results[w].get(row_key) for w in options.workers)
        return next((str(result["bytes"]) for result in sizes if result), "")

    rows = []
    for key, _url, cacheable in pages:
        row = counted[key]
        for mode in ("uncached", "cached") if cacheable else ("uncached",):
            queries = f"{row['drawn']} / {row['uncached']} / {row.get('cached', '—')}"
            rows.append(
                [
                    f"{labels[key]}, {mode}",
                    *cells((mode, key), key, mode),
                    queries,
                    str(row["bytes"]),
                ]
            )
        if cacheable:
            # Right under the cached row: the minimal view returning that page's bytes.
            rows.append(
                [
                    f"{labels[key]}, minimal Django view",
                    *cells(("minimal", key)),
                    "0",
                    served_bytes(("minimal", key)),
                ]
            )
    rows.append(
        [
            "nginx static file (story's bytes)",
            *cells(("nginx", "page")),
            "—",
            served_bytes(("nginx", "page")),
        ]
    )
    if has_wagtail:
        for key, label in WAGTAIL_PAGES:
            size = served_bytes(("wagtail", key))
            rows.append([label, *cells(("wagtail", key)), "—", size])

    table = [md_row(header), md_row(["---"] + ["--:"] * (len(header) - 1))]
    table += [md_row(row) for row in rows]

    memory_header = ["gunicorn, largest worker RSS MB"] + [f"{w} workers" for w in options.workers]
    servers = list(dict.fromkeys(name for w in options.workers for name in memory[w]))
    memory_table = [md_row(memory_header), md_row(["---"] + ["--:"] * len(options.workers))]
    for name in servers:
        memory_table.append(md_row([name] + [fmt(memory[w].get(name), 0) for w in options.workers]))

    version, size = database_facts(options.database_url)
    pages_list = [f"- {labels[key]}: `{url}`" for key, url in urls.items()]
    lines = [
        f"# Newsroom on a {options.stories:,}-story archive",
        "",
        f"- Date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- Command: `{shlex.join([relative(PYTHON), *sys.argv])}`",
        f"- Git commit: {git_commit()}",
        f"- Machine: {machine()}; load average {load['before']:.2f} before the "
        f"measurements, {load['after']:.2f} after",
        f"- Software: PostgreSQL {version}, Python {platform.python_version()}, "
        f"{tool_version([GUNICORN, '--version'])}, {tool_version(['nginx', '-v'])}, "
        f"{tool_version(['wrk', '-v'])}",
        f"- Archive: {found['stories']:,} stories ({found['published_ru']:,} published in Russian, "
        f"{found['with_photo_ru']:,} of them with a lead photo), database "
        f"{size / 2**20:,.0f} MB",
        f"- Load: `{shlex.join(wrk_command(options))}`, after "
        f"{WARM_UP_SECONDS} s of warm-up per page; gunicorn sync workers, no access log",
        f"- Page cache: off (`NEWSROOM_PAGE_CACHE_SECONDS=0`) or on (600 s, "
        f"`REDIS_URL={options.redis_url}`); "
        f"the cache backend was {found['cache_backend']}",
        "",
        "Errors are non-2xx/3xx answers plus socket errors (connect, read, write, timeout "
        f"after {options.timeout or 2} s; timed-out requests are left out of p50 and p99). "
        "Each cached row is followed by a minimal Django view (bench/minimal_site.py: no "
        "middleware, database or templates) returning, at the same address, the bytes and "
        "content type that page had in Newsroom's cache; ÷ minimal is the cached row's req/s "
        "over that row's. nginx serves the cached story's bytes as a static file. "
        "÷ Wagtail: Newsroom's story over Wagtail's story, front page, section page 1 and tag "
        "over Wagtail's index page 1, section page 50 over Wagtail's index page 50 (Wagtail "
        "makes every page: on a cached row the ratio is the page cache's gain). "
        "Queries and bytes come from Django's test client: *drawn* is a page's first "
        "request after a change readers see (a publication, an edit), *made* a request "
        "with the page cache off once a worker keeps the page's parts (a story's own "
        "parts per version of what they show, what depends on other stories per site "
        "state: articles/fragments.py), *cached* a page from the page cache.",
        "",
        *table,
        "",
        *memory_table,
        "",
        "## Pages",
        "",
        *pages_list,
        f"- The section has {found['section_stories']:,} stories ({found['section_pages']} "
        f"pages), the tag {found['tag_stories']:,}, the author {found['author_stories']:,}; "
        f"«{COMMON_WORD}» is in about {found['common_matches']} stories, «{RARE_WORD}» "
        f"in {found['rare_matches']}",
        "",
        "## Errors in detail",
        "",
        *error_details(options, results, labels),
        "",
        "## Problems seen",
        "",
        *([f"- {problem}" for problem in problems] or ["- none"]),
        "",
        "## Time taken",
        "",
        *[f"- {step}: {seconds:,.1f} s" for step, seconds in timings.items()],
        "",
        f"Server logs: `{run_dir}`",
        "",
    ]
    return "\n".join(lines)


def error_details(options, results, labels):
    lines = []
    for workers in options.workers:
        for (server, key), result in results[workers].items():
            if result and result["errors"]:
                socket_errors = ", ".join(f"{k} {v}" for k, v in result["socket"].items() if v)
                lines.append(
                    f"- {workers} workers, {server} {labels.get(key, key)}: "
                    f"{result['non_2xx_3xx']} non-2xx/3xx of {result['requests']} requests"
                    + (f"; socket errors: {socket_errors}" if socket_errors else "")
                )
    return lines or ["- none"]


def numbers(result):
    if result is None:
        return ["failed", "", "", ""]
    return [
        fmt(result["rps"], 1 if result["rps"] < 100 else 0),
        fmt(result["p50"], 2 if (result["p50"] or 0) < 10 else 1),
        fmt(result["p99"], 2 if (result["p99"] or 0) < 10 else 1),
        str(result["errors"]),
    ]


def ratio(result, other):
    if not result or not other or not other["rps"]:
        return ""
    return f"{result['rps'] / other['rps']:.2f}"


def fmt(value, digits):
    return "—" if value is None else f"{value:,.{digits}f}"


def md_row(cells):
    return "| " + " | ".join(cells) + " |"


def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        found = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        memory = f", {int(found.group(1)) / 2**20:.1f} GB memory"
    except (OSError, AttributeError):
        pass
    return f"{model}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}"


def git_commit():
    def git(*argv):
        return subprocess.run(
            ["git", *argv], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "HEAD") or "unknown"
    changed = len(git("status", "--porcelain", "--untracked-files=no").splitlines())
    return f"{commit}" + (f" (with uncommitted changes in {changed} files)" if changed else "")


def tool_version(argv):
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    except OSError:
        return f"{argv[0]} (missing)"
    text = (done.stdout + done.stderr).strip().splitlines()
    first = text[0] if text else argv[0]
    return first.replace("nginx version: ", "").split(" [")[0].split(" Copyright")[0]


def relative(path):
    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        return str(path)


class timed:
    """with timed(timings, "step"): records the step's seconds."""

    def __init__(self, timings, step):
        self.timings, self.step = timings, step

    def __enter__(self):
        self.started = time.monotonic()

    def __exit__(self, *exc):
        self.timings[self.step] = time.monotonic() - self.started
        say(f"{self.step}: {self.timings[self.step]:.1f} s")


def say(message):
    print(f"[archive] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
