"""
The least Django does for a page: one address, one view, no middleware, no
database, no templates; the bytes of a page read once when the process starts.
bench/archive.py serves it beside Newsroom, with the same gunicorn and the same
number of workers, so that a cached page's speed can be read against Django's
own floor.

    MINIMAL_SITE_BODY=/tmp/story.html .venv/bin/gunicorn bench.minimal_site:application \\
        --workers 2 --bind 127.0.0.1:8101

The page is at / (and nowhere else), as text/html in UTF-8.
"""

import os
from pathlib import Path

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

BODY = Path(os.environ["MINIMAL_SITE_BODY"]).read_bytes()

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
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]

django.setup()
application = get_wsgi_application()
