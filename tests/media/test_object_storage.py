"""
Photos on an S3-compatible service (NEWSROOM_STORAGE_URL): originals in a
private bucket no reader can fetch, renditions in a public one that pages link
to. Run against moto_server over HTTP (the object_storage fixture).
"""

import io
import urllib.error
import urllib.request

import pytest
from lxml import etree
from lxml import html as lxml_html
from PIL import Image

from media.imaging import drawn_landscape, read_metadata
from media.models import Photo
from media.specs import SHARE_SPEC, parse
from tests.factories import make_article, make_photo
from tests.media.conftest import upload
from tests.media.test_permissions import photo_data

pytestmark = pytest.mark.django_db


def anonymous_get(url):
    """What a reader's browser gets: no credentials, no signature."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, None, b""


def keys(object_storage, bucket):
    listing = object_storage["client"].list_objects_v2(Bucket=object_storage[bucket])
    return sorted(item["Key"] for item in listing.get("Contents", []))


def picture_urls(client, story):
    page = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
    urls = set(page.xpath("//figure//picture//img/@src"))
    for srcset in page.xpath("//figure//picture//@srcset"):
        urls |= {candidate.split()[0] for candidate in srcset.split(",")}
    assert urls, "the story page shows its lead photo"
    return urls


def test_an_upload_keeps_the_original_in_the_private_bucket_out_of_readers_reach(
    client, photographer, object_storage, s3_server
):
    client.force_login(photographer)
    response = client.post("/admin/media/photo/upload/", {"files": [upload("agency-iptc.jpg")]})
    assert response.status_code == 200
    photo = Photo.objects.get()

    assert keys(object_storage, "originals") == [photo.original.name]
    public = keys(object_storage, "public")
    assert public and all(key.startswith(f"renditions/{photo.pk}/") for key in public), (
        "only renditions (the admin thumbnails) are public"
    )

    bare = f"{s3_server}/{object_storage['originals']}/{photo.original.name}"
    assert anonymous_get(bare)[0] == 403
    # The storage gives only addresses signed for a few minutes.
    signed = photo.original.url
    assert "Signature=" in signed and "Expires=" in signed
    status, _type, data = anonymous_get(signed)
    assert status == 200 and data == upload("agency-iptc.jpg").read()


def test_story_pictures_come_from_the_public_bucket_once_the_maker_has_made_them(
    client, object_storage, s3_server
):
    story = make_article(lead_photo=make_photo())
    first = picture_urls(client, story)
    to_make = {url for url in first if url.startswith("/img/")}
    assert to_make, "a fresh photo's page sends readers to the rendition maker"

    for url in to_make:
        response = client.get(url)
        assert response.status_code == 200, url
        Image.open(io.BytesIO(response.content)).verify()
        again = client.get(url)
        assert again.status_code == 302
        assert again["Location"].startswith(f"{s3_server}/{object_storage['public']}/renditions/")

    after = picture_urls(client, story)
    assert all(url.startswith(f"{s3_server}/{object_storage['public']}/") for url in after)
    for url in after:
        status, content_type, data = anonymous_get(url)
        assert status == 200, url
        assert content_type == f"image/{'jpeg' if url.endswith('.jpg') else url[-4:]}", url
        Image.open(io.BytesIO(data)).verify()


def test_deleting_a_photo_deletes_its_objects_in_both_buckets(
    object_storage, django_capture_on_commit_callbacks
):
    kept, photo = make_photo(), make_photo(drawn_landscape(3000, 2000, seed=7), "big.jpg")
    photo.make_renditions([parse("16x9-320.webp")])
    assert photo.working_copy, "a photo wider than the working copy has one"
    assert len(keys(object_storage, "originals")) == 3
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert keys(object_storage, "originals") == [kept.original.name]
    assert all(key.startswith(f"renditions/{kept.pk}/") for key in keys(object_storage, "public"))


def test_share_card_and_feed_enclosure_give_the_public_files_own_address(
    client, object_storage, s3_server
):
    story = make_article(lead_photo=make_photo())
    share = story.lead_photo.make_renditions([SHARE_SPEC])[0]
    bucket_url = f"{s3_server}/{object_storage['public']}/{share.file.name}"

    page = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
    assert page.xpath("//meta[@property='og:image']/@content") == [bucket_url]
    feed = etree.fromstring(client.get("/rss/yandex/").content)
    enclosure = feed.find(".//item/enclosure")
    assert enclosure.get("url") == bucket_url
    status, _type, data = anonymous_get(bucket_url)
    assert status == 200 and enclosure.get("length") == str(len(data))


def test_an_object_store_that_refuses_the_upload_leaves_no_photo_and_no_object(
    client, photographer, object_storage
):
    client.force_login(photographer)
    # The public bucket is gone (deleted, or the key lost its rights to it): the
    # original goes in, its thumbnails cannot.
    object_storage["client"].delete_bucket(Bucket=object_storage["public"])
    response = client.post("/admin/media/photo/upload/", {"files": [upload("agency-iptc.jpg")]})
    assert response.status_code == 200
    assert response.context["form"].errors["files"] == [
        "«agency-iptc.jpg» не сохранён: хранилище фотографий дало сбой. От него ничего не"
        " осталось, а файлы после него не загружались. Сообщите администратору сайта."
    ]
    assert not Photo.objects.exists()
    assert keys(object_storage, "originals") == [], "the original went with its row"


def test_a_corrected_credit_leaves_only_renditions_carrying_it_in_the_bucket(
    client, editor, object_storage, django_capture_on_commit_callbacks
):
    photo = make_photo(credit_line="OLD CREDIT")
    photo.make_renditions([parse("16x9-320.webp"), parse("original-480.jpg")])
    old_token = photo.token
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/media/photo/{photo.pk}/change/", photo_data(photo, credit_line="NEW CREDIT")
        )
    assert response.status_code == 302
    photo.refresh_from_db()
    public = keys(object_storage, "public")
    assert not any(f"/{old_token}/" in key for key in public), "no object of the old credit left"
    assert public == sorted(photo.renditions.values_list("file", flat=True))
    for key in public:
        if key.endswith((".jpg", ".webp")):
            body = object_storage["client"].get_object(Bucket=object_storage["public"], Key=key)
            image = Image.open(io.BytesIO(body["Body"].read()))
            assert read_metadata(image)["credit_line"] == "NEW CREDIT", key
