"""
nginx in front of two gunicorn instances, with the shipped configuration
(deploy/nginx/newsroom.conf): readers' pages come from nginx's cache, a
change made through either instance shows on the next request, and nothing
signed-in, no admin page and no share link is ever kept.

PostgreSQL only: the gunicorn processes must see the rows the test commits.
Needs nginx (Debian's nginx-light) and Redis (NEWSROOM_TEST_REDIS_URL); without
them the tests skip and say why, except in CI, where they fail.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from articles.models import Article, PreviewLink
from tests.conftest import TEST_REDIS_URL
from tests.factories import make_article, make_editor, make_section
from tests.processes import database_url_for_processes, wait_for
from tests.reader_routes import walk

ROOT = Path(__file__).resolve().parents[2]
SITE_CONF = ROOT / "deploy" / "nginx" / "newsroom.conf"
NGINX = os.environ.get("NEWSROOM_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
# The first of ten ports in a row for the test's servers (nginx and gunicorn).
FIRST_PORT = int(os.environ.get("NEWSROOM_TEST_FRONT_PORT", "8420"))
SECRET_KEY = "only-for-tests"  # tests/settings.py's: sessions made here work there
START_SECONDS = 30


def _unavailable():
    if connection.vendor != "postgresql":
        return "needs PostgreSQL (set DATABASE_URL): gunicorn must see the rows the test commits"
    if not os.access(NGINX, os.X_OK):
        return f"no nginx at {NGINX} (on Debian: apt-get install nginx-light)"
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError as error:
        return f"no Redis at {TEST_REDIS_URL} ({error})"
    return None


def _ports():
    """Ports for the servers a test starts, ten at most, in a row from FIRST_PORT."""
    # Not ports the system picks: those are the ones it also gives outgoing
    # connections (the instances' own, to PostgreSQL and Redis), and one taken
    # between the pick and the start fails the test.
    return iter(range(FIRST_PORT, FIRST_PORT + 10))


def render_site_conf(*, listen, upstreams, cache_dir, temp_dir, static_dir, uploads_dir):
    """The shipped file with this test's addresses and folders in place of its defaults."""
    text = SITE_CONF.read_text()
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in upstreams)
    replacements = [
        ("    server 127.0.0.1:8001;\n    server 127.0.0.1:8002;\n", servers),
        ("listen 80;", f"listen 127.0.0.1:{listen};"),
        ("/var/cache/nginx/newsroom-temp;", f"{temp_dir};"),
        ("/var/cache/nginx/newsroom ", f"{cache_dir} "),
        ("/srv/newsroom/var/static/", f"{static_dir}/"),
        ("/srv/newsroom/var/uploads/", f"{uploads_dir}/"),
    ]
    for default, value in replacements:
        # The file changed under the test: make the test follow it, never guess.
        assert text.count(default) == 1, f"{SITE_CONF} no longer has {default!r} once"
        text = text.replace(default, value)
    return text


def main_conf(folder, site):
    user = "user root root;" if os.geteuid() == 0 else ""
    temp = {name: folder / name for name in ("body", "fastcgi", "uwsgi", "scgi")}
    return f"""
{user}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log notice;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {temp["body"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {site};
}}
"""


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    @property
    def cache_status(self):
        return self.headers.get("X-Cache-Status")

    def cookie(self, name):
        for value in self.headers.get_all("Set-Cookie") or []:
            found = re.match(rf"{name}=([^;]*)", value)
            if found:
                return found.group(1)
        return None


def request(port, path, *, method="GET", cookies=None, form=None, timeout=15):
    headers = {"Host": "127.0.0.1"}
    body = None
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    link = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        link.request(method, path, body=body, headers=headers)
        answer = link.getresponse()
        return Response(answer.status, answer.headers, answer.read())
    finally:
        link.close()


def wait_until_serving(port, process, log):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"a server on port {port} stopped at start:\n{log.read_text()[-3000:]}")
        try:
            if request(port, "/robots.txt", timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"nothing answered on port {port} in {START_SECONDS} s:\n{log.read_text()[-3000:]}")


