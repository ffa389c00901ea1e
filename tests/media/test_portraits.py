"""
An author's portrait is a library photo: chosen or uploaded on the author's
page under the photo desk's checks, credited, drawn at several sizes around
its focal point, and named with its credit in the author's structured data.
"""

import errno
import io
import json

import lxml.html
import pytest
from PIL import Image

from articles import caching
from media.imaging import drawn_landscape, drawn_portrait
from media.models import Photo, Rendition
from media.specs import parse
from newsroom.models import Author
from tests.factories import make_article, make_author, make_photo
from tests.media.conftest import upload

pytestmark = pytest.mark.django_db


def author_form(author=None, **fields):
    """The author's page as the admin posts it, with the portrait's fields."""
    data = {"name": "Асхат Оспанов", "slug": "", "job_title": "", "bio": "", "user": ""}
    if author is not None:
        data |= {"name": author.name, "slug": author.slug, "job_title": author.job_title}
        data["portrait"] = author.portrait.pk if hasattr(author, "portrait") else ""
    data |= {"portrait_credit_line": "", "portrait_creator": "", "portrait_copyright_notice": ""}
    return data | fields


def portrait_file(size=400, seed=1):
    return upload("portrait.jpg", drawn_portrait(size, seed=seed))


@pytest.fixture
def bylined(db):
    """An author with a page: bylined on a published story, no portrait yet."""
    author = make_author("Асхат Оспанов", portrait=False, job_title="фотокорреспондент")
    story = make_article("Шеру на площади", authors=[author])
    return author, story


def structured_person(html):
    [script] = lxml.html.fromstring(html).xpath("//script[@type='application/ld+json']")
    return json.loads(script.text)


