"""A photo's credit: one map of fields, one completeness rule, one way to print it, and
renditions that always carry the credit as it is now."""

import io
import json
import sys

import lxml.html
import pytest
from django.db import models
from lxml import etree
from PIL import Image

from articles.caching import pages_retired
from media import credits, imaging
from media.admin import PhotoAdmin
from media.forms import PhotoDescriptionForm, PhotoForm
from media.models import Photo, Rendition
from media.specs import ADMIN_THUMBNAILS, Spec, standard_specs
from tests.factories import make_article, make_author, make_photo
from tests.media.test_permissions import photo_data

pytestmark = pytest.mark.django_db

THUMBNAIL = ADMIN_THUMBNAILS[0]  # the 160-pixel JPEG


def read_credit(storage_name):
    with Rendition._meta.get_field("file").storage.open(storage_name, "rb") as file:
        return imaging.read_metadata(Image.open(io.BytesIO(file.read())))


def picture_addresses(client, story):
    page = lxml.html.fromstring(client.get(story.get_absolute_url()).content)
    addresses = set(page.xpath("//figure[contains(@class, 'lead-photo')]//img/@src"))
    for srcset in page.xpath("//figure[contains(@class, 'lead-photo')]//@srcset"):
        addresses |= {candidate.split()[0] for candidate in srcset.split(",")}
    assert addresses, "the story page shows its lead photo"
    return addresses


# One map ---------------------------------------------------------------------------


def test_the_model_the_forms_and_the_admin_take_their_fields_from_the_credit_map():
    for entry in credits.FIELDS:
        field = Photo._meta.get_field(entry.name)
        assert type(field) is type(entry.field)
        assert (field.verbose_name, field.help_text) == (
            entry.field.verbose_name,
            entry.field.help_text,
        )
    assert list(PhotoDescriptionForm.base_fields) == credits.NAMES
    assert set(credits.NAMES) <= set(PhotoForm.base_fields)
    fieldsets = [name for _title, options in PhotoAdmin.fieldsets for name in options["fields"]]
    assert sorted(name for name in fieldsets if name in credits.NAMES) == sorted(credits.NAMES)
    form = PhotoDescriptionForm()
    assert [name for name, field in form.fields.items() if field.required] == credits.REQUIRED
    for entry in credits.FIELDS:
        if isinstance(entry.field, models.TextField):
            assert form.fields[entry.name].widget.attrs["rows"] == 2


def test_every_field_renditions_carry_survives_the_trip_through_xmp():
    # Characters XML must escape, and Kazakh letters, in every field the map writes.
    credit = {name: f"<{name}> & «Қазақ» {number}" for number, name in enumerate(credits.NAMES)}
    data = imaging.render(
        imaging.drawn_landscape(64, 36, seed=1), [Spec("original", 160, "jpeg")], credit=credit
    )[0].data
    read = imaging.read_metadata(Image.open(io.BytesIO(data)))
    assert {name: read.get(name) for name in credits.IN_RENDITIONS} == {
        name: credit[name] for name in credits.IN_RENDITIONS
    }
    # What describes the picture stays out of its renditions, as before.
    assert "alt_text" not in read and "description" not in read


def test_a_credit_longer_than_its_field_is_cut_to_fit():
    xmp = imaging.xmp_packet({"credit_line": "Д" * 250, "copyright_notice": "©" * 400})
    image = Image.open(io.BytesIO(imaging.drawn_landscape(64, 36, seed=2)))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", xmp=xmp)
    photo = Photo.objects.create_from_file(buffer.getvalue(), "long.jpg")
    photo.refresh_from_db()
    assert photo.credit_line == "Д" * 200
    assert photo.copyright_notice == "©" * 300


# One completeness rule -------------------------------------------------------------

TRICKY = {
    "": True,
    " ": True,
    "   ": True,
    "\t": True,
    "\n\r\n": True,
    "\xa0": True,  # a no-break space, as a word processor pastes it
    " \u2003\u3000 ": True,  # an em space and an ideographic space
    "\u202f": True,  # the narrow no-break space French and Kazakh typography use
    "\u200b": False,  # a zero-width space is a character, not whitespace, to Python too
    "x": False,
    " x ": False,
    "\xa0Шеру\xa0": False,
}