def wait_until_listening(port, process, log):
    """The port takes connections; asks the app nothing, so that no worker starts anything."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"a server on port {port} stopped at start:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nothing listened on port {port} in {START_SECONDS} s")


def watching_workers(prefix):
    """How many processes listen for a new site state (the key as Django's cache makes it)."""
    import redis

    from articles.caching import STATE_KEY

    channel = f"{prefix}:1:{STATE_KEY}"
    return redis.Redis.from_url(TEST_REDIS_URL).pubsub_numsub(channel)[0][1]


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The production settings serve hashed file names: collect once for every test here."""
    var = tmp_path_factory.mktemp("front-var")
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "NEWSROOM_VAR_DIR": str(var),
    }
    env.pop("DATABASE_URL", None)  # collectstatic reads no database
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return var


class Machine:
    """One machine: nginx on one port before the instances it names, with its cache folder."""

    def __init__(self, nginx, instances, cache_dir):
        self.nginx, self.instances, self.cache_dir = nginx, instances, cache_dir

    def cached_files(self):
        return [p for p in self.cache_dir.rglob("*") if p.is_file() and not p.name.startswith(".")]


class Front(Machine):
    """nginx before instances A and B, on one machine."""

    @property
    def a(self):
        return self.instances[0]

    @property
    def b(self):
        return self.instances[1]


@pytest.fixture
def servers(transactional_db, tmp_path, collected_static):
    """
    Starts machines: each an nginx with the shipped configuration and gunicorn
    instances (two workers each) sharing the test database and one Redis
    prefix. Everything started is stopped at the end, whatever happened.
    """
    reason = _unavailable()
    if reason:
        if os.environ.get("CI") and connection.vendor == "postgresql":
            pytest.fail(f"CI must run the front cache tests, but {reason}")
        pytest.skip(reason)
    prefix = f"front-test-{uuid.uuid4().hex[:12]}"
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    processes = []

    def start(name, instances, kind=Machine):
        folder = tmp_path / name
        cache_dir, temp_dir = folder / "cache", folder / "temp"
        cache_dir.mkdir(parents=True)
        temp_dir.mkdir()
        nginx_port = next(ports)
        upstreams = [next(ports) for _ in range(instances)]
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_CONN_MAX_AGE": "0",
            "DATABASE_URL": database_url_for_processes(),
            "REDIS_URL": TEST_REDIS_URL,
            "NEWSROOM_CACHE_PREFIX": prefix,
            "NEWSROOM_PAGE_CACHE_SECONDS": "600",
            "NEWSROOM_FRONT_CACHE_DIR": str(cache_dir),
            "NEWSROOM_VAR_DIR": str(collected_static),
            "NEWSROOM_MEDIA_ROOT": str(uploads),
            "NEWSROOM_SERVE_UPLOADS": "0",
        }

        def start_instances():
            started = []
            for port in upstreams:
                log = folder / f"gunicorn-{port}.log"
                gunicorn = [sys.executable, "-m", "gunicorn", "newsroom.wsgi"]
                options = ["-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "30"]
                process = subprocess.Popen(
                    gunicorn + options,
                    cwd=ROOT,
                    env=env,
                    stdout=log.open("a"),
                    stderr=subprocess.STDOUT,
                )
                processes.append(process)
                started.append((port, process, log))
            return started

        started = start_instances()
        site = folder / "newsroom.conf"
        site.write_text(
            render_site_conf(
                listen=nginx_port,
                upstreams=upstreams,
                cache_dir=cache_dir,
                temp_dir=temp_dir,
                static_dir=collected_static / "static",
                uploads_dir=uploads,
            )
        )
        conf = folder / "nginx.conf"
        conf.write_text(main_conf(folder, site))
        nginx = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(conf)],
            stdout=(folder / "nginx.out").open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(nginx)
        for port, process, log in started + [(nginx_port, nginx, folder / "error.log")]:
            wait_until_serving(port, process, log)
        machine = kind(nginx_port, upstreams, cache_dir)
        machine.prefix = prefix

        def restart():
            """A deploy: new instances, which have served nothing, behind the same nginx."""
            for _, process, _ in started:
                stop(process)
            started[:] = start_instances()
            for port, process, log in started:
                wait_until_listening(port, process, log)

        machine.restart = restart
        return machine

    ports = _ports()
    try:
        yield start
    finally:
        for process in reversed(processes):
            stop(process)
        # The instances' cache entries, so that Redis does not fill up run after run.
        import redis

        keys = redis.Redis.from_url(TEST_REDIS_URL)
        for key in keys.scan_iter(f"{prefix}:*"):
            keys.delete(key)


@pytest.fixture
def front(servers):
    return servers("front", 2, Front)


def signed_in(user):
    client = Client()
    client.force_login(user)  # the session row is committed: every instance reads it
    return {"sessionid": client.cookies["sessionid"].value}


def publish_through_admin(port, cookies, section, title):
    """An editor fills in the admin's new story form on one instance and saves it."""
    form_page = request(port, "/admin/articles/article/add/", cookies=cookies)
    assert form_page.status == 200
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.text).group(1)
    moment = timezone.localtime() - timedelta(minutes=5)
    form = {
        "csrfmiddlewaretoken": csrf,
        "section": section.pk,
        "title": title,
        "slug": "",
        "lead": "Лид материала, опубликованного через админку.",
        "body": "<p>Текст.</p>",
        "language": "ru",
        "translation_of": "",
        "lead_photo": "",
        "lead_photo_caption": "",
        "source_name": "",
        "source_url": "",
        "tags": "",
        "status": "published",
        "published_at_0": moment.strftime("%d.%m.%Y"),
        "published_at_1": moment.strftime("%H:%M"),
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "preview_links-TOTAL_FORMS": "0",
        "preview_links-INITIAL_FORMS": "0",
        "preview_links-MIN_NUM_FORMS": "0",
        "preview_links-MAX_NUM_FORMS": "1000",
    }
    csrf_cookie = form_page.cookie("csrftoken")
    saved = request(
        port,
        "/admin/articles/article/add/",
        method="POST",
        cookies=cookies | {"csrftoken": csrf_cookie},
        form=form,
    )
    assert saved.status == 302, saved.text[:3000]
    return Article.objects.get(title=title)


