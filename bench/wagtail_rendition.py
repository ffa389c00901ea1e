#!/usr/bin/env python3
"""
Wagtail's rendition time on the same file and machine, for bench/renditions.py to be read against.

Run it with a Python that has Wagtail (not a dependency of ours):

    python3 -m venv /tmp/wagtail-venv
    /tmp/wagtail-venv/bin/pip install "wagtail==8.0.1" "Django>=5.2,<5.3"
    /tmp/wagtail-venv/bin/python bench/wagtail_rendition.py PHOTO.jpg [--repeat 5]

It times Image.get_rendition("width-800|format-jpeg") the way a page's
{% image %} tag first calls it: the rendition is deleted before each run, so
every run decodes, resizes, encodes and stores, as on a cold cache.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("photo", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--filter", default="width-800|format-jpeg")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="wagtail-bench-"))
    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY="bench",
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "taggit",
            "modelcluster",
            "django.contrib.sessions",
            "django.contrib.messages",
            "django.contrib.staticfiles",
            "wagtail.users",
            "wagtail.admin",
            "wagtail",
            "wagtail.images",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": workdir / "db"}},
        MEDIA_ROOT=workdir / "media",
        MEDIA_URL="/media/",
        STATIC_URL="/static/",
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        WAGTAIL_SITE_NAME="bench",
    )
    django.setup()
    from django.core.files.images import ImageFile
    from django.core.management import call_command
    from wagtail.images.models import Image

    call_command("migrate", verbosity=0)
    with options.photo.open("rb") as file:
        image = Image.objects.create(title="bench", file=ImageFile(file, name=options.photo.name))
    times = []
    for _ in range(options.repeat):
        image.renditions.all().delete()
        image = Image.objects.get(pk=image.pk)
        started = time.perf_counter()
        rendition = image.get_rendition(options.filter)
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"Wagtail {__import__('wagtail').__version__}: get_rendition({options.filter!r}) of "
        f"{image.width}×{image.height} → {rendition.width}×{rendition.height}: "
        f"median {statistics.median(times):.0f} ms of {options.repeat} runs"
    )


if __name__ == "__main__":
    main()
