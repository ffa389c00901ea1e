#!/usr/bin/env python3
"""
The Wagtail news site of bench/wagtail_pages.py on PostgreSQL, with Newsroom's own archive.

For serving both sites side by side under gunicorn and wrk (bench/archive.py runs
it). Run it with a Python that has Wagtail, psycopg and gunicorn (not ours):

    python3 -m venv /tmp/wagtail-venv
    /tmp/wagtail-venv/bin/pip install "wagtail==8.0.1" "Django>=5.2,<5.3" \\
        "psycopg[binary]" gunicorn
    PY=/tmp/wagtail-venv/bin/python
    $PY bench/wagtail_site.py build --workdir /tmp/wagtail-site \\
        --database-url postgres://postgres@127.0.0.1:5432/wagtail_bench \\
        --source-database-url postgres://postgres@127.0.0.1:5432/newsroom_X \\
        --source-media var/originals [--stories 100000]
    $PY bench/wagtail_site.py serve --workdir /tmp/wagtail-site \\
        --database-url postgres://postgres@127.0.0.1:5432/wagtail_bench --port 8200 --workers 2
    $PY bench/wagtail_site.py urls --workdir /tmp/wagtail-site --database-url ...

build writes a small Wagtail project (settings, urls, the news app of
wagtail_pages.py), starts the database afresh, and copies Newsroom's published
Russian stories into NewsPage children of one NewsIndexPage at /news/, keeping
their slugs, so /news/<slug>/ is the copy of Newsroom's story <slug>. The
100,000 pages are written in bulk, with the tree paths treebeard would have given
them, oldest story first as a newsroom adds them; each photo a story leads with
becomes one Wagtail image, and the renditions the templates ask for are made
beforehand, as a live site would already have them. No page revisions, search
index or reference index entries are written: nothing a reader's page reads.
"""

import argparse
import hashlib
import json
import os
import pprint
import secrets
import shutil
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Beside this file, standard library only: it runs in Wagtail's virtualenv, not ours.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from wagtail_pages import INSTALLED_APPS, MIDDLEWARE, MODELS, TEMPLATES, URLS  # noqa: E402

SETTINGS_MODULE = "bench_settings"
DATABASE_ENV = "WAGTAIL_BENCH_DATABASE_URL"
# What the templates ask for: {% image ... fill-640x360 format-webp %} and width-800.
RENDITIONS = ("fill-640x360|format-webp", "width-800|format-webp")
INDEX_SLUG = "news"
BATCH = 2000

SETTINGS = '''
"""Settings of the Wagtail benchmark site, written by bench/wagtail_site.py."""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = {secret_key!r}
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = {installed_apps}

MIDDLEWARE = {middleware}

ROOT_URLCONF = "news_urls"
WSGI_APPLICATION = "bench_wsgi.application"


def database(url):
    parts = urlsplit(url)
    return {{
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # Persistent connections, as Newsroom's own settings keep them.
        "CONN_MAX_AGE": int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
    }}


DATABASES = {{"default": database(os.environ.get({database_env!r}, {database_url!r}))}}

TEMPLATES = [
    {{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {{
            "context_processors": [
                "django.template.context_processors.request",
                "news_urls.menu",
            ]
        }},
    }}
]

MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
LANGUAGE_CODE = "ru"
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True
WAGTAIL_SITE_NAME = "Newsroom"
WAGTAILADMIN_BASE_URL = "http://localhost"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Errors to the server's standard error: with DEBUG off they would go nowhere.
LOGGING = {{
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {{"console": {{"class": "logging.StreamHandler"}}}},
    "root": {{"handlers": ["console"], "level": "WARNING"}},
}}
'''

WSGI = f"""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{SETTINGS_MODULE}")
application = get_wsgi_application()
"""

MANAGE = f"""#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{SETTINGS_MODULE}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""

SOURCE_STORIES = """
    FROM articles_article
    WHERE status = 'published' AND published_at <= now() AND language = 'ru'
