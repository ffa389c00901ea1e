"""
A photographer may upload so many files in a window of minutes; past that, the
upload page says when they may go on, and keeps nothing of the refused files.
"""

import os
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from media.imaging import drawn_landscape
from media.models import Photo
from tests.media.conftest import upload
from tests.media.test_permissions import photo_data

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/media/photo/upload/"


def pictures(count, first_seed=0):
    return [
        SimpleUploadedFile(f"p{seed}.jpg", drawn_landscape(40, 30, seed=seed), "image/jpeg")
        for seed in range(first_seed, first_seed + count)
    ]


@pytest.fixture
def three_per_window(settings):
    settings.NEWSROOM_UPLOADS_PER_WINDOW = 3
    settings.NEWSROOM_UPLOAD_WINDOW_MINUTES = 10


@pytest.fixture(params=["local cache", "redis"])
def shared_cache(request):
    # Production counts in Redis, which every worker and machine shares.
    if request.param == "redis":
        request.getfixturevalue("redis_cache")


@pytest.mark.usefixtures("three_per_window", "shared_cache")
def test_a_batch_past_the_limit_keeps_the_first_files_and_says_when_to_come_back(
    client, photographer, stored_files
):
    client.force_login(photographer)
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 3, 6, 14, 0)), tick=False):
        response = client.post(UPLOAD, {"files": pictures(5)})
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert Photo.objects.count() == 3
    errors = response.context["form"].errors["files"]
    assert errors == [
        "Достигнут предел загрузок: 3 шт. за 10 мин. Больше ничего не загружено;"
        " загружать снова можно в 14:10."
    ]
    assert [name for name, _reason in response.context["refused"]] == ["p3.jpg", "p4.jpg"]
    stored = [os.path.basename(path) for path in stored_files()]
    assert not [name for name in stored if name.endswith(("-p3.jpg", "-p4.jpg"))]


@pytest.mark.usefixtures("three_per_window")
def test_the_limit_counts_every_request_in_the_window_and_ends_with_it(client, photographer):
    client.force_login(photographer)
    start = timezone.make_aware(timezone.datetime(2026, 3, 6, 14, 0))
    with time_machine.travel(start, tick=False) as traveller:
        for seed in range(3):
            assert client.post(UPLOAD, {"files": pictures(1, seed)}).status_code == 200
        traveller.shift(timedelta(minutes=9))
        assert client.post(UPLOAD, {"files": pictures(1, 10)}).status_code == 429
        traveller.shift(timedelta(minutes=1, seconds=1))
        assert client.post(UPLOAD, {"files": pictures(1, 11)}).status_code == 200
    assert Photo.objects.count() == 4


@pytest.mark.usefixtures("three_per_window")
def test_each_photographer_has_an_allowance_of_their_own(client, photographer, other_photographer):
    client.force_login(photographer)
    client.post(UPLOAD, {"files": pictures(4)})
    client.force_login(other_photographer)
    response = client.post(UPLOAD, {"files": pictures(3, 10)})
    assert response.status_code == 200
    assert Photo.objects.filter(uploaded_by=other_photographer).count() == 3


@pytest.mark.usefixtures("three_per_window")
def test_refused_and_duplicate_files_count_too(client, photographer):
    # Each costs a decode: a flood of broken files is a flood all the same.
    client.force_login(photographer)
    broken = SimpleUploadedFile("broken.jpg", b"\xff\xd8 not really", "image/jpeg")
    response = client.post(UPLOAD, {"files": [broken, *pictures(3)]})
    assert response.status_code == 429
    assert Photo.objects.count() == 2


@pytest.mark.usefixtures("three_per_window")
def test_replacing_a_file_counts_against_the_same_allowance(client, photographer):
    client.force_login(photographer)
    client.post(UPLOAD, {"files": pictures(3)})
    photo = Photo.objects.order_by("pk").first()
    token = photo.token
    change = f"/admin/media/photo/{photo.pk}/change/"
    response = client.post(change, photo_data(photo, replace_file=upload("exif-pillow.jpg")))
    assert response.status_code == 200
    assert (
        "Достигнут предел загрузок" in response.context["adminform"].form.errors["replace_file"][0]
    )
    photo.refresh_from_db()
    assert photo.token == token and "exif-pillow" not in photo.original.name


def test_a_limit_of_zero_means_no_limit(client, photographer, settings):
    settings.NEWSROOM_UPLOADS_PER_WINDOW = 0
    client.force_login(photographer)
    assert client.post(UPLOAD, {"files": pictures(4)}).status_code == 200
    assert Photo.objects.count() == 4


@pytest.mark.parametrize(
    ("prefix", "words"), [("/en", "The upload limit is reached"), ("/kk", "Жүктеу шегіне жетті")]
)
def test_the_refusal_speaks_the_language_of_the_address(
    client, photographer, settings, prefix, words
):
    settings.NEWSROOM_UPLOADS_PER_WINDOW = 1
    client.force_login(photographer)
    response = client.post(f"{prefix}{UPLOAD}", {"files": pictures(2)})
    assert response.status_code == 429
    assert words in response.content.decode()


def test_uploads_go_on_while_redis_is_away(client, photographer, settings):
    # A count that cannot be kept is no reason to stop the photo desk.
    settings.NEWSROOM_UPLOADS_PER_WINDOW = 1
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.SharedRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.05, "socket_timeout": 0.05},
        }
    }
    client.force_login(photographer)
    response = client.post(UPLOAD, {"files": pictures(2)})
    assert response.status_code == 200
    assert Photo.objects.count() == 2
