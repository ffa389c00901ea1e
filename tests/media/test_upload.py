"""Photographers upload many photos at once; credits come from the files; bad files are refused."""

import io
import struct
import zlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from media.models import Photo
from tests.media.conftest import fixture, upload

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/media/photo/upload/"


def post_files(client, *files):
    return client.post(UPLOAD, {"files": list(files)})


def refused(response):
    return dict(response.context["refused"])


def test_adding_a_photo_leads_to_the_upload_page(client, photographer):
    client.force_login(photographer)
    response = client.get("/admin/media/photo/add/")
    assert response.status_code == 302 and response["Location"] == UPLOAD
    page = client.get(UPLOAD).content.decode()
    assert "multiple" in page and 'type="file"' in page


def test_a_batch_becomes_photos_with_credits_read_from_each_file(client, photographer):
    client.force_login(photographer)
    response = post_files(
        client,
        upload("staff-gps-rotated.jpg"),
        upload("agency-iptc.jpg"),
        upload("exif-pillow.jpg"),
        upload("photo.webp", content_type="image/webp"),
        upload("photo.avif", content_type="image/avif"),
    )
    assert response.status_code == 200
    assert Photo.objects.count() == 5
    formset = response.context["formset"]
    assert len(formset.forms) == 5, "one metadata form per photo"

    staff = Photo.objects.get(original__contains="staff-gps-rotated")
    assert staff.creator == "Данияр Сейітқали"
    # IPTC cuts a credit at 32 bytes; XMP keeps it whole, so XMP wins.
    assert staff.credit_line == "Данияр Сейітқали / Newsroom"
    assert staff.copyright_notice == "© 2026 Данияр Сейітқали"
    assert staff.usage_terms == "Только для редакционного использования"
    assert staff.description == "Наурыз мейрамы: Алматыдағы мерекелік шеру"
    assert staff.alt_text == "Люди в национальных костюмах идут по площади"
    assert staff.date_taken == datetime(2026, 3, 21, 11, 30, tzinfo=ZoneInfo("Asia/Almaty"))
    assert (staff.width, staff.height) == (80, 120), "EXIF orientation turns it upright"
    assert staff.uploaded_by == photographer

    agency = Photo.objects.get(original__contains="agency-iptc")
    assert agency.creator == "Айгүл Қасымова"
    assert agency.credit_line == "Kazinform"
    assert agency.source == "Казинформ"
    assert agency.description == "Астанадағы көктемгі көрініс"
    assert agency.creator_author is None, "the file named someone else"

    pillow = Photo.objects.get(original__contains="exif-pillow")
    assert (pillow.creator, pillow.copyright_notice) == ("Press Service", "(c) akorda.kz")


def test_a_file_that_says_nothing_is_credited_from_the_uploaders_profile(client, photographer):
    client.force_login(photographer)
    post_files(client, upload("plain.png", content_type="image/png"))
    photo = Photo.objects.get()
    assert photo.creator == photo.credit_line == "Данияр Сейітқали"
    assert photo.creator_author == photographer.author


def test_describing_the_batch_saves_every_form_and_requires_alt_text_and_credit(
    client, photographer
):
    client.force_login(photographer)
    post_files(client, upload("plain.png", content_type="image/png"), upload("agency-iptc.jpg"))
    photos = list(Photo.objects.order_by("pk"))
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "id": [p.pk for p in photos]}
    for number, photo in enumerate(photos):
        data |= {
            f"form-{number}-id": photo.pk,
            f"form-{number}-description": f"Описание {number}",
            f"form-{number}-alt_text": f"Что на фото {number}" if number else "",
            f"form-{number}-credit_line": photo.credit_line,
        }
    response = client.post("/admin/media/photo/describe/", data)
    assert response.status_code == 200
    assert response.context["formset"].errors[0] == {"alt_text": ["Обязательное поле."]}
    assert not Photo.objects.filter(description="Описание 1").exists(), "nothing half-saved"

    data["form-0-alt_text"] = "Зелёное поле под голубым небом"
    response = client.post("/admin/media/photo/describe/", data)
    assert response.status_code == 302
    assert Photo.objects.get(pk=photos[0].pk).alt_text == "Зелёное поле под голубым небом"
    assert Photo.objects.get(pk=photos[1].pk).description == "Описание 1"