"""


class Progress:
    def __init__(self):
        self.started = time.monotonic()

    def __call__(self, message):
        print(f"[{time.monotonic() - self.started:7.1f}s] {message}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    build_parser = commands.add_parser("build", help="write the project and copy the archive")
    serve_parser = commands.add_parser("serve", help="run gunicorn in the foreground")
    urls_parser = commands.add_parser("urls", help="print the addresses to measure, as JSON")
    for command in (build_parser, serve_parser, urls_parser):
        command.add_argument("--workdir", required=True, type=Path)
        command.add_argument("--database-url", required=True)
    build_parser.add_argument("--source-database-url", required=True)
    build_parser.add_argument(
        "--source-media",
        type=Path,
        help="Newsroom's originals folder; without it, plain stand-in pictures of each "
        "photo's size are drawn",
    )
    build_parser.add_argument("--stories", type=int, help="the newest N stories (default: all)")
    build_parser.add_argument(
        "--date-index",
        action="store_true",
        help="also index news_newspage.date, which MODELS leaves unindexed: without it each "
        "listing sorts every story",
    )
    build_parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes making renditions"
    )
    serve_parser.add_argument("--port", type=int, required=True)
    serve_parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    options.workdir = options.workdir.resolve()

    if options.command == "build":
        build(options)
    elif options.command == "serve":
        serve(options)
    else:
        print(json.dumps(urls(options)))


# -- build --------------------------------------------------------------------------------


def build(options):
    progress = Progress()
    workdir = options.workdir
    write_project(workdir, options.database_url)
    progress(f"project written to {workdir}")
    fresh_database(options.database_url)
    progress(f"database {database_name(options.database_url)} created")

    setup_django(workdir, options.database_url)
    from django.core.management import call_command

    call_command("makemigrations", "news", verbosity=0)
    call_command("migrate", verbosity=0)
    progress("migrated")

    import psycopg

    with psycopg.connect(options.source_database_url) as source:
        index = make_index()
        photos = copy_photos(source, options, workdir / "media", progress)
        progress(f"{len(photos)} images made")
        copied = copy_stories(source, options.stories, index, photos, progress)
    make_renditions(options.jobs, progress)

    from django.db import connection

    if options.date_index:
        with connection.cursor() as cursor:
            cursor.execute("CREATE INDEX news_newspage_date_idx ON news_newspage (date DESC)")
        progress("news_newspage.date indexed")
    check(index, copied, progress)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    progress(
        f"VACUUM ANALYZE done; built {copied} stories in {time.monotonic() - progress.started:.1f}s"
    )


def write_project(workdir, database_url):
    """The settings, URLs, WSGI module and news app; media from an earlier build is removed."""
    workdir.mkdir(parents=True, exist_ok=True)
    for stale in ("news", "templates", "media"):
        shutil.rmtree(workdir / stale, ignore_errors=True)
    package = workdir / "news"
    (package / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "migrations" / "__init__.py").write_text("")
    (package / "models.py").write_text(textwrap.dedent(MODELS))
    for name, text in TEMPLATES.items():
        path = workdir / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (workdir / f"{SETTINGS_MODULE}.py").write_text(
        SETTINGS.format(
            secret_key=secrets.token_urlsafe(50),
            installed_apps=pprint.pformat(INSTALLED_APPS),
            middleware=pprint.pformat(MIDDLEWARE),
            database_env=DATABASE_ENV,
            database_url=database_url,
        ).lstrip()
    )
    (workdir / "news_urls.py").write_text(textwrap.dedent(URLS).lstrip())
    (workdir / "bench_wsgi.py").write_text(WSGI.lstrip())
    (workdir / "manage.py").write_text(MANAGE)


def database_name(url):
    return unquote(urlsplit(url).path.lstrip("/"))


def fresh_database(url):
    """Drop (only a wagtail_bench* database) and create the benchmark's database."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    server = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists:
            if not name.startswith("wagtail_bench"):
                sys.exit(f"database {name} exists; only wagtail_bench* ones are rebuilt")
            connection.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(workdir, database_url):
    os.environ[DATABASE_ENV] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    sys.path.insert(0, str(workdir))
    import django

    django.setup()


