#!/usr/bin/env python3
"""
How long does the server take to answer a reader's page?

    .venv/bin/python bench/pages.py [--stories 1000] [--repeat 200]
    DATABASE_URL=postgres://… .venv/bin/python bench/pages.py

On a throwaway database (SQLite in a temporary folder, or the empty PostgreSQL
database DATABASE_URL names; its tables are created and left behind), it loads
the demo newsroom, adds --stories more published stories with photos, bylines
and tags, and then asks each kind of public page --repeat times through
Django's test client: the whole Django stack (middleware, URL resolving, view,
ORM, templates) without a network or a web server in front. It prints the
median and 95th percentile in milliseconds with the page cache off (the page
is made every time), the queries per request and the size of the HTML, and
the median with the page cache on (articles/caching.py: a page asked for again).

Renditions are made before timing, as the renditions command does in production.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timing import machine, measure  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=200)
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["NEWSROOM_VAR_DIR"] = str(workdir)
    os.environ["NEWSROOM_MEDIA_ROOT"] = str(workdir / "uploads")
    os.environ["NEWSROOM_ORIGINALS_ROOT"] = str(workdir / "originals")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo", "--no-editor", verbosity=0)
    from articles.models import Article
    from articles.views import STORIES_PER_PAGE

    story, section, tag, author = fill(options.stories)
    call_command("renditions", "--formats", "jpeg,webp", verbosity=0)

    # A page deep in the section (the 3rd, if the section has that many).
    in_section = Article.objects.published().in_section(section).count()
    deep = min(3, max(1, -(-in_section // STORIES_PER_PAGE)))
    pages = {
        "front page": "/",
        "section": section.get_absolute_url(),
        f"section, page {deep}": section.get_absolute_url() + f"?page={deep}",
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "story": story.get_absolute_url(),
        "search «помощи»": "/search/?q=помощи",
        "RSS": "/rss/",
        "Dzen feed": "/rss/dzen/",
        "story sitemap": "/sitemaps/stories.xml",
    }
    client = Client()
    print(f"{connection.vendor}, {options.stories} extra stories, {options.repeat} requests a page")
    print(machine())
    print(
        f"{'page':<20} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>6} {'cached ms':>10}"
    )
    for name, url in pages.items():
        settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
        made = measure(client, url, options.repeat, connection)
        settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
        cached = measure(client, url, options.repeat, connection)
        print(
            f"{name:<20} {made['median']:>10.2f} {made['p95']:>8.2f} "
            f"{made['queries']:>8} {made['kb']:>6.1f} {cached['median']:>10.2f}"
        )


def fill(count):
    """Published stories spread over sections, tags and authors, half with a photo."""
    from datetime import timedelta

    from django.utils import timezone

    from articles.models import Article, Byline, Section, Tag
    from media.models import Photo
    from newsroom.models import Author

    sections = list(Section.objects.all())
    authors = list(Author.objects.all())
    photos = list(Photo.objects.all())
    now = timezone.now()
    body = "".join(f"<p>Абзац {n} о переговорах, ценах и погоде.</p>" for n in range(12))
    for number in range(count):
        article = Article.objects.create(
            title=f"Новость номер {number} о помощи регионам",
            section=sections[number % len(sections)],
            lead=f"Лид новости {number}: кто, что, когда.",
            body=body,
            lead_photo=photos[number % len(photos)] if number % 2 else None,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=10 * (number + 1)),
        )
        Byline.objects.create(article=article, author=authors[number % len(authors)])
        article.tags.set([f"тема {number % 20}", "регионы"])
    story = Article.objects.get(
        slug="tokaev-gumanitarnaya-pomoshch-ne-mozhet-byt-predmetom-politicheskogo-torga"
    )
    return story, story.section, Tag.objects.get(name="регионы"), authors[0]


if __name__ == "__main__":
    main()
