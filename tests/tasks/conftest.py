import signal
from importlib import import_module

import pytest
from django.core.management import call_command

from tests.media.conftest import stored_files  # noqa: F401 (a fixture the task tests use too)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    """The queue as in production: tasks wait in the database until a worker runs them."""
    settings.TASKS = DATABASE_QUEUE  # Django's setting_changed gives django-tasks new backends
    settings.NEWSROOM_TASK_ATTEMPTS = 3
    settings.NEWSROOM_TASK_RETRY_SECONDS = 60
    return settings


def run_worker():
    """The real worker command, in this process: every task that is due, then it stops."""
    # The worker takes over Ctrl+C and friends; pytest wants them back afterwards.
    caught = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {number: signal.getsignal(number) for number in caught}
    try:
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


@pytest.fixture
def newsroom_roles(transactional_db):
    """
    The groups and content types the migrations made, for a transactional test:
    the flush after an earlier one removes them (the admin logs every change
    against a content type).
    """
    from django.apps import apps

    import_module("newsroom.migrations.0002_roles").create_roles(apps, None)
    import_module("newsroom.migrations.0003_reporters").create_roles(apps, None)
    import_module("newsroom.migrations.0004_editors_see_tasks").grant(apps, None)
    import_module("articles.migrations.0007_role_permissions").grant(apps, None)
    import_module("media.migrations.0003_role_permissions").grant(apps, None)
