"""
The disk fails during an upload (full, or turned read-only): the photographer
is told which file and why, and nothing of it stays: no row, no file, no part
of one.
"""

import errno
import os
import tempfile

import pytest
from django.core.files.storage import default_storage

from media.models import Photo
from tests.factories import make_photo
from tests.media.conftest import fixture, upload
from tests.media.test_permissions import photo_data

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/media/photo/upload/"


def storage_named(alias):
    return Photo._meta.get_field("original").storage if alias == "originals" else default_storage


def under(path, storage):
    root = os.path.realpath(storage.location)
    return os.path.realpath(path).startswith(root + os.sep)


class FillingDisk:
    """A file on a disk that has room for half of what is written to it."""

    def __init__(self, file, on_disk):
        self.file, self.on_disk = file, on_disk

    def write(self, data):
        self.file.write(data[: len(data) // 2])
        self.file.flush()
        self.on_disk.append(os.fstat(self.file.fileno()).st_size)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def close(self):
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


@pytest.fixture
def disk_fills_up(monkeypatch):
    """The disk under a storage fills up part-way through the next file written there."""
    on_disk = []

    def fill_up(storage):
        real_fdopen = os.fdopen

        def fdopen(fd, *args, **kwargs):
            file = real_fdopen(fd, *args, **kwargs)
            if under(os.readlink(f"/proc/self/fd/{fd}"), storage):
                return FillingDisk(file, on_disk)
            return file

        monkeypatch.setattr(os, "fdopen", fdopen)
        return on_disk

    return fill_up


@pytest.fixture
def disk_turns_read_only(monkeypatch):
    # Tests may run as root, for whom a directory's mode forbids nothing.
    def turn(storage):
        real_mkstemp = tempfile.mkstemp

        def mkstemp(*args, dir=None, **kwargs):
            if dir is not None and under(dir, storage):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS))
            return real_mkstemp(*args, dir=dir, **kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)

    return turn


def file_errors(response):
    assert response.status_code == 200
    return response.context["form"].errors["files"]


@pytest.mark.parametrize("alias", ["originals", "default"], ids=["originals", "renditions"])
def test_a_disk_that_fills_up_during_an_upload_leaves_no_photo_and_no_part_of_a_file(
    client, photographer, stored_files, disk_fills_up, alias
):
    client.force_login(photographer)
    before = stored_files()
    on_disk = disk_fills_up(storage_named(alias))
    response = client.post(UPLOAD, {"files": [upload("agency-iptc.jpg")]})
    assert file_errors(response) == [
        "«agency-iptc.jpg» не сохранён: хранилище фотографий заполнено. От него ничего не"
        " осталось, а файлы после него не загружались. Сообщите администратору сайта."
    ]
    assert on_disk and on_disk[0] > 0, "part of the file reached the disk before it filled up"
    assert not Photo.objects.exists()
    assert stored_files() == before


def test_a_read_only_disk_refuses_the_upload_by_name_and_keeps_nothing(
    client, photographer, stored_files, disk_turns_read_only
):
    client.force_login(photographer)
    before = stored_files()
    disk_turns_read_only(storage_named("originals"))
    response = client.post(UPLOAD, {"files": [upload("plain.png", content_type="image/png")]})
    [error] = file_errors(response)
    assert error.startswith("«plain.png» не сохранён: в хранилище фотографий нельзя записывать.")
    assert not Photo.objects.exists()
    assert stored_files() == before


def test_photos_stored_before_the_disk_filled_up_are_kept_whole(
    client, photographer, stored_files, disk_fills_up, monkeypatch
):
    client.force_login(photographer)
    before = stored_files()
    storage = storage_named("originals")
    real_save = storage._save

    def fill_up_after_first(name, content):
        # The first photo's original goes in; the disk is full for the next.
        monkeypatch.setattr(storage, "_save", real_save)
        stored = real_save(name, content)
        disk_fills_up(storage)
        return stored

    monkeypatch.setattr(storage, "_save", fill_up_after_first)
    response = client.post(
        UPLOAD,
        {
            "files": [
                upload("agency-iptc.jpg"),
                upload("plain.png", content_type="image/png"),
                upload("exif-pillow.jpg"),
            ]
        },
    )
    [error] = file_errors(response)
    assert error.startswith("«plain.png» не сохранён: хранилище фотографий заполнено.")
    kept = Photo.objects.get()
    assert "agency-iptc" in kept.original.name
    with kept.original.open("rb") as file:
        assert file.read() == upload("agency-iptc.jpg").read()
    assert [str(m) for m in response.context["messages"]] == [
        "Загружено 1 фото. Проверьте авторство и опишите его."
    ]
    new = set(stored_files()) - set(before)
    assert len(new) == 1 + kept.renditions.count(), "its original and its thumbnails"


@pytest.mark.parametrize("alias", ["originals", "default"], ids=["originals", "renditions"])
def test_replacing_a_photos_file_on_a_full_disk_changes_nothing_and_says_why(
    client, editor, stored_files, disk_fills_up, alias
):
    photo = make_photo(fixture("agency-iptc.jpg"), "old.jpg", alt_text="Старое")
    before, token = stored_files(), photo.token
    client.force_login(editor)
    disk_fills_up(storage_named(alias))
    change = f"/admin/media/photo/{photo.pk}/change/"
    response = client.post(change, photo_data(photo, replace_file=upload("exif-pillow.jpg")))
    assert response.status_code == 302 and response["Location"] == change
    page = client.get(change)
    assert [str(m) for m in page.context["messages"]] == [
        "Фото не изменено: хранилище фотографий заполнено. Из изменений ничего не"
        " сохранилось; сообщите администратору сайта."
    ]
    photo.refresh_from_db()
    assert "old" in photo.original.name and photo.token == token
    with photo.original.open("rb") as file:
        assert file.read() == fixture("agency-iptc.jpg"), "the old file is still there, whole"
    assert stored_files() == before