def test_a_page_fetched_twice_through_nginx_is_served_from_its_cache_the_second_time(front):
    make_article("Материал для кэша nginx")
    first = request(front.nginx, "/")
    second = request(front.nginx, "/")
    assert (first.status, first.cache_status) == (200, "MISS")
    assert (second.status, second.cache_status) == (200, "HIT")
    assert second.body == first.body
    assert "Материал для кэша nginx" in second.text
    assert front.cached_files(), "nginx keeps the page on disk, where the app can empty it"


def test_a_story_published_through_one_instance_shows_on_the_next_request_everywhere(front):
    section = make_section("Общество")
    make_article("Старый материал", section=section)
    editor = signed_in(make_editor())
    for _ in range(2):
        before = request(front.nginx, "/")
    assert before.cache_status == "HIT"
    assert "Материал из админки" not in before.text

    story = publish_through_admin(front.a, editor, section, "Материал из админки")

    through_nginx = request(front.nginx, "/")
    assert through_nginx.status == 200
    assert through_nginx.cache_status == "MISS"
    assert "Материал из админки" in through_nginx.text
    assert "Материал из админки" in request(front.b, "/").text
    assert request(front.nginx, story.get_absolute_url()).status == 200
    assert request(front.nginx, "/").cache_status == "HIT"


def test_a_story_published_on_one_machine_shows_through_the_other_machines_nginx(servers):
    section = make_section("Экономика")
    editor = signed_in(make_editor())
    first, second = servers("machine-1", 1), servers("machine-2", 1)
    for _ in range(2):
        before = request(second.nginx, "/")
    assert before.cache_status == "HIT"

    publish_through_admin(first.instances[0], editor, section, "Материал с первой машины")

    # The second machine's workers hear of it over Redis and empty their nginx's folder.
    assert wait_for(
        lambda: "Материал с первой машины" in request(second.nginx, "/").text, seconds=1.0
    )


def test_instances_restarted_behind_a_warm_nginx_still_empty_its_cache(servers):
    section = make_section("Спорт")
    editor = signed_in(make_editor())
    first, second = servers("machine-1", 1), servers("machine-2", 1)
    for _ in range(2):
        before = request(second.nginx, "/")
    assert before.cache_status == "HIT"

    # nginx now answers every reader itself: no request reaches the new workers.
    second.restart()
    assert wait_for(lambda: watching_workers(second.prefix) == 4, seconds=START_SECONDS), (
        "every worker of both instances listens from its start"
    )
    publish_through_admin(first.instances[0], editor, section, "Материал после выкладки")

    assert wait_for(
        lambda: "Материал после выкладки" in request(second.nginx, "/").text, seconds=1.0
    )