def test_uploaded_portrait_shows_with_its_credit_on_the_authors_page_and_in_its_data(
    client, editor, bylined
):
    author, story = bylined
    client.force_login(editor)
    response = client.post(
        f"/admin/newsroom/author/{author.pk}/change/",
        author_form(
            author,
            new_portrait=portrait_file(),
            portrait_credit_line="Фото: Kazinform",
            portrait_creator="Асель Нурланова",
            portrait_copyright_notice="© Kazinform",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo = Photo.objects.get(portrait_of=author)
    assert (photo.credit_line, photo.alt_text) == ("Фото: Kazinform", "Фото Асхат Оспанов")
    assert photo.uploaded_by == editor and photo.creator == "Асель Нурланова"  # not the editor

    client.logout()
    page = client.get(author.get_absolute_url()).content.decode()
    header = lxml.html.fromstring(page).xpath("//header[contains(@class, 'author-header')]")[0]
    assert header.xpath(".//img/@alt") == ["Фото Асхат Оспанов"]
    assert "Фото: Kazinform" in header.text_content()
    person = structured_person(page)
    assert person["@type"] == "Person" and person["name"] == "Асхат Оспанов"
    image = person["image"]
    assert image["@type"] == "ImageObject" and image["url"].startswith("http")
    assert photo.token in image["url"] and image["url"].endswith("/1x1-320.jpg")
    assert (image["width"], image["height"]) == (320, 320)
    assert image["creditText"] == "Фото: Kazinform"
    assert image["creator"] == {"@type": "Person", "name": "Асель Нурланова"}
    assert image["copyrightNotice"] == "© Kazinform"

    # The story's byline box: the same photo, smaller, with the same credit.
    byline = lxml.html.fromstring(client.get(story.get_absolute_url()).content)
    [box] = byline.xpath("//li[contains(@class, 'author')]")
    assert box.xpath(".//img/@alt") == ["Фото Асхат Оспанов"]
    assert "Фото: Kazinform" in box.text_content()


def test_a_portrait_is_drawn_square_at_several_widths_around_its_focal_point(client):
    author = make_author("Ирина Капитанова", portrait=False)
    make_article(authors=[author])
    # A wide photo, its subject on the right: the square crop keeps the right.
    photo = Photo.objects.create_portrait(
        author, drawn_landscape(800, 400, seed=3), "wide.jpg", credit_line="Фото редакции"
    )
    photo.focal_x = 0.9
    photo.save()
    page = lxml.html.fromstring(client.get(author.get_absolute_url()).content)
    [picture] = page.xpath("//header//picture")
    jpeg = picture.xpath(".//img/@srcset")[0]
    webp = picture.xpath(".//source[@type='image/webp']/@srcset")[0]
    for srcset in (jpeg, webp):
        assert [entry.split()[1] for entry in srcset.split(", ")] == ["160w", "320w"]
    assert picture.xpath(".//img/@sizes") == ["6rem"]
    photo.refresh_from_db()
    sizes = {}
    for entry in jpeg.split(", "):
        url, width = entry.split()
        response = client.get(url)
        assert response.status_code == 200, url
        sizes[width] = Image.open(io.BytesIO(b"".join(response))).size
    assert sizes == {"160w": (160, 160), "320w": (320, 320)}
    crop = Image.open(Rendition.objects.get(photo=photo, spec="1x1-320.jpg").file)
    whole = Image.open(io.BytesIO(drawn_landscape(800, 400, seed=3)))
    right = whole.crop((400, 0, 800, 400)).resize((320, 320))
    assert _difference(crop, right) < _difference(
        crop, whole.crop((0, 0, 400, 400)).resize((320, 320))
    )


def _difference(one, other):
    pixels = zip(one.convert("L").tobytes(), other.convert("L").tobytes(), strict=True)
    return sum(abs(a - b) for a, b in pixels)


def test_editor_chooses_a_library_photo_found_by_the_admins_lookup(client, editor, bylined):
    author, _story = bylined
    photo = make_photo(description="Данияр на пресс-конференции")
    client.force_login(editor)
    found = client.get(
        "/admin/autocomplete/",
        {
            "term": "пресс",
            "app_label": "media",
            "model_name": "rendition",
            "field_name": "photo",
        },
    ).json()
    assert [result["id"] for result in found["results"]] == [str(photo.pk)]

    page = client.get(f"/admin/newsroom/author/{author.pk}/change/").content.decode()
    assert 'data-model-name="rendition" data-field-name="photo"' in page  # the lookup
    response = client.post(
        f"/admin/newsroom/author/{author.pk}/change/", author_form(author, portrait=photo.pk)
    )
    assert response.status_code == 302
    assert Author.objects.get(pk=author.pk).portrait == photo

    # Emptied: no portrait, and the photo stays in the library.
    author.refresh_from_db()
    response = client.post(
        f"/admin/newsroom/author/{author.pk}/change/", author_form(author, portrait="")
    )
    assert response.status_code == 302
    assert not Photo.objects.filter(portrait_of=author).exists()
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_a_new_portrait_replaces_the_old_one_which_stays_in_the_library(client, editor):
    author = make_author("Ирина Капитанова")
    old = author.portrait
    client.force_login(editor)
    response = client.post(
        f"/admin/newsroom/author/{author.pk}/change/",
        author_form(author, new_portrait=portrait_file(seed=9), portrait_credit_line="Kazinform"),
    )
    assert response.status_code == 302
    assert Author.objects.get(pk=author.pk).portrait.credit_line == "Kazinform"
    old.refresh_from_db()
    assert old.portrait_of is None


def test_another_authors_portrait_cannot_be_chosen(client, editor):
    colleague = make_author("Айгүл Қасымова")
    author = make_author("Ирина Капитанова", portrait=False)
    client.force_login(editor)
    response = client.post(
        f"/admin/newsroom/author/{author.pk}/change/",
        author_form(author, portrait=colleague.portrait.pk),
    )
    assert response.status_code == 200
    assert "Айгүл Қасымова" in response.context["adminform"].form.errors["portrait"][0]
    assert Photo.objects.get(portrait_of=colleague)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        (
            {"new_portrait": upload("x.jpg", b"<svg onload=alert(1)>")},
            "new_portrait",
            "не целое изображение",
        ),
        ({"new_portrait": portrait_file()}, "portrait_credit_line", "подпись"),
    ],
    ids=["not-an-image", "no-credit"],
)
def test_a_refused_portrait_says_why_on_its_field_and_leaves_nothing(
    client, editor, bylined, stored_files, fields, field, message
):
    author, _story = bylined
    before = stored_files()
    client.force_login(editor)
    response = client.post(
        f"/admin/newsroom/author/{author.pk}/change/",
        author_form(author, portrait_credit_line="", **fields),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field] and message in errors[field][0].lower()
    assert not Photo.objects.exists() and stored_files() == before


