"""A worker started by a test, as a process of its own: the test settings, with the real queue."""

from tests.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