def bomb_png(width=100_000, height=100_000):
    """A valid, tiny PNG whose header claims ten gigapixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


HOSTILE = {
    "svg.jpg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(1)</script></svg>",
    "page.jpg": b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
    "script.png": b"#!/bin/sh\nrm -rf /\n",
    "document.pdf": b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF",
    "truncated.jpg": fixture("staff-gps-rotated.jpg")[:2500],
    "bomb.png": bomb_png(),
    "image.gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04"
    b"\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_is_refused_by_name_and_leaves_nothing_behind(
    client, photographer, stored_files, name
):
    client.force_login(photographer)
    before = stored_files()
    response = post_files(client, upload(name, HOSTILE[name]))
    assert response.status_code == 200
    assert name in refused(response), refused(response)
    assert Photo.objects.count() == 0
    assert stored_files() == before


def test_empty_file_is_refused_with_a_message(client, photographer):
    client.force_login(photographer)
    response = post_files(client, upload("empty.jpg", b""))
    assert Photo.objects.count() == 0
    assert refused(response) == {"empty.jpg": "Файл пустой."}


def test_file_over_the_size_limit_is_refused(client, photographer, settings, stored_files):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 1000
    client.force_login(photographer)
    before = stored_files()
    response = post_files(client, upload("staff-gps-rotated.jpg"))
    assert refused(response)["staff-gps-rotated.jpg"].startswith("Файл весит 5,9")
    assert refused(response)["staff-gps-rotated.jpg"].endswith("предел — 1000\xa0байт.")
    assert stored_files() == before


def test_megapixel_limit_is_a_setting(client, photographer, settings):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 5000
    client.force_login(photographer)
    response = post_files(client, upload("staff-gps-rotated.jpg"))
    assert "staff-gps-rotated.jpg" in refused(response)
    assert Photo.objects.count() == 0


def test_one_bad_file_does_not_lose_the_others(client, photographer):
    client.force_login(photographer)
    response = post_files(
        client,
        upload("agency-iptc.jpg"),
        upload("fake.jpg", HOSTILE["svg.jpg"]),
        upload("exif-pillow.jpg"),
    )
    assert Photo.objects.count() == 2
    assert list(refused(response)) == ["fake.jpg"]
    assert "fake.jpg" in response.content.decode()


def test_the_same_file_twice_is_recognised_and_the_existing_photo_offered(client, photographer):
    client.force_login(photographer)
    post_files(client, upload("agency-iptc.jpg"))
    existing = Photo.objects.get()
    response = post_files(client, upload("renamed-copy.jpg", fixture("agency-iptc.jpg")))
    assert Photo.objects.count() == 1
    reason = refused(response)["renamed-copy.jpg"]
    assert f"/admin/media/photo/{existing.pk}/change/" in reason
    # and within one batch
    response = post_files(
        client, upload("exif-pillow.jpg"), upload("again.jpg", fixture("exif-pillow.jpg"))
    )
    assert Photo.objects.count() == 2
    assert "again.jpg" in refused(response)


def test_cyrillic_and_kazakh_file_names_are_kept(client, photographer):
    client.force_login(photographer)
    post_files(client, upload("Наурыз-қала.jpg", fixture("agency-iptc.jpg")))
    assert Photo.objects.get().original.name.endswith("-Наурыз-қала.jpg")


def test_a_png_named_jpg_is_stored_under_its_real_kind(client, photographer):
    client.force_login(photographer)
    post_files(client, upload("really-a-png.jpg", fixture("plain.png")))
    photo = Photo.objects.get()
    assert photo.file_format == "png"
    assert photo.original.name.endswith("really-a-png.png")


def test_uploads_make_the_admin_thumbnails_at_once(client, photographer):
    client.force_login(photographer)
    post_files(client, upload("staff-gps-rotated.jpg"))
    photo = Photo.objects.get()
    assert sorted(photo.renditions.values_list("spec", flat=True)) == [
        "original-160.jpg",
        "original-640.jpg",
    ]
    with photo.renditions.get(spec="original-160.jpg").file.open("rb") as file:
        assert Image.open(io.BytesIO(file.read())).size == (80, 120)