def test_a_story_unpublished_by_another_process_is_gone_from_nginx_once_the_instances_hear_of_it(
    front, settings
):
    story = make_article("Материал, который снимут")
    path = story.get_absolute_url()
    for _ in range(2):
        kept = request(front.nginx, path)
    assert (kept.status, kept.cache_status) == (200, "HIT")

    # Saved by a process with no nginx folder of its own (a command, another
    # machine): the instances hear of the new state over Redis and purge.
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.SharedRedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": front.prefix,
        }
    }
    story.status = Article.Status.UNPUBLISHED
    story.save()

    assert wait_for(lambda: request(front.nginx, path).status == 404, seconds=1.0)
    assert "Материал, который снимут" not in request(front.nginx, "/").text


def test_a_signed_in_editor_is_never_served_from_nor_kept_in_nginx_cache(front):
    make_article("Материал для редактора")
    editor = signed_in(make_editor())

    first = request(front.nginx, "/", cookies=editor)
    assert (first.status, first.cache_status) == (200, "BYPASS")
    assert "private" in first.headers["Cache-Control"]
    # What the editor was given was not kept: the first reader's request is a miss.
    assert request(front.nginx, "/").cache_status == "MISS"
    assert request(front.nginx, "/").cache_status == "HIT"
    # And the page readers get from nginx is never given to the editor.
    assert request(front.nginx, "/", cookies=editor).cache_status == "BYPASS"


def never_kept_addresses(link):
    """
    Every address of a route that is not a reader's page (not wrapped in
    reader_page), in every edition, from the URLconf's walk: a new route of
    that kind is asked here by itself. Photo files are meant to be kept.
    """
    examples = {
        "share": lambda route, language: route.reverse(language, token=link.token),
        "list": lambda route, language: f"{route.reverse(language)}?q=%D1%81%D1%81%D1%8B%D0%BB",
        "text": lambda route, language: route.reverse(language),
        # The readings' beacon, by the draft's id (no reading of it counts).
        "beacon": lambda route, language: route.reverse(language, pk=link.article_id),
        # The read API: every route, a story's by the draft's id (an unknown story there).
        "api": lambda route, language: route.reverse(
            language,
            **({"pk": link.article_id} if "pk" in route.pattern.pattern.converters else {}),
        ),
    }
    return [
        (kind, examples[kind](route, language))
        for route in walk()
        if route.kind != "file" and not getattr(route.pattern.callback, "is_reader_page", False)
        for kind in ["api" if route.name.startswith("api:") else route.kind]
        for language in route.languages
    ]


def test_the_admin_share_links_and_search_are_never_kept(front):
    editor = signed_in(make_editor())
    draft = make_article("Черновик по ссылке", published=False)
    link = PreviewLink.objects.create(article=draft)
    # Never even looked up: a location of their own, with no cache.
    located = [("/admin/login/", {}), ("/admin/", editor), ("/kk/admin/", editor)]
    located += [(url, {}) for kind, url in never_kept_addresses(link) if kind == "share"]
    for path, cookies in located:
        for _ in range(2):
            answer = request(front.nginx, path, cookies=cookies)
            assert answer.status in {200, 302}, path
            assert answer.cache_status is None, path
    # The read API too, whose answers say s-maxage: nginx would skip its key check
    # and rate limit.
    api = [path for kind, path in never_kept_addresses(link) if kind == "api"]
    assert len(api) >= 8
    for path in api:
        for _ in range(2):
            answer = request(front.nginx, path)
            assert answer.status in {200, 404}, path
            assert answer.cache_status is None, path
    # The beacon: every reading reaches the app, a published story's and a draft's.
    published = make_article("Читаемый материал")
    beacons = [
        (path.replace(f"/{link.article_id}/", f"/{story}/"), status)
        for kind, path in never_kept_addresses(link)
        if kind == "beacon"
        for story, status in [(link.article_id, 404), (published.pk, 204)]
    ]
    assert beacons
    for path, status in beacons:
        for _ in range(2):
            answer = request(front.nginx, path)
            assert (answer.status, answer.cache_status) == (status, None), path
    # Looked up, but search (and robots.txt) send no s-maxage: nginx keeps nothing
    # it is not told to.
    for kind, path in never_kept_addresses(link):
        if kind in {"share", "api", "beacon"}:
            continue
        for _ in range(2):
            answer = request(front.nginx, path)
            assert (answer.status, answer.cache_status) == (200, "MISS"), path
    assert not front.cached_files()

    link.expires_at = timezone.now() - timedelta(minutes=1)
    link.save()
    assert request(front.nginx, link.get_absolute_url()).status in {404, 410}
