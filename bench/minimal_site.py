"""
The least Django does for a page: one view, no middleware, no database, no
templates; the bytes of every page read once when the process starts.
bench/archive.py serves it beside Newsroom, with the same gunicorn and the same
number of workers, so that each cached page's speed can be read against
Django's own floor for the same bytes.

    MINIMAL_SITE_PAGES=/tmp/pages.json .venv/bin/gunicorn bench.minimal_site:application \\
        --workers 2 --bind 127.0.0.1:8101

MINIMAL_SITE_PAGES is a JSON object mapping a request's full path, query string
included, as request.get_full_path() gives it, to a file and its content type:

    {"/": ["front.html", "text/html; charset=utf-8"],
     "/obshchestvo/?page=50": ["section_deep.html", "text/html; charset=utf-8"],
     "/rss/": ["rss.xml", "application/rss+xml; charset=utf-8"]}

A relative file is read from the JSON file's folder. Any other address is a
plain 404.
"""

import json
import os
from pathlib import Path

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse, HttpResponseNotFound
from django.urls import re_path

MAP = Path(os.environ["MINIMAL_SITE_PAGES"])
PAGES = {
    full_path: (Path(MAP.parent, file).read_bytes(), content_type)
    for full_path, (file, content_type) in json.loads(MAP.read_text()).items()
}

settings.configure(
    DEBUG=False,
    SECRET_KEY="minimal-site-nothing-secret",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    TEMPLATES=[],
    DATABASES={},
    USE_I18N=False,
    USE_TZ=True,
)


def page(request):
    found = PAGES.get(request.get_full_path())
    if found is None:
        return HttpResponseNotFound()
    body, content_type = found
    return HttpResponse(body, content_type=content_type)


urlpatterns = [re_path(r"", page)]

django.setup()
application = get_wsgi_application()
