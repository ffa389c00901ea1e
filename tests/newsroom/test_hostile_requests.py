"""Hostile requests get a 4xx, never a server error, on every database."""

import pytest

from tests.factories import make_article, make_editor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/sobytiya/%00/",
        "/?page=%00",
        "/sobytiya/?page=1%00",
        "/tags/a%00b/",
        "/authors/%00/",
        "/admin/articles/article/?q=%00",
        "/admin/articles/article/?q%00=1",
        "/admin/media/photo/?q=x%00y",
    ],
)
def test_null_characters_anywhere_in_a_url_answer_400(client, url):
    make_article()
    client.force_login(make_editor())
    assert client.get(url).status_code in {400, 404}


def test_null_character_in_a_form_field_is_a_form_error(client):
    from articles.models import Section

    client.force_login(make_editor())
    response = client.post("/admin/articles/section/add/", {"name": "Эко\x00номика", "position": 0})
    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    assert not Section.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["?since=2026-13-45T00:00", "?since=2026-03-06T14:00", "?since=x", "?from=%C2%B2&to=abc"],
)
def test_comparing_versions_with_odd_parameters_is_not_a_server_error(client, query):
    story = make_article()
    client.force_login(make_editor())
    response = client.get(f"/admin/articles/article/{story.pk}/history/compare/{query}")
    assert response.status_code == 200


@pytest.mark.parametrize("ids", [["²"], ["99999999999999999999999"], ["-1"], ["1e3"], [""]])
def test_describing_photos_with_odd_ids_is_not_a_server_error(client, ids):
    client.force_login(make_editor())
    response = client.get("/admin/media/photo/describe/", {"id": ids})
    assert response.status_code == 302


def test_the_refusal_of_a_null_character_speaks_russian(client):
    response = client.get("/?q=%00")
    assert response.status_code == 400
    assert "недопустим" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%ZZ%",
        "/kk/search/?q=" + "%F0%9F%99%82" * 300,
        "/en/search/?q=a&page=-1",
        "/search/?q[]=x&q=y",
        "/%D0%B0%D0%B1/",
        "/kk/../admin/",
        "/en/rss/tags/%F0%9F%99%82/",
        "/sitemaps/stories.xml?p=%00",
        "/sitemaps/stories.xml?p=99999999999999999999",
        "/sitemaps/..%2Fsettings.xml",
        "/robots.txt?x=%FF",
        "/xx/",
        "/kk/kk/",
        "/en/preview/forged-token/",
        "/kk/sobytiya/1-x/?page=%FF",
    ],
)
def test_odd_addresses_on_the_reader_side_answer_4xx_or_a_page(client, url):
    make_article()
    assert client.get(url).status_code in {200, 301, 400, 404}


def test_an_id_no_column_can_hold_matches_nothing():
    from articles.models import Section

    section = Section.objects.create(name="Экономика", slug="ekonomika")
    assert list(Section.objects.filter(pk__in=[2**70, -(2**70)])) == []
    assert list(Section.objects.filter(pk__in=[2**70, section.pk])) == [section]


def test_a_multiple_choice_of_ids_no_column_can_hold_is_a_form_error(client):
    from django.contrib.auth.models import Group

    client.force_login(make_editor())
    response = client.post(
        "/admin/auth/group/add/", {"name": "Корректоры", "permissions": ["9" * 40]}
    )
    assert response.status_code == 200
    assert "permissions" in response.context["adminform"].form.errors
    assert not Group.objects.filter(name="Корректоры").exists()


def test_an_upload_name_too_long_for_the_disk_is_not_found(client):
    # Each part of a file name has 255 bytes at most; Cyrillic takes two each.
    assert client.get("/uploads/" + "%D2%9A" * 200).status_code == 404