def test_the_database_and_python_agree_on_what_blank_means():
    photos = {value: make_photo(alt_text=value, credit_line="akorda.kz") for value in TRICKY} | {
        f"credit:{value}": make_photo(credit_line=value) for value in TRICKY
    }
    incomplete = set(Photo.objects.incomplete().values_list("pk", flat=True))
    for key, photo in photos.items():
        blank = TRICKY[key.removeprefix("credit:")]
        photo = Photo.objects.get(pk=photo.pk)  # as the database gives it back
        assert (photo.pk in incomplete) is blank, repr(key)
        assert photo.is_complete is not blank, repr(key)


def test_whitespace_is_every_character_python_counts_as_whitespace():
    everything = (chr(point) for point in range(sys.maxunicode + 1))
    assert set(credits.WHITESPACE) == {char for char in everything if char.isspace()}


@pytest.mark.parametrize("blank", ["\xa0", "\t \u3000"])
def test_alt_text_of_nothing_but_whitespace_is_refused_on_its_field(client, editor, blank):
    photo = make_photo()
    client.force_login(editor)
    response = client.post(
        f"/admin/media/photo/{photo.pk}/change/", photo_data(photo, alt_text=blank)
    )
    assert response.status_code == 200
    assert "alt_text" in response.context["adminform"].form.errors
    assert Photo.objects.get(pk=photo.pk).alt_text == photo.alt_text


# One way to print a credit ---------------------------------------------------------


def test_pages_and_feeds_print_the_same_credit_escaped(client):
    staff = make_author("Данияр Сейітқали")
    photo = make_photo(credit_line="<b>AP</b> & Kazinform", creator_author=staff)
    story = make_article(lead_photo=photo)
    page = client.get(story.get_absolute_url()).content.decode()
    assert (
        f'<span class="credit">Фото: <a href="{staff.get_absolute_url()}">'
        "&lt;b&gt;AP&lt;/b&gt; &amp; Kazinform</a></span>"
    ) in page
    feed = etree.fromstring(client.get("/rss/dzen/").content)
    content = feed.findtext(".//{http://purl.org/rss/1.0/modules/content/}encoded")
    assert '<span class="copyright">&lt;b&gt;AP&lt;/b&gt; &amp; Kazinform</span>' in content


