"""Photographers upload and edit their own photos, see others', and never touch stories."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from articles.models import Article, Section
from media.models import Photo
from newsroom.models import Author
from tests.factories import make_article, make_editor, make_photo, make_section
from tests.media.conftest import fixture, upload

pytestmark = pytest.mark.django_db


def photo_data(photo, **changes):
    return {
        "description": photo.description,
        "alt_text": photo.alt_text or "Что на фото",
        "credit_line": photo.credit_line or "Фотограф",
        "creator": photo.creator,
        "creator_author": "",
        "source": photo.source,
        "copyright_notice": photo.copyright_notice,
        "usage_terms": photo.usage_terms,
        "date_taken_0": "",
        "date_taken_1": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
    } | changes


def test_photographer_uploads_and_edits_own_photos(client, photographer):
    client.force_login(photographer)
    client.post("/admin/media/photo/upload/", {"files": [upload("agency-iptc.jpg")]})
    photo = Photo.objects.get()
    url = f"/admin/media/photo/{photo.pk}/change/"
    response = client.post(url, photo_data(photo, alt_text="Весенняя Астана"))
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    assert Photo.objects.get().alt_text == "Весенняя Астана"


def test_photographer_sees_but_cannot_change_or_delete_others_photos(
    client, photographer, other_photographer
):
    theirs = make_photo(fixture("agency-iptc.jpg"), "theirs.jpg", uploaded_by=other_photographer)
    client.force_login(photographer)
    listing = client.get("/admin/media/photo/")
    assert [photo.pk for photo in listing.context["cl"].result_list] == [theirs.pk]
    page = client.get(f"/admin/media/photo/{theirs.pk}/change/")
    assert page.status_code == 200, "the photo can be looked at"
    assert 'name="alt_text"' not in page.content.decode(), "read-only, without inputs"
    # A crafted POST is refused on the server.
    response = client.post(
        f"/admin/media/photo/{theirs.pk}/change/", photo_data(theirs, alt_text="x")
    )
    assert response.status_code == 403
    assert (
        client.post(f"/admin/media/photo/{theirs.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Photo.objects.get(pk=theirs.pk).alt_text != "x"
    # Nor through the batch description page.
    response = client.post(
        "/admin/media/photo/describe/",
        {
            "id": [theirs.pk],
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": theirs.pk,
            "form-0-alt_text": "x",
            "form-0-credit_line": "x",
        },
    )
    assert Photo.objects.get(pk=theirs.pk).alt_text != "x"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        "/admin/articles/section/add/",
        "/admin/newsroom/author/add/",
        "/admin/articles/tag/",
    ],
)
def test_photographer_cannot_touch_stories_sections_or_authors(client, photographer, url):
    client.force_login(photographer)
    assert client.get(url).status_code == 403


def test_photographers_crafted_posts_to_stories_are_refused(client, photographer):
    section = make_section("События")
    story = make_article("Материал", section=section)
    client.force_login(photographer)
    response = client.post(
        f"/admin/articles/article/{story.pk}/change/", {"title": "Взломано", "section": section.pk}
    )
    assert response.status_code == 403
    response = client.post("/admin/articles/section/add/", {"name": "Новая", "position": 0})
    assert response.status_code == 403
    response = client.post(
        f"/admin/newsroom/author/{photographer.author.pk}/change/", {"name": "X"}
    )
    assert response.status_code == 403
    assert Article.objects.get().title == "Материал"
    assert not Section.objects.filter(name="Новая").exists()
    assert Author.objects.get(pk=photographer.author.pk).name == "Данияр Сейітқали"


def test_photographer_reads_no_author_records_and_no_login_names(
    client, photographer, other_photographer
):
    theirs = make_photo(fixture("agency-iptc.jpg"), "theirs.jpg", uploaded_by=other_photographer)
    mine = make_photo(uploaded_by=photographer)
    LogEntry.objects.create(
        user=other_photographer,
        content_type=ContentType.objects.get_for_model(Photo),
        object_id=str(theirs.pk),
        object_repr=str(theirs),
        action_flag=CHANGE,
    )
    client.force_login(photographer)
    lookup = {"term": "", "app_label": "media", "model_name": "photo"}
    assert (
        client.get("/admin/autocomplete/", lookup | {"field_name": "creator_author"}).status_code
        == 403
    )
    assert client.get("/admin/newsroom/author/").status_code == 403
    author = f"/admin/newsroom/author/{other_photographer.author.pk}/change/"
    assert client.get(author).status_code == 403

    pages = [
        "/admin/media/photo/",
        f"/admin/media/photo/{theirs.pk}/change/",
        f"/admin/media/photo/{theirs.pk}/history/",
        f"/admin/media/photo/{mine.pk}/change/",
        f"/admin/media/photo/describe/?id={mine.pk}",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "aigul" not in text, url  # the colleague's login name
    for url in (
        f"/admin/media/photo/{theirs.pk}/change/",
        f"/admin/media/photo/{theirs.pk}/history/",
    ):
        # The colleague, by the name bylines print.
        assert "Айгүл Қасымова" in client.get(url).content.decode()
    client.force_login(make_editor())
    history = client.get(f"/admin/media/photo/{theirs.pk}/history/").content.decode()
    assert "aigul" in history  # those who read staff records see login names


def test_editor_changes_anyones_photo(client, editor, photographer):
    photo = make_photo(fixture("agency-iptc.jpg"), "x.jpg", uploaded_by=photographer)
    client.force_login(editor)
    response = client.post(
        f"/admin/media/photo/{photo.pk}/change/",
        photo_data(photo, credit_line="Kazinform / Newsroom"),
    )
    assert response.status_code == 302
    assert Photo.objects.get().credit_line == "Kazinform / Newsroom"
    assert client.get("/admin/articles/article/add/").status_code == 200