def make_index():
    from news.models import NewsIndexPage
    from wagtail.models import Page, Site

    home = Site.objects.get(is_default_site=True).root_page
    assert home.depth == 2, home
    index = home.add_child(instance=NewsIndexPage(title="События", slug=INDEX_SLUG))
    return Page.objects.get(pk=index.pk).specific


def copy_photos(source, options, media_root, progress):
    """One Wagtail image per photo the copied stories lead with: {photo id: image id}."""
    from wagtail.images.models import Image

    rows = source.execute(
        f"""
        SELECT id, original, width, height, alt_text FROM media_photo WHERE id IN (
            SELECT lead_photo_id FROM (
                SELECT lead_photo_id {SOURCE_STORIES}
                ORDER BY published_at DESC, id DESC LIMIT %s
            ) chosen WHERE lead_photo_id IS NOT NULL
        ) ORDER BY id
        """,
        [options.stories],
    ).fetchall()
    folder = media_root / "original_images"
    folder.mkdir(parents=True, exist_ok=True)
    drawn = 0
    images = []
    for photo_id, original, width, height, alt_text in rows:
        source_file = options.source_media / original if options.source_media else None
        name = f"photo-{photo_id}{Path(original).suffix.lower() or '.jpg'}"
        if source_file and source_file.is_file():
            shutil.copyfile(source_file, folder / name)
        else:
            if options.source_media and drawn < 3:
                progress(f"warning: {source_file} is missing; drawing a stand-in")
            name = f"photo-{photo_id}.jpg"
            draw_stand_in(folder / name, width, height, photo_id)
            drawn += 1
        data = (folder / name).read_bytes()
        images.append(
            Image(
                title=(alt_text or f"Фото {photo_id}")[:255],
                file=f"original_images/{name}",
                width=width,
                height=height,
                file_size=len(data),
                file_hash=hashlib.sha1(data).hexdigest(),
            )
        )
    if drawn:
        progress(f"{drawn} of {len(rows)} photos drawn as stand-ins of their size")
    made = Image.objects.bulk_create(images, batch_size=BATCH)
    return {row[0]: image.pk for row, image in zip(rows, made, strict=True)}


