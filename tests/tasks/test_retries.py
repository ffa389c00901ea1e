"""A task that fails is tried again, later each time; after its last attempt it stays failed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from newsroom.tasks import WORKER_LOST, requeue_abandoned
from tests.tasks.conftest import run_worker
from tests.tasks.examples import always_fails

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failing_task_is_retried_with_growing_waits_then_stays_failed(
    database_queue, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    result = always_fails.enqueue("the agency's server is down")

    run_worker()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY, "waits for its second attempt"
    assert row.run_after == timezone.now() + timedelta(seconds=60)
    assert "the agency's server is down" in row.traceback, "the reason shows while it waits"

    run_worker()
    assert len(DBTaskResult.objects.get(pk=result.id).worker_ids) == 1, "not before its time"

    time_machine.shift(timedelta(seconds=60))
    run_worker()
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, len(row.worker_ids)) == (TaskResultStatus.READY, 2)
    assert row.run_after == timezone.now() + timedelta(seconds=120), "the wait doubles"

    time_machine.shift(timedelta(seconds=120))
    run_worker()
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, len(row.worker_ids)) == (TaskResultStatus.FAILED, 3)
    assert row.exception_class_path == "builtins.RuntimeError"

    time_machine.shift(timedelta(days=1))
    run_worker()
    assert len(DBTaskResult.objects.get(pk=result.id).worker_ids) == 3, "three attempts in all"


def test_with_one_attempt_a_failing_task_fails_at_once(database_queue):
    database_queue.NEWSROOM_TASK_ATTEMPTS = 1
    result = always_fails.enqueue("no")
    run_worker()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED


def running_since(started_at, attempts):
    return DBTaskResult.objects.create(
        args_kwargs={"args": ["x"], "kwargs": {}},
        task_path="tests.tasks.examples.always_fails",
        backend_name="default",
        status=TaskResultStatus.RUNNING,
        started_at=started_at,
        worker_ids=[f"worker-{n}" for n in range(attempts)],
    )


def test_a_task_running_longer_than_the_timeout_is_handed_out_again(database_queue):
    database_queue.NEWSROOM_TASK_TIMEOUT_SECONDS = 600
    now = timezone.now()
    lost = running_since(now - timedelta(seconds=601), attempts=1)
    busy = running_since(now - timedelta(seconds=599), attempts=1)

    assert requeue_abandoned() == 1

    assert DBTaskResult.objects.get(pk=lost.pk).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=busy.pk).status == TaskResultStatus.RUNNING, (
        "a task still within its time is left to its worker"
    )


def test_a_task_that_lost_its_worker_on_every_attempt_fails_visibly(database_queue):
    lost = running_since(timezone.now() - timedelta(days=1), attempts=3)

    requeue_abandoned()

    row = DBTaskResult.objects.get(pk=lost.pk)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == WORKER_LOST
    assert "3 times" in row.traceback
    assert row.finished_at is not None


def test_a_retry_that_cannot_be_recorded_leaves_the_task_failed_and_the_worker_running(
    database_queue, monkeypatch
):
    from django.db import OperationalError

    from newsroom import tasks

    def locked(row):
        raise OperationalError("database is locked")

    monkeypatch.setattr(tasks, "retry_later", locked)
    first, second = always_fails.enqueue("one"), always_fails.enqueue("two")

    run_worker()

    for result in (first, second):
        assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED
