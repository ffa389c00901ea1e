#!/usr/bin/env python3
"""
Wagtail's page times on the same machine, for bench/pages.py to be read against.

Run it with a Python that has Wagtail (not a dependency of ours):

    python3 -m venv /tmp/wagtail-venv
    /tmp/wagtail-venv/bin/pip install "wagtail==8.0.1" "Django>=5.2,<5.3"
    /tmp/wagtail-venv/bin/python bench/wagtail_pages.py [--stories 1000] [--repeat 200]

It builds the smallest Wagtail news site that shows what ours shows, the way
Wagtail's bakerydemo and news template build theirs: a NewsIndexPage listing
its NewsPage children 20 to a page (headline, intro, date, a 16:9 image
rendition), and a NewsPage (headline, date, intro, rich-text body, an image).
The demo's pages carry no bylines, tags, credits or sections, so Wagtail's
figure is for less work than ours. Same SQLite, same test client, same
warm-up; renditions are made before timing, as on a live site.
"""

import argparse
import io
import sys
import tempfile
import textwrap
from pathlib import Path

# Beside this file, standard library only: it runs in Wagtail's virtualenv, not ours.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import machine, measure  # noqa: E402

MODELS = """
from django.core.paginator import Paginator
from django.db import models
from wagtail.fields import RichTextField
from wagtail.models import Page


class NewsIndexPage(Page):
    def get_context(self, request):
        context = super().get_context(request)
        stories = (
            NewsPage.objects.live().child_of(self).select_related("image")
            .prefetch_related("image__renditions").order_by("-date")
        )
        context["stories"] = Paginator(stories, 20).get_page(request.GET.get("page"))
        return context


class NewsPage(Page):
    date = models.DateTimeField()
    intro = models.TextField()
    body = RichTextField()
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL
    )
"""

TEMPLATES = {
    "base.html": """{% load wagtailcore_tags %}<!DOCTYPE html><html lang="ru"><head>
<meta charset="utf-8"><title>{% block title %}{{ page.title }}{% endblock %}</title></head>
<body><header><a href="/">Newsroom</a><nav><ul>{% for item in menu %}<li>
<a href="{% pageurl item %}">{{ item.title }}</a></li>{% endfor %}</ul></nav></header>
<main>{% block content %}{% endblock %}</main></body></html>""",
    "news/news_index_page.html": """{% extends "base.html" %}
{% load wagtailcore_tags wagtailimages_tags %}{% block content %}<h1>{{ page.title }}</h1>
<ul>{% for story in stories %}<li><article>
{% if story.image %}{% image story.image fill-640x360 format-webp %}{% endif %}
<p><time datetime="{{ story.date|date:'c' }}">
{{ story.date|date:"SHORT_DATETIME_FORMAT" }}</time></p>
<h2><a href="{% pageurl story %}">{{ story.title }}</a></h2><p>{{ story.intro }}</p>
</article></li>{% endfor %}</ul>
{% if stories.has_next %}<a href="?page={{ stories.next_page_number }}">→</a>{% endif %}
{% endblock %}""",
    "news/news_page.html": """{% extends "base.html" %}
{% load wagtailcore_tags wagtailimages_tags %}{% block content %}<article><h1>{{ page.title }}</h1>
<p><time>{{ page.date|date:"SHORT_DATETIME_FORMAT" }}</time></p>
{% if page.image %}<figure>{% image page.image width-800 format-webp %}</figure>{% endif %}
<p>{{ page.intro }}</p>{{ page.body|richtext }}</article>{% endblock %}""",
}

# The rest of the site, shared with bench/wagtail_site.py (the same site on PostgreSQL).
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "taggit",
    "modelcluster",
    "wagtail",
    "wagtail.images",
    "wagtail.documents",
    "wagtail.users",
    "wagtail.admin",
    "wagtail.sites",
    "news",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The module news_urls: Wagtail's page serving, and the menu every page shows.
URLS = """
from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [path("", include(wagtail_urls))]


def menu(request):
    from news.models import NewsIndexPage

    return {"menu": NewsIndexPage.objects.live()}
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=200)
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="wagtail-pages-"))
    package = workdir / "news"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(textwrap.dedent(MODELS))
    for name, text in TEMPLATES.items():
        path = workdir / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    sys.path.insert(0, str(workdir))

    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY="bench",
        DEBUG=False,
        ALLOWED_HOSTS=["testserver", "localhost"],
        INSTALLED_APPS=INSTALLED_APPS,
        MIDDLEWARE=MIDDLEWARE,
        ROOT_URLCONF="news_urls",
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": workdir / "db.sqlite3"}
        },
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [workdir / "templates"],
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "news_urls.menu",
                    ]
                },
            }
        ],
        MEDIA_ROOT=workdir / "media",
        MEDIA_URL="/media/",
        STATIC_URL="/static/",
        LANGUAGE_CODE="ru",
        TIME_ZONE="Asia/Almaty",
        USE_TZ=True,
        WAGTAIL_SITE_NAME="Newsroom",
        WAGTAILADMIN_BASE_URL="http://localhost",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    (workdir / "news_urls.py").write_text(textwrap.dedent(URLS))
    django.setup()
    from django.core.management import call_command

    call_command("makemigrations", "news", verbosity=0)
    call_command("migrate", verbosity=0)
    index, story = build(options.stories)

    from django.db import connection
    from django.test import Client

    client = Client()
    pages = {
        "section (index)": index.url,
        "section, page 3": index.url + "?page=3",
        "story": story.url,
    }
    print(
        f"Wagtail {version()}, sqlite, {options.stories} stories, {options.repeat} requests a page"
    )
    print(machine())
    print(f"{'page':<20} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>6}")
    for name, url in pages.items():
        made = measure(client, url, options.repeat, connection)
        print(
            f"{name:<20} {made['median']:>10.2f} {made['p95']:>8.2f} "
            f"{made['queries']:>8} {made['kb']:>6.1f}"
        )


def build(count):
    from datetime import timedelta

    from django.core.files.images import ImageFile
    from django.utils import timezone
    from news.models import NewsIndexPage, NewsPage
    from PIL import Image as PillowImage
    from wagtail.images.models import Image
    from wagtail.models import Page, Site

    root = Page.objects.get(depth=1)
    home = Page.objects.get(depth=2)
    images = []
    for number in range(4):
        buffer = io.BytesIO()
        PillowImage.new("RGB", (1600, 900), (40 * number, 120, 200)).save(buffer, "JPEG")
        images.append(
            Image.objects.create(
                title=f"Фото {number}", file=ImageFile(buffer, name=f"photo-{number}.jpg")
            )
        )
    index = home.add_child(instance=NewsIndexPage(title="События", slug="sobytiya"))
    Site.objects.update(root_page=home)
    del root
    body = "".join(f"<p>Абзац {n} о переговорах, ценах и погоде.</p>" for n in range(12))
    now = timezone.now()
    story = None
    for number in range(count):
        story = index.add_child(
            instance=NewsPage(
                title=f"Новость номер {number} о помощи регионам",
                slug=f"novost-{number}",
                date=now - timedelta(minutes=10 * (number + 1)),
                intro=f"Лид новости {number}: кто, что, когда.",
                body=body,
                image=images[number % 4] if number % 2 else None,
            )
        )
    return index, story if story.image else index.get_children().specific().first()


def version():
    import wagtail

    return wagtail.__version__


if __name__ == "__main__":
    main()
