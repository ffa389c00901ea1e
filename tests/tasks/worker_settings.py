"""A worker started by a test, as a process of its own: the test settings, with the real queue."""

import os

from tests.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The starting test's own storage, where it has one, so that the worker sees its photos.
if os.environ.get("NEWSROOM_TEST_MEDIA_ROOT"):
    MEDIA_ROOT = os.environ["NEWSROOM_TEST_MEDIA_ROOT"]
    STORAGES["originals"]["OPTIONS"]["location"] = os.environ["NEWSROOM_TEST_ORIGINALS_ROOT"]  # noqa: F405
