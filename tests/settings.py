"""Test overrides. DATABASE_URL still chooses the database: CI runs both."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "only-for-tests")

from newsroom.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: Django shares one in-memory connection among the live
    # server's request threads, and two browsers at once can wedge it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.mkdtemp(prefix="newsroom-test-db-"), "test.sqlite3")
    }
MEDIA_ROOT = tempfile.mkdtemp(prefix="newsroom-test-uploads-")
NEWSROOM_DECODING_DIR = tempfile.mkdtemp(prefix="newsroom-test-decoding-")
# Static files come from the apps through the finders; nothing is collected.
STATIC_ROOT = tempfile.mkdtemp(prefix="newsroom-test-static-")
WHITENOISE_USE_FINDERS = True
# Local files, whatever the environment says: tests/media/test_object_storage.py
# points the storages at an S3-compatible server of its own.
STORAGES = {
    "default": {"BACKEND": "media.storage.WholeFileSystemStorage"},
    "originals": {
        "BACKEND": "media.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="newsroom-test-originals-")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Query budgets measure a page being made; tests/articles/test_page_cache.py
# turns the cache on where it is the subject.
NEWSROOM_PAGE_CACHE_SECONDS = 0
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks run at once, inside the request that enqueues them, where a test
# is not about the queue; tests/tasks/ put the database queue back and run workers.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Most tests are about something other than signing in; tests/newsroom/test_two_factor.py
# turns the production default back on.
NEWSROOM_EDITORS_NEED_2FA = False

# Tests ask the API hundreds of times from one address; tests/api/test_clients.py sets
# the limits it is about.
NEWSROOM_API_RATE = NEWSROOM_API_PARTNER_RATE = "100000/min"

# The live server answers a browser's requests at once, each in a thread of its own
# (the page, its images, the readings' beacon), where a production worker answers one
# at a time: a pooled connection for each, not a wait that ends in the 503 page.
if "pool" in DATABASES["default"].get("OPTIONS", {}):  # noqa: F405
    DATABASES["default"]["OPTIONS"]["pool"]["max_size"] = 8  # noqa: F405
