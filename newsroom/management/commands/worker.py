"""
Runs background tasks: django-tasks-db's db_worker, which also hands out again
the tasks of workers that died (newsroom/tasks.py).

    manage.py worker                   run tasks as they come, until stopped
    manage.py worker --batch           run every task that is due, then stop

Run as many as the work needs, on as many machines: each task goes to one worker.
"""

import os
import threading
import time

from django.conf import settings
from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from newsroom.tasks import logger, requeue_abandoned


class Command(db_worker.Command):
    help = "Runs background tasks; a task whose worker died runs again."

    def handle(self, *args, **options):
        reloads = options["reload"] and not options["batch"]  # db_worker's own rule
        if not reloads or os.environ.get(DJANGO_AUTORELOAD_ENV):
            # Not in the process that only watches the code and restarts the worker.
            requeue_abandoned()
            if not options["batch"]:
                threading.Thread(target=watch_abandoned, daemon=True).start()
        super().handle(*args, **options)


def watch_abandoned():
    every = max(1, min(60, settings.NEWSROOM_TASK_TIMEOUT_SECONDS // 4))
    while True:
        time.sleep(every)
        try:
            requeue_abandoned()
        except Exception:
            logger.exception("Could not look for abandoned tasks; trying again in %d s.", every)
        finally:
            connection.close()
