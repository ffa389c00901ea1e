"""
Pictures are decoded a few at a time per machine, whichever process asks: past
that, an upload waits a little, then is refused as busy and keeps nothing.
"""

import os
import subprocess
import sys
import textwrap
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from media import decoding, imaging
from media.models import Photo, Rendition
from media.specs import Spec
from newsroom.models import Author
from tests.factories import make_photo
from tests.media.conftest import fixture, upload
from tests.media.test_permissions import photo_data

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/media/photo/upload/"
BUSY = (
    "Сервер сейчас обрабатывает другие большие фото; это фото не сохранено."
    " Попробуйте ещё раз через минуту."
)


@pytest.fixture
def one_slot(settings, tmp_path):
    settings.NEWSROOM_DECODING_SLOTS = 1
    settings.NEWSROOM_DECODING_WAIT_SECONDS = 0.3
    settings.NEWSROOM_DECODING_DIR = tmp_path / "decoding"


@pytest.fixture
def other_process(settings):
    """Another process on the machine (a worker) that takes every slot and keeps it."""
    started = []

    def take_every_slot():
        script = textwrap.dedent(
            f"""
            import fcntl, os, sys
            os.makedirs({str(settings.NEWSROOM_DECODING_DIR)!r}, exist_ok=True)
            held = []
            for number in range({settings.NEWSROOM_DECODING_SLOTS}):
                path = os.path.join({str(settings.NEWSROOM_DECODING_DIR)!r}, f"slot-{{number}}")
                held.append(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
                fcntl.flock(held[-1], fcntl.LOCK_EX)
            print("holding", flush=True)
            sys.stdin.read()
            """
        )
        process = subprocess.Popen(
            [sys.executable, "-c", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout.readline() == "holding\n"
        started.append(process)
        return process

    yield take_every_slot
    for process in started:
        process.kill()
        process.wait()


def new_picture(seed=1):
    return SimpleUploadedFile(
        f"new-{seed}.jpg", imaging.drawn_landscape(40, 30, seed=seed), "image/jpeg"
    )


@pytest.mark.usefixtures("one_slot")
def test_an_upload_while_another_process_decodes_is_refused_as_busy_and_keeps_nothing(
    client, photographer, other_process, stored_files
):
    before = stored_files()
    other_process()
    client.force_login(photographer)
    started = time.monotonic()
    response = client.post(UPLOAD, {"files": [new_picture(1), new_picture(2)]})
    assert time.monotonic() - started < 2, "it waited for a slot, not for ever"
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.context["form"].errors["files"] == [BUSY]
    assert [name for name, _reason in response.context["refused"]] == ["new-1.jpg", "new-2.jpg"]
    assert not Photo.objects.exists()
    assert stored_files() == before


@pytest.mark.usefixtures("one_slot")
def test_a_slot_comes_back_when_the_process_holding_it_is_killed(
    client, photographer, other_process
):
    holder = other_process()
    holder.kill()
    holder.wait()
    client.force_login(photographer)
    response = client.post(UPLOAD, {"files": [new_picture()]})
    assert response.status_code == 200
    assert Photo.objects.count() == 1


@pytest.mark.usefixtures("one_slot")
def test_a_file_refused_from_its_header_waits_for_no_slot(
    client, photographer, other_process, settings
):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 100
    other_process()
    client.force_login(photographer)
    response = client.post(UPLOAD, {"files": [upload("exif-pillow.jpg")]})
    assert response.status_code == 200
    [(_name, reason)] = response.context["refused"]
    assert "мегапикс" in reason


@pytest.mark.usefixtures("one_slot")
def test_replacing_a_file_while_busy_is_a_form_error_and_changes_nothing(
    client, editor, other_process
):
    photo = make_photo(fixture("agency-iptc.jpg"), "old.jpg", alt_text="Старое")
    token = photo.token
    other_process()
    client.force_login(editor)
    change = f"/admin/media/photo/{photo.pk}/change/"
    response = client.post(change, photo_data(photo, replace_file=upload("exif-pillow.jpg")))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["replace_file"] == [BUSY]
    photo.refresh_from_db()
    assert photo.token == token and "old" in photo.original.name


@pytest.mark.usefixtures("one_slot")
def test_a_rendition_asked_for_while_busy_is_a_503_the_browser_retries(client, other_process):
    photo = make_photo()
    other_process()
    url = photo.rendition_url(Spec("original", 320, "webp"), made=set())
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert not Rendition.objects.filter(photo=photo, spec="original-320.webp").exists()


@pytest.mark.usefixtures("one_slot")
def test_a_portrait_uploaded_on_the_authors_page_needs_only_the_one_slot(client, editor):
    # Inspected, then its thumbnails drawn: one after the other, each in the one slot.
    client.force_login(editor)
    response = client.post(
        "/admin/newsroom/author/add/",
        {
            "name": "Айгүл Қасымова",
            "slug": "aigul-kasymova",
            "job_title": "",
            "bio": "",
            "user": "",
            "new_portrait": upload("exif-pillow.jpg"),
            "portrait_credit_line": "Фото редакции",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Author.objects.get(slug="aigul-kasymova").portrait.renditions.count() == 2


def test_slots_are_shared_by_the_threads_of_one_process_too(settings, tmp_path):
    # flock() locks an open file, not a process: a threaded server counts each request.
    settings.NEWSROOM_DECODING_SLOTS = 2
    settings.NEWSROOM_DECODING_WAIT_SECONDS = 0.1
    settings.NEWSROOM_DECODING_DIR = tmp_path
    first, second = decoding._take(0), decoding._take(0)
    try:
        with pytest.raises(decoding.DecodingBusy):
            decoding._take(0.1)
    finally:
        os.close(first)
        os.close(second)
    os.close(decoding._take(0))


def test_no_slots_setting_means_no_limit(settings, tmp_path):
    settings.NEWSROOM_DECODING_SLOTS = 0
    settings.NEWSROOM_DECODING_DIR = tmp_path / "never-made"
    with decoding.slot(), decoding.slot():
        pass
    assert not (tmp_path / "never-made").exists()


def test_background_work_leaves_the_first_slot_to_people(settings, tmp_path):
    settings.NEWSROOM_DECODING_SLOTS = 2
    settings.NEWSROOM_DECODING_DIR = tmp_path
    worker = decoding._take(0, background=True)
    try:
        with pytest.raises(decoding.DecodingBusy):
            decoding._take(0.1, background=True)
        os.close(decoding._take(0))  # an upload still finds one
    finally:
        os.close(worker)
