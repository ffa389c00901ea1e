"""
A worker killed in the middle of a task (SIGKILL: no goodbye) loses nothing: the
task stays marked as running, and once that has lasted longer than any task runs,
a worker runs it again, to the end. Real worker processes, on the test database.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from media.imaging import drawn_landscape
from media.specs import standard_specs
from tests.factories import make_photo
from tests.processes import database_url_for_processes, wait_for
from tests.tasks.examples import slow_the_first_time

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def start_worker(*args, timeout_seconds):
    from django.conf import settings

    url = database_url_for_processes()
    env = os.environ | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.tasks.worker_settings",
        "NEWSROOM_TASK_TIMEOUT_SECONDS": str(timeout_seconds),
        "NEWSROOM_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "NEWSROOM_TEST_ORIGINALS_ROOT": str(settings.STORAGES["originals"]["OPTIONS"]["location"]),
    }
    command = ["manage.py", "worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]
    return subprocess.Popen(
        [sys.executable, *command, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def status(result):
    return DBTaskResult.objects.get(pk=result.id).status


def kill_while_running(worker, result, log):
    assert wait_for(
        lambda: status(result) == TaskResultStatus.RUNNING and log.exists(), seconds=30
    ), worker.stdout.read() if worker.poll() is not None else "the worker took nothing"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    assert status(result) == TaskResultStatus.RUNNING, "a killed worker says nothing"


def assert_ran_again_to_the_end(result, log):
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL, row.traceback
    assert row.return_value == 2, "the second run"
    assert len(row.worker_ids) == 2
    assert log.read_text().split() == ["started", "started", "finished"]


def test_a_new_worker_runs_again_the_task_a_killed_one_was_running(database_queue, tmp_path):
    log = tmp_path / "runs.log"
    result = slow_the_first_time.enqueue(str(log), 120)
    first = start_worker(timeout_seconds=1)
    kill_while_running(first, result, log)
    time.sleep(1.2)  # the timeout, as a worker on another machine would see it

    second = start_worker("--batch", timeout_seconds=1)
    output, _ = second.communicate(timeout=60)

    assert second.returncode == 0, output
    assert_ran_again_to_the_end(result, log)


def test_a_running_worker_takes_over_the_task_of_one_that_was_killed(database_queue, tmp_path):
    log = tmp_path / "runs.log"
    result = slow_the_first_time.enqueue(str(log), 120)
    first = start_worker(timeout_seconds=4)
    assert wait_for(lambda: status(result) == TaskResultStatus.RUNNING, seconds=30)
    # Started while the first one is busy, well within the timeout: it leaves the task be.
    second = start_worker(timeout_seconds=4)
    try:
        kill_while_running(first, result, log)
        assert wait_for(lambda: status(result) == TaskResultStatus.SUCCESSFUL, seconds=40)
    finally:
        second.send_signal(signal.SIGTERM)
        output, _ = second.communicate(timeout=20)
    assert second.returncode == 0, output
    assert_ran_again_to_the_end(result, log)


def test_a_rendition_task_killed_halfway_runs_again_and_makes_every_rendition_once(
    database_queue, tmp_path
):
    # Large enough that its renditions take a worker a good second.
    photo = make_photo(drawn_landscape(4000, 3000, seed="killed"), "killed.jpg")
    [task] = DBTaskResult.objects.filter(task_path="media.tasks.make_renditions")
    first = start_worker(timeout_seconds=1)
    assert wait_for(lambda: status(task) == TaskResultStatus.RUNNING, seconds=30)
    time.sleep(0.3)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    assert status(task) == TaskResultStatus.RUNNING, "killed before it finished"
    time.sleep(1.2)

    second = start_worker("--batch", timeout_seconds=1)
    output, _ = second.communicate(timeout=120)

    assert second.returncode == 0, output
    row = DBTaskResult.objects.get(pk=task.pk)
    assert (row.status, len(row.worker_ids)) == (TaskResultStatus.SUCCESSFUL, 2), row.traceback
    photo.refresh_from_db()
    specs = list(photo.renditions.values_list("spec", flat=True))
    assert sorted(specs) == sorted(spec.name for spec in standard_specs()), "each exactly once"
    assert photo.made_spec_names == set(specs)
    for rendition in photo.renditions.all():
        assert rendition.file.storage.exists(rendition.file.name)
