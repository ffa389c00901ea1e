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
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.tasks.examples import slow_the_first_time

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def start_worker(*args, timeout_seconds):
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{database['NAME']}"
    else:
        password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
        url = (
            f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}"
            f":{database['PORT'] or 5432}/{database['NAME']}"
        )
    env = os.environ | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.tasks.worker_settings",
        "NEWSROOM_TASK_TIMEOUT_SECONDS": str(timeout_seconds),
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


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def status(result):
    return DBTaskResult.objects.get(pk=result.id).status


def kill_while_running(worker, result, log):
    assert wait_for(lambda: status(result) == TaskResultStatus.RUNNING and log.exists()), (
        worker.stdout.read() if worker.poll() is not None else "the worker took nothing"
    )
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
    assert wait_for(lambda: status(result) == TaskResultStatus.RUNNING)
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
