"""
Background work on Django's Tasks API, queued in a table of the site's own
database (django-tasks-db), with the two things that backend leaves out:

- a task that raised is tried again, later each time, up to
  NEWSROOM_TASK_ATTEMPTS times in all; then it stays failed, with its traceback,
  in the admin's task list;
- a task whose worker died (killed, out of memory, machine gone) stays marked as
  running: after NEWSROOM_TASK_TIMEOUT_SECONDS any worker hands it out again.

Both count attempts by the worker ids on the task's row (each worker that takes
a task adds its id), so a task that kills its worker every time is bounded too.
A task must therefore be safe to run twice: the worker may die after its work
and before it marks the task done.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

WORKER_LOST = "newsroom.tasks.WorkerLost"


def retry_delay(attempts):
    """The wait after the given number of attempts: 1, 2, 4 … times the first."""
    return timedelta(seconds=settings.NEWSROOM_TASK_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def connect():
    task_finished.connect(retry_failed, dispatch_uid="newsroom-retry-failed-tasks")


def retry_failed(sender, task_result, **kwargs):
    # Only the database backend's results have a row to put back. (Not judged by the
    # sender: db_worker sends the backend's class on failure, an instance on success.)
    row = getattr(task_result, "db_result", None)
    if row is None or task_result.status != TaskResultStatus.FAILED:
        return
    try:
        retry_later(row)
    except Exception:
        # db_worker sends this outside its own error handling: raising here would
        # stop the worker. The task stays failed, in sight.
        logger.exception("Could not retry task %s; it stays failed.", row.pk)


def retry_later(row):
    attempts = len(row.worker_ids)
    if attempts >= settings.NEWSROOM_TASK_ATTEMPTS:
        return
    # The traceback stays on the row: an editor sees why it waits.
    DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + retry_delay(attempts),
        finished_at=None,
    )
    logger.warning(
        "Task %s (%s) failed on attempt %d of %d; it runs again in %s.",
        row.pk,
        row.task_path,
        attempts,
        settings.NEWSROOM_TASK_ATTEMPTS,
        retry_delay(attempts),
    )


def requeue_abandoned():
    """
    Hand out again the tasks marked as running for longer than any task runs:
    their worker is gone. Those out of attempts fail, visibly. Returns how many.
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.NEWSROOM_TASK_TIMEOUT_SECONDS)
    count = 0
    for row in DBTaskResult.objects.running().filter(started_at__lt=cutoff):
        attempts = len(row.worker_ids)
        if attempts < settings.NEWSROOM_TASK_ATTEMPTS:
            changes = {"status": TaskResultStatus.READY, "run_after": now}
        else:
            changes = {
                "status": TaskResultStatus.FAILED,
                "finished_at": now,
                "exception_class_path": WORKER_LOST,
                "traceback": (
                    f"The worker running this task stopped without finishing it, "
                    f"{attempts} times (killed, or out of memory?)."
                ),
            }
        # Only if no other worker has handled it meanwhile.
        handled = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        ).update(**changes)
        if not handled:
            continue
        count += 1
        logger.warning(
            "Task %s (%s) lost its worker after attempt %d; %s.",
            row.pk,
            row.task_path,
            attempts,
            "it runs again" if changes["status"] == TaskResultStatus.READY else "it has failed",
        )
    return count
