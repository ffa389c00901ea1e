"""Photo lookups (a story's lead photo, an author's portrait) show each photo's thumbnail."""

import lxml.html
import pytest
from django.contrib.auth import get_user_model

from media.specs import ADMIN_THUMBNAILS
from tests.factories import make_article, make_author, make_photo

pytestmark = pytest.mark.django_db

LOOKUP = "/admin/media/photo/autocomplete/"


def lookup(client, field="articles.article.lead_photo", term=""):
    app_label, model_name, field_name = field.split(".")
    return client.get(
        LOOKUP,
        {"term": term, "app_label": app_label, "model_name": model_name, "field_name": field_name},
    )


def test_each_answer_carries_the_photos_thumbnail(client, editor):
    photos = [make_photo(description=f"Акорда, снимок {n}") for n in range(3)]
    client.force_login(editor)
    for field in ("articles.article.lead_photo", "media.rendition.photo"):
        results = lookup(client, field, term="Акорда").json()["results"]
        assert {result["id"] for result in results} == {str(photo.pk) for photo in photos}
        for result in results:
            photo = next(photo for photo in photos if str(photo.pk) == result["id"])
            assert result["text"] == str(photo)
            assert result["thumbnail"].startswith(f"/uploads/renditions/{photo.pk}/")


def test_the_photo_lookup_answers_only_for_photos(client, editor):
    make_article("Визит в Астану")
    client.force_login(editor)
    assert lookup(client, "articles.article.related_stories").status_code == 403
    assert lookup(client, "articles.article.section").status_code == 403
    assert lookup(client, "articles.article.nonexistent").status_code == 403
    assert client.get(LOOKUP).status_code == 403
    assert client.get(LOOKUP, {"app_label": "<script>", "model_name": "x"}).status_code == 403


def test_the_lookup_is_for_staff_who_see_the_library(client):
    assert lookup(client).status_code == 302
    reader = get_user_model().objects.create_user("reader", password="x")
    client.force_login(reader)
    assert lookup(client).status_code == 302


def test_the_story_form_draws_the_lead_photo_with_its_thumbnail(client, editor):
    photo = make_photo(description="Зал переговоров")
    story = make_article("Переговоры в Акорде", published=False, lead_photo=photo)
    client.force_login(editor)
    page = lxml.html.fromstring(
        client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    )
    (select,) = page.xpath("//select[@name='lead_photo']")
    assert select.get("data-ajax--url") == LOOKUP
    assert select.get("data-thumbnails") == "yes"
    (chosen,) = select.xpath("option[@selected]")
    assert chosen.get("value") == str(photo.pk)
    assert chosen.get("data-thumbnail") == photo.rendition_url(ADMIN_THUMBNAILS[0])
    assert page.xpath("//script[contains(@src, 'photo-picker.js')]")


def test_an_authors_portrait_is_chosen_with_thumbnails_too(client, editor):
    author = make_author("Данияр Сейітқали")
    client.force_login(editor)
    page = lxml.html.fromstring(
        client.get(f"/admin/newsroom/author/{author.pk}/change/").content.decode()
    )
    (select,) = page.xpath("//select[@name='portrait']")
    assert select.get("data-ajax--url") == LOOKUP
    (chosen,) = select.xpath("option[@selected]")
    assert chosen.get("data-thumbnail").startswith(f"/uploads/renditions/{author.portrait.pk}/")