def test_a_portrait_over_the_size_limit_is_refused(client, editor, bylined, settings):
    author, _story = bylined
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 1000
    client.force_login(editor)
    response = client.post(
        f"/admin/newsroom/author/{author.pk}/change/",
        author_form(author, new_portrait=portrait_file(), portrait_credit_line="Kazinform"),
    )
    assert "new_portrait" in response.context["adminform"].form.errors
    assert not Photo.objects.exists()


def test_portraits_count_against_the_uploaders_allowance(client, editor, bylined, settings):
    author, _story = bylined
    settings.NEWSROOM_UPLOADS_PER_WINDOW = 1
    client.force_login(editor)
    url = f"/admin/newsroom/author/{author.pk}/change/"
    first = client.post(
        url, author_form(author, new_portrait=portrait_file(seed=1), portrait_credit_line="К")
    )
    assert first.status_code == 302
    author.refresh_from_db()
    second = client.post(
        url, author_form(author, new_portrait=portrait_file(seed=2), portrait_credit_line="К")
    )
    assert "new_portrait" in second.context["adminform"].form.errors
    assert Photo.objects.count() == 1


def test_a_storage_failure_after_the_upload_keeps_nothing_and_says_why(
    client, editor, bylined, stored_files, monkeypatch
):
    author, _story = bylined
    before = stored_files()

    def full_disk(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("media.forms.set_portrait", full_disk)
    client.force_login(editor)
    url = f"/admin/newsroom/author/{author.pk}/change/"
    response = client.post(
        url, author_form(author, new_portrait=portrait_file(), portrait_credit_line="Kazinform")
    )
    assert response.status_code == 302 and response["Location"] == url
    message = [str(m) for m in response.wsgi_request._messages]
    assert message == [
        "Автор не сохранён: хранилище фотографий заполнено. Из изменений ничего не"
        " сохранилось; сообщите администратору сайта."
    ]
    assert not Photo.objects.exists() and stored_files() == before


def test_photographers_cannot_reach_the_authors_page(client, photographer, bylined):
    author, _story = bylined
    client.force_login(photographer)
    assert client.get(f"/admin/newsroom/author/{author.pk}/change/").status_code == 403
    response = client.post(
        f"/admin/newsroom/author/{author.pk}/change/",
        author_form(author, new_portrait=portrait_file(), portrait_credit_line="Kazinform"),
    )
    assert response.status_code == 403 and not Photo.objects.exists()


def test_the_photo_page_names_the_portraits_author_to_those_who_may_open_them(
    client, editor, photographer
):
    author = make_author("Айгүл Қасымова")
    photo = author.portrait
    photo.uploaded_by = photographer
    photo.save()
    assert list(Photo.objects.used()) == [photo]
    client.force_login(editor)
    assert "Айгүл Қасымова" in client.get(f"/admin/media/photo/{photo.pk}/change/").content.decode()
    client.force_login(photographer)
    page = client.get(f"/admin/media/photo/{photo.pk}/change/").content.decode()
    assert f"/admin/newsroom/author/{author.pk}/" not in page
    assert "Ещё используется в 1 месте" in page


def test_a_credit_change_renews_the_portraits_renditions_and_its_pages(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    author = make_author("Ирина Капитанова")
    story = make_article(authors=[author])
    photo = author.portrait
    photo.make_renditions([spec := parse("1x1-160.jpg")])
    old_token, old_url = photo.token, photo.rendition_url(spec)
    for page in (author.get_absolute_url(), story.get_absolute_url()):
        assert old_url in client.get(page).content.decode()
        assert client.get(page).content.decode().count("Фото редакции")  # kept, and served

    photo.credit_line = "Kazinform"
    photo.save()
    photo.refresh_from_db()
    assert photo.token != old_token
    assert not Rendition.objects.filter(photo=photo, spec="1x1-160.jpg").exists()
    for page in (author.get_absolute_url(), story.get_absolute_url()):
        html = client.get(page).content.decode()
        assert "Фото: Kazinform" in html and old_url not in html and photo.token in html


def test_a_portrait_of_an_author_without_a_page_retires_nothing():
    author = make_author("Внештатный автор")
    state = caching.site_state()
    photo = author.portrait
    photo.credit_line = "Kazinform"
    photo.save()
    assert caching.site_state() == state
    make_article(authors=[author])
    photo.refresh_from_db()
    photo.credit_line = "Kazinform, 2026"
    photo.save()
    assert caching.site_state() != state
