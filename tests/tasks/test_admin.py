"""Editors see the background tasks in the admin, failed ones with their reason; others do not."""

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

TASKS = "/admin/django_tasks_database/dbtaskresult/"


@pytest.fixture
def failed_task(db):
    return DBTaskResult.objects.create(
        args_kwargs={"args": [1, "abc"], "kwargs": {}},
        task_path="media.tasks.make_renditions",
        backend_name="default",
        status=TaskResultStatus.FAILED,
        worker_ids=["a", "b", "c"],
        exception_class_path="builtins.OSError",
        traceback="OSError: [Errno 28] No space left on device",
    )


def test_an_editor_sees_failed_tasks_and_why_they_failed(client, editor, failed_task):
    client.force_login(editor)
    assert TASKS in client.get("/admin/").content.decode(), "in the editor's admin menu"
    listing = client.get(TASKS, {"status__exact": "FAILED"})
    assert listing.status_code == 200
    assert "make_renditions" in listing.content.decode()
    detail = client.get(f"{TASKS}{failed_task.pk}/change/")
    assert detail.status_code == 200
    assert "No space left on device" in detail.content.decode()


def test_an_editor_can_neither_change_nor_delete_a_task(client, editor, failed_task):
    client.force_login(editor)
    assert client.post(f"{TASKS}{failed_task.pk}/delete/", {"post": "yes"}).status_code == 403
    assert DBTaskResult.objects.filter(pk=failed_task.pk).exists()


@pytest.mark.parametrize("person", ["reporter", "photographer"])
def test_reporters_and_photographers_do_not_see_tasks(client, request, person, failed_task):
    client.force_login(request.getfixturevalue(person))
    assert client.get(TASKS).status_code == 403
    assert client.get(f"{TASKS}{failed_task.pk}/change/").status_code == 403
    assert TASKS not in client.get("/admin/").content.decode(), "not in their admin menu"