def draw_stand_in(path, width, height, seed):
    from PIL import Image as PillowImage
    from PIL import ImageDraw

    picture = PillowImage.new("RGB", (width, height), (seed * 37 % 200, 120, 200))
    ImageDraw.Draw(picture).ellipse(
        (width // 4, height // 4, width // 2, height // 2), fill="white"
    )
    picture.save(path, "JPEG", quality=85)


def copy_stories(source, limit, index, photos, progress):
    """The stories as NewsPage children of the index, oldest first, written in bulk."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from news.models import NewsPage
    from wagtail.models import Page

    total = source.execute(f"SELECT count(*) {SOURCE_STORIES}").fetchone()[0]
    count = total if limit is None else min(limit, total)
    progress(f"copying {count} of the source's {total} published Russian stories")
    content_type = ContentType.objects.get_for_model(NewsPage)
    depth = index.depth + 1
    copied = 0
    # Oldest first, as a newsroom adds them: the paths and ids grow with the date.
    stories = source.cursor(name="stories")
    stories.itersize = BATCH
    stories.execute(
        f"""
        SELECT id, title, slug, lead, body, published_at, lead_photo_id {SOURCE_STORIES}
        ORDER BY published_at, id OFFSET %s
        """,
        [total - count],
    )
    with transaction.atomic():
        while rows := stories.fetchmany(BATCH):
            pages = []
            for _id, title, slug, _lead, _body, published_at, _photo in rows:
                copied += 1
                pages.append(
                    Page(
                        title=title[:255],
                        draft_title=title[:255],
                        slug=slug,
                        content_type=content_type,
                        path=Page._get_path(index.path, depth, copied),
                        depth=depth,
                        numchild=0,
                        url_path=f"{index.url_path}{slug}/",
                        locale_id=index.locale_id,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published_at,
                        last_published_at=published_at,
                    )
                )
            Page.objects.bulk_create(pages)
            with connection.cursor() as cursor:
                with cursor.cursor.copy(
                    "COPY news_newspage (page_ptr_id, date, intro, body, image_id) FROM STDIN"
                ) as copy:
                    for page, row in zip(pages, rows, strict=True):
                        _id, _title, _slug, lead, body, published_at, photo_id = row
                        copy.write_row((page.pk, published_at, lead, body, photos.get(photo_id)))
            if copied % 20000 < BATCH or copied == count:
                progress(f"  {copied} pages")
        Page.objects.filter(pk=index.pk).update(numchild=copied)
    stories.close()
    return copied


def make_renditions(jobs, progress):
    """Every image's renditions for the templates, in `jobs` processes."""
    import multiprocessing

    from django.db import connections
    from wagtail.images.models import Image

    ids = list(Image.objects.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return
    chunks = [ids[start : start + 50] for start in range(0, len(ids), 50)]
    connections.close_all()  # each forked process opens its own
    made, shown = 0, time.monotonic()
    with multiprocessing.get_context("fork").Pool(max(1, jobs)) as pool:
        for number in pool.imap_unordered(renditions_for, chunks):
            made += number
            if time.monotonic() - shown > 30 or made == len(ids):
                progress(f"  renditions of {made} of {len(ids)} images")
                shown = time.monotonic()
    connections.close_all()


def renditions_for(ids):
    from wagtail.images.models import Image

    images = Image.objects.filter(pk__in=ids).prefetch_related("renditions")
    for image in images:
        image.get_renditions(*RENDITIONS)
    return len(ids)


def check(index, copied, progress):
    """What the benchmark relies on: every story live under the index, and pages that answer."""
    from django.test import Client
    from news.models import NewsPage
    from wagtail.images.models import Image

    live = NewsPage.objects.live().child_of(index).count()
    if live != copied:
        sys.exit(f"{live} live stories under the index, {copied} copied")
    Rendition = Image.get_rendition_model()
    images, renditions = Image.objects.count(), Rendition.objects.count()
    if renditions != images * len(RENDITIONS):
        sys.exit(f"{renditions} renditions for {images} images")
    client = Client(HTTP_HOST="localhost")
    for name, url in addresses(index).items():
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{name} {url} answered {response.status_code}")
        progress(f"{name} {url}: 200, {len(response.content) / 1024:.1f} KB")
    progress(f"checked: {live} live stories, {images} images, {renditions} renditions")


def addresses(index):
    from news.models import NewsPage

    stories = NewsPage.objects.live().child_of(index).filter(image__isnull=False)
    middle = stories.order_by("-date", "-pk")[stories.count() // 2 :].first()
    if middle is None:  # an archive without photos still has a story to show
        stories = NewsPage.objects.live().child_of(index)
        middle = stories.order_by("-date", "-pk")[stories.count() // 2 :].first()
    return {
        "index": index.url,
        "index_page_50": f"{index.url}?page=50",
        "story": middle.url if middle else None,
    }


# -- serve and urls -----------------------------------------------------------------------


def serve(options):
    """gunicorn in place of this process, so the runner's signals reach its master."""
    if not (options.workdir / f"{SETTINGS_MODULE}.py").is_file():
        sys.exit(f"no project in {options.workdir}: run build first")
    environment = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        PYTHONPATH=str(options.workdir),
        **{DATABASE_ENV: options.database_url},
    )
    environment.pop("GUNICORN_CMD_ARGS", None)
    arguments = [
        sys.executable,
        "-m",
        "gunicorn",
        "bench_wsgi:application",
        # Not Newsroom's gunicorn.conf.py, which gunicorn would read from the current folder.
        "--config",
        str(Path(__file__).with_name("gunicorn_bench.conf.py")),
        "--chdir",
        str(options.workdir),
        "--workers",
        str(options.workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{options.port}",
        "--log-level",
        "warning",
    ]  # no --access-logfile: gunicorn keeps no access log
    sys.stdout.flush()
    os.execve(sys.executable, arguments, environment)


def urls(options):
    setup_django(options.workdir, options.database_url)
    from news.models import NewsIndexPage

    index = NewsIndexPage.objects.live().get(slug=INDEX_SLUG)
    return addresses(index)


if __name__ == "__main__":
    main()
