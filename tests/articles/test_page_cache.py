"""Readers' pages come from the cache until something changes, and never outlive a change."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def test_a_page_asked_for_again_is_served_from_the_cache(client, django_assert_max_num_queries):
    story = make_article(lead_photo=make_photo(), authors=[make_author()])
    for url in ["/", story.section.get_absolute_url(), story.get_absolute_url(), "/rss/"]:
        first = client.get(url)
        # the site's version and the next scheduled moment, in one query
        with django_assert_max_num_queries(1):
            again = client.get(url)
        assert again.status_code == 200 and again.content == first.content, url


def test_an_edited_headline_shows_at_once(client):
    story = make_article("Старый заголовок")
    assert "Старый заголовок" in client.get("/").content.decode()
    story.title = "Новый заголовок"
    story.save()
    page = client.get("/").content.decode()
    assert "Новый заголовок" in page and "Старый заголовок" not in page


def test_an_unpublished_story_disappears_at_once_everywhere(client):
    story = make_article("Снятый материал")
    urls = [story.get_absolute_url(), "/", story.section.get_absolute_url(), "/rss/",
            "/sitemaps/stories.xml"]  # fmt: skip
    for url in urls:
        assert client.get(url).status_code == 200
    story.status = Article.Status.UNPUBLISHED
    story.save()
    assert client.get(story.get_absolute_url()).status_code == 404
    for url in urls[1:]:
        assert "Снятый материал" not in client.get(url).content.decode(), url


def test_a_scheduled_story_appears_at_its_moment_though_nobody_saved_anything(client):
    moment = timezone.now() + timedelta(minutes=30)
    make_article("Материал по расписанию", published_at=moment)
    make_article("Уже опубликованный")
    assert "Материал по расписанию" not in client.get("/").content.decode()
    with time_machine.travel(moment + timedelta(seconds=1), tick=False):
        assert "Материал по расписанию" in client.get("/").content.decode()


def test_a_corrected_photo_credit_or_renamed_section_shows_at_once(client):
    photo = make_photo(credit_line="Старая подпись")
    story = make_article(lead_photo=photo, section=make_section("Спорт"))
    assert "Старая подпись" in client.get(story.get_absolute_url()).content.decode()
    photo.credit_line = "Данияр Сейітқали"
    photo.save()
    story.section.name = "Спорт и здоровье"
    story.section.save()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Данияр Сейітқали" in page and "Спорт и здоровье" in page


def test_a_new_tag_shows_at_once(client):
    story = make_article(tags=["Астана"])
    client.get(story.get_absolute_url())
    story.tags.add("МККК")  # an existing-tag link, no new story saved
    assert "МККК" in client.get(story.get_absolute_url()).content.decode()
    story.tags.remove("МККК")
    assert "МККК" not in client.get(story.get_absolute_url()).content.decode()


def test_a_new_related_story_shows_at_once(client):
    story = make_article()
    related = make_article("Связанный материал")
    client.get(story.get_absolute_url())
    story.related_stories.add(related)
    assert "Связанный материал" in client.get(story.get_absolute_url()).content.decode()


def test_missing_pages_search_and_previews_are_never_cached(client):
    assert client.get("/sport/").status_code == 404
    make_section("Спорт", slug="sport")
    assert client.get("/sport/").status_code == 200
    make_article("Первый о выборах")
    assert "Первый о выборах" in client.get("/search/?q=выборах").content.decode()
    Article.objects.filter(title="Первый о выборах").update(title="Второй о выборах")
    assert "Второй о выборах" in client.get("/search/?q=выборах").content.decode()


def test_each_edition_is_cached_on_its_own(client):
    make_article("Русский материал")
    make_article("Қазақ материалы", language="kk")
    assert "Русский материал" in client.get("/").content.decode()
    assert "Қазақ материалы" in client.get("/kk/").content.decode()
    assert "Русский материал" in client.get("/").content.decode()