def test_structured_data_carries_the_credit_the_creator_and_the_copyright(client, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.kz"
    staff = make_author("Данияр Сейітқали")
    photo = make_photo(
        credit_line="Данияр Сейітқали / Newsroom",
        creator="Данияр Сейітқали",
        creator_author=staff,
        copyright_notice="© 2026 Newsroom",
    )
    story = make_article(lead_photo=photo)
    page = lxml.html.fromstring(client.get(story.get_absolute_url()).content)
    (script,) = page.xpath("//script[@type='application/ld+json']/text()")
    image = json.loads(script)["image"][0]
    assert image["creditText"] == "Данияр Сейітқали / Newsroom"
    assert image["creator"] == {
        "@type": "Person",
        "name": "Данияр Сейітқали",
        "url": f"https://news.example.kz{staff.get_absolute_url()}",
    }
    assert image["copyrightNotice"] == "© 2026 Newsroom"


# A corrected credit reaches the renditions -----------------------------------------


def test_a_corrected_credit_reaches_every_rendition_at_a_new_address(
    client, editor, stored_files, django_capture_on_commit_callbacks
):
    before = set(stored_files())
    photo = make_photo(credit_line="OLD CREDIT", creator="Old Photographer")
    story = make_article(lead_photo=photo)
    photo.make_renditions(standard_specs(formats=("jpeg", "webp")))
    old_token = photo.token
    old_addresses = picture_addresses(client, story)
    assert all(f"/{old_token}/" in address for address in old_addresses)
    assert read_credit(photo.rendition_path(THUMBNAIL.name))["credit_line"] == "OLD CREDIT"

    seen_when_retired = []
    old_thumbnail = photo.rendition_path(THUMBNAIL.name)
    storage = Rendition._meta.get_field("file").storage

    def retired(**kwargs):
        seen_when_retired.append(storage.exists(old_thumbnail))

    pages_retired.connect(retired, dispatch_uid="test-credit-retired")
    try:
        client.force_login(editor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/admin/media/photo/{photo.pk}/change/",
                photo_data(photo, credit_line="NEW CREDIT", creator="New Photographer"),
            )
    finally:
        pages_retired.disconnect(dispatch_uid="test-credit-retired")
    assert response.status_code == 302, response.context["adminform"].form.errors

    assert seen_when_retired and seen_when_retired[0], "old files outlive the pages linking them"
    photo.refresh_from_db()
    assert photo.token != old_token, "new addresses, so no cache serves the old bytes"
    renditions = dict(photo.renditions.values_list("spec", "file"))
    assert set(renditions) == {spec.name for spec in standard_specs()}
    for spec, name in renditions.items():
        assert f"/{photo.token}/" in name, spec
        if not spec.endswith(".avif"):  # Pillow reads no XMP back from AVIF
            credit = read_credit(name)
            assert (credit["credit_line"], credit["creator"]) == (
                "NEW CREDIT",
                "New Photographer",
            ), spec

    new_addresses = picture_addresses(client, story)
    assert new_addresses and not new_addresses & old_addresses
    assert all(f"/{photo.token}/" in address for address in new_addresses)
    assert "NEW CREDIT" in client.get(story.get_absolute_url()).content.decode()

    files = set(stored_files()) - before
    assert not any(f"/{old_token}/" in name for name in files), "old renditions removed"
    assert files == {storage.path(name) for name in renditions.values()} | {photo.original.path}, (
        "every file has its row, and every row its file"
    )


@pytest.mark.parametrize("name", credits.IN_RENDITIONS)
def test_any_field_renditions_carry_renews_them(name):
    photo = make_photo()
    old_token = photo.token
    setattr(photo, name, "Исправлено")
    photo.save()
    photo.refresh_from_db()
    assert photo.token != old_token
    assert read_credit(photo.rendition_path(THUMBNAIL.name))[name] == "Исправлено"
    assert photo.made_spec_names == {spec.name for spec in ADMIN_THUMBNAILS}


@pytest.mark.parametrize("name", ["description", "alt_text", "date_taken"])
def test_a_change_renditions_do_not_carry_keeps_them(name):
    photo = Photo.objects.get(pk=make_photo().pk)
    old_token, made = photo.token, photo.made_specs
    value = photo.created_at if name == "date_taken" else "Исправлено"
    setattr(photo, name, value)
    photo.save()
    photo.refresh_from_db()
    assert (photo.token, photo.made_specs) == (old_token, made)


def test_credits_corrected_on_the_describe_page_reach_the_renditions(
    client, photographer, django_capture_on_commit_callbacks
):
    client.force_login(photographer)
    first = make_photo(uploaded_by=photographer, credit_line="OLD CREDIT")
    second = make_photo(uploaded_by=photographer, credit_line="akorda.kz")
    tokens = {first.pk: first.token, second.pk: second.token}
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "id": [first.pk, second.pk]}
    for number, photo in enumerate([first, second]):
        row = photo_data(photo, credit_line="NEW CREDIT" if photo == first else "akorda.kz")
        row.pop("focal_x"), row.pop("focal_y")
        data |= {f"form-{number}-{key}": value for key, value in row.items()}
        data[f"form-{number}-id"] = photo.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/media/photo/describe/", data)
    assert response.status_code == 302
    first.refresh_from_db(), second.refresh_from_db()
    assert first.token != tokens[first.pk]
    assert read_credit(first.rendition_path(THUMBNAIL.name))["credit_line"] == "NEW CREDIT"
    assert second.token == tokens[second.pk], "an unchanged credit keeps its renditions"
