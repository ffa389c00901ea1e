"""A photo's renditions are made by a worker, right after the upload commits."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from media.models import OLD_RENDITIONS_KEPT, Photo
from media.specs import ADMIN_THUMBNAILS, standard_specs
from tests.factories import make_photo
from tests.media.conftest import fixture, upload
from tests.media.test_permissions import photo_data
from tests.tasks.conftest import run_worker

UPLOAD = "/admin/media/photo/upload/"
MAKE_RENDITIONS = "media.tasks.make_renditions"


def queued():
    return list(DBTaskResult.objects.filter(task_path=MAKE_RENDITIONS))


def test_upload_queues_the_renditions_once_the_upload_commits(
    client, editor, database_queue, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(UPLOAD, {"files": [upload("agency-iptc.jpg")]})
        assert response.status_code == 200
        assert queued() == [], "a worker must not look for a photo it cannot see yet"
    for callback in callbacks:
        callback()
    photo = Photo.objects.get()
    [task] = queued()
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs == {"args": [photo.pk, photo.token], "kwargs": {}}


@pytest.mark.parametrize(
    "name, data",
    [
        ("notes.jpg", b"not a picture at all"),
        ("cut-short.jpg", fixture("agency-iptc.jpg")[:400]),
    ],
)
def test_a_refused_upload_queues_nothing(
    client, editor, database_queue, django_capture_on_commit_callbacks, name, data
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"files": [upload(name, data)]})
    assert response.status_code == 200
    assert not Photo.objects.exists()
    assert queued() == []


def test_a_second_copy_of_a_photo_queues_nothing(
    client, editor, database_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_photo(fixture("agency-iptc.jpg"), "first.jpg")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(UPLOAD, {"files": [upload("agency-iptc.jpg")]})
    assert Photo.objects.count() == 1
    assert len(queued()) == 1, "only the first upload's task"


def test_an_upload_that_fails_while_saving_queues_nothing(
    db, database_queue, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(self, specs, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Photo, "make_renditions", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OSError):
        make_photo()
    assert not Photo.objects.exists()
    assert queued() == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_every_rendition_avif_included(database_queue):
    photo = make_photo(fixture("agency-iptc.jpg"), "agency.jpg")
    made_at_upload = set(photo.renditions.values_list("spec", flat=True))
    assert made_at_upload == {spec.name for spec in ADMIN_THUMBNAILS}

    run_worker()

    [task] = queued()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    photo.refresh_from_db()
    every = {spec.name for spec in standard_specs()}
    assert set(photo.renditions.values_list("spec", flat=True)) == every
    assert photo.made_spec_names == every, "pages link straight to every file"
    avif = photo.renditions.filter(spec__endswith=".avif")
    assert avif.count() == len([s for s in standard_specs() if s.file_format == "avif"]) > 0
    for rendition in avif:
        with rendition.file.open("rb") as file:
            assert file.read(12)[4:12] == b"ftypavif"


@pytest.mark.django_db(transaction=True)
def test_a_new_focal_point_queues_renditions_of_the_new_crop(
    client, database_queue, newsroom_roles, editor
):
    photo = make_photo()
    run_worker()
    client.force_login(editor)
    response = client.post(
        f"/admin/media/photo/{photo.pk}/change/", photo_data(photo, focal_x="0.1")
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.renditions.count() == len(ADMIN_THUMBNAILS), "the old crops are gone"

    run_worker()

    assert [task.status for task in queued()] == [TaskResultStatus.SUCCESSFUL] * 2
    assert photo.renditions.count() == len(standard_specs())
    assert all(f"/{photo.token}/" in r.file.name for r in photo.renditions.all())


@pytest.mark.django_db(transaction=True)
def test_a_task_for_a_picture_since_replaced_or_deleted_makes_nothing(database_queue):
    photo = make_photo()
    [task] = queued()
    Photo.objects.filter(pk=photo.pk).update(token="0" * 16)
    other = make_photo()
    other.delete()

    run_worker()

    assert {t.status for t in queued()} == {TaskResultStatus.SUCCESSFUL}
    assert photo.renditions.count() == len(ADMIN_THUMBNAILS)
    assert DBTaskResult.objects.get(pk=task.pk).return_value == 0


@pytest.mark.django_db(transaction=True)
def test_renditions_of_a_picture_changed_while_they_were_made_are_dropped(
    client, database_queue, newsroom_roles, editor, monkeypatch
):
    from media import imaging

    photo = make_photo()
    old_token = photo.token
    real_render = imaging.render
    client.force_login(editor)

    def editor_moves_the_focal_point_meanwhile(*args, **kwargs):
        monkeypatch.setattr(imaging, "render", real_render)
        response = client.post(
            f"/admin/media/photo/{photo.pk}/change/", photo_data(photo, focal_x="0.9")
        )
        assert response.status_code == 302
        return real_render(*args, **kwargs)

    monkeypatch.setattr(imaging, "render", editor_moves_the_focal_point_meanwhile)
    run_worker()  # the upload's task, then the focal point's

    photo.refresh_from_db()
    assert photo.token != old_token
    renditions = dict(photo.renditions.values_list("spec", "file"))
    assert set(renditions) == {spec.name for spec in standard_specs()}
    assert all(f"/{photo.token}/" in name for name in renditions.values()), "no old crop"
    assert photo.made_spec_names == set(renditions), "pages link to files at the new address"


def test_an_upload_goes_through_when_the_queue_is_away(
    client, editor, database_queue, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from django.db import DatabaseError

    from media import tasks

    class AwayQueue:
        def enqueue(self, *args):
            raise DatabaseError("the task table is locked")

    monkeypatch.setattr(tasks, "make_renditions", AwayQueue())
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"files": [upload("agency-iptc.jpg")]})
    assert response.status_code == 200
    photo = Photo.objects.get()
    assert photo.renditions.count() == len(ADMIN_THUMBNAILS), "the editor still sees it"
    assert "the task table is locked" in caplog.text, "and the failure is logged"


@pytest.mark.django_db(transaction=True)
def test_a_corrected_credits_old_renditions_stay_an_hour_for_pages_already_open(
    client, database_queue, newsroom_roles, editor, stored_files
):
    before = set(stored_files())
    photo = make_photo(credit_line="OLD CREDIT")
    run_worker()
    old_files = set(stored_files()) - before - {photo.original.path}
    assert len(old_files) == len(standard_specs())
    client.force_login(editor)
    response = client.post(
        f"/admin/media/photo/{photo.pk}/change/", photo_data(photo, credit_line="NEW CREDIT")
    )
    assert response.status_code == 302

    run_worker()  # the new renditions; the old files are not due to go yet
    photo.refresh_from_db()
    assert photo.renditions.count() == len(standard_specs())
    assert old_files <= set(stored_files()), "a page opened before the change still loads"
    [deletion] = DBTaskResult.objects.filter(task_path="media.tasks.delete_rendition_files")
    assert deletion.status == TaskResultStatus.READY
    wait = deletion.run_after - timezone.now()
    assert timedelta(minutes=59) < wait <= OLD_RENDITIONS_KEPT

    with time_machine.travel(deletion.run_after + timedelta(seconds=1)):
        run_worker()
    assert DBTaskResult.objects.get(pk=deletion.pk).status == TaskResultStatus.SUCCESSFUL
    storage = photo.renditions.first().file.storage
    assert set(stored_files()) - before == {
        storage.path(rendition.file.name) for rendition in photo.renditions.all()
    } | {photo.original.path}, "the old files are gone, and no other"


def test_old_renditions_go_at_once_when_the_queue_is_away(
    client, editor, database_queue, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from django.db import DatabaseError
    from django_tasks_db.backend import DatabaseBackend

    photo = make_photo(credit_line="OLD CREDIT")
    old_thumbnail = photo.renditions.first().file
    storage, name = old_thumbnail.storage, old_thumbnail.name

    def away(*args, **kwargs):
        raise DatabaseError("the task table is locked")

    monkeypatch.setattr(DatabaseBackend, "enqueue", away)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/media/photo/{photo.pk}/change/", photo_data(photo, credit_line="NEW CREDIT")
        )
    assert response.status_code == 302
    assert not storage.exists(name), "rather gone now than left forever"
    assert "the task table is locked" in caplog.text
