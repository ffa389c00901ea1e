"""Readers' pages come from the cache until something changes, and never outlive a change."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["local cache", "Redis"])
def page_cache(request, settings):
    """Every behaviour holds with the cache on one machine and with Redis shared by many."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    if request.param == "Redis":
        request.getfixturevalue("redis_cache")
    cache.clear()
    yield
    cache.clear()


def test_a_page_asked_for_again_is_served_from_the_cache(client, django_assert_num_queries):
    story = make_article(lead_photo=make_photo(), authors=[make_author()])
    urls = ["/", story.section.get_absolute_url(), story.get_absolute_url(), "/rss/",
            "/sitemap.xml", "/sitemaps/news.xml"]  # fmt: skip
    for url in urls:
        first = client.get(url)
        # the site's state and the page both come from the cache: no query at all
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.status_code == 200 and again.content == first.content, url


def test_work_readers_cannot_see_keeps_the_cache_warm(client, editor, django_assert_num_queries):
    story = make_article("Опубликованный материал", lead_photo=make_photo())
    urls = ["/", story.section.get_absolute_url(), story.get_absolute_url()]
    pages = {url: client.get(url).content for url in urls}
    draft = make_article("Черновик", section=story.section, published=False)
    draft.title = "Черновик, вторая редакция"
    draft.save()
    make_article(
        "По расписанию", section=story.section, published_at=timezone.now() + timedelta(hours=3)
    )
    make_photo(description="Новое фото в фотобанке")
    in_review = make_article(
        "На проверке", section=story.section, published=False, status=Article.Status.REVIEW
    )
    in_review.tags.add("МККК")
    for url in urls:
        with django_assert_num_queries(0):
            assert client.get(url).content == pages[url], url


def test_tracking_parameters_share_the_page_and_page_numbers_do_not(
    client, django_assert_num_queries
):
    section = make_section()
    for _ in range(21):
        make_article(section=section)
    first = client.get(section.get_absolute_url() + "?utm_source=telegram")
    for query in ["", "?fbclid=x1", "?utm_medium=social&utm_campaign=a", "?anything=else"]:
        with django_assert_num_queries(0):
            assert client.get(section.get_absolute_url() + query).content == first.content
    second = client.get(section.get_absolute_url() + "?page=2&utm_source=telegram")
    assert second.content != first.content


def test_a_browser_or_cdn_holding_the_page_gets_an_empty_304(client, django_assert_num_queries):
    story = make_article("Заголовок до правки")
    first = client.get(story.get_absolute_url())
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"') and modified.endswith("GMT")
    with django_assert_num_queries(0):
        again = client.get(story.get_absolute_url(), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 200  # another page
    with django_assert_num_queries(0):
        since = client.get(story.get_absolute_url(), headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    story.title = "Заголовок после правки"
    story.save()
    changed = client.get(story.get_absolute_url(), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Заголовок после правки" in changed.content.decode()


def test_anonymous_pages_may_be_kept_by_a_cdn_and_signed_in_ones_by_nobody(client, editor):
    story = make_article()
    response = client.get(story.get_absolute_url())
    control = response["Cache-Control"]
    assert "public" in control and "s-maxage=600" in control
    assert "stale-while-revalidate=60" in control and "max-age=0" in control
    client.force_login(editor)
    response = client.get(story.get_absolute_url())
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_a_cached_page_never_outlives_the_next_scheduled_moment(client):
    make_article("Уже опубликованный")
    assert "Материал по расписанию" not in client.get("/").content.decode()
    # Scheduled after the front page was cached: saving it retired nothing.
    moment = timezone.now() + timedelta(minutes=10)
    make_article("Материал по расписанию", published_at=moment)
    response = client.get("/")
    assert "s-maxage=600" not in response["Cache-Control"]  # kept at most until the moment
    with time_machine.travel(moment + timedelta(seconds=1), tick=False):
        assert "Материал по расписанию" in client.get("/").content.decode()


def test_every_change_readers_could_see_asks_a_front_cache_to_purge(
    client, django_capture_on_commit_callbacks
):
    from articles.caching import pages_retired

    purged = []

    def purge(sender, changed, **kwargs):
        purged.append(changed)

    section = make_section()  # a new rubric shows in every page's navigation
    pages_retired.connect(purge)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            draft = make_article("Черновик", section=section, published=False)
        assert purged == []
        with django_capture_on_commit_callbacks(execute=True):
            draft.status = Article.Status.PUBLISHED
            draft.published_at = timezone.now()
            draft.save()
        assert draft in purged
        purged.clear()
        with django_capture_on_commit_callbacks(execute=True):
            draft.status = Article.Status.UNPUBLISHED
            draft.save()
        assert draft in purged
    finally:
        pages_retired.disconnect(purge)


def test_an_edited_headline_shows_at_once(client):
    story = make_article("Старый заголовок")
    assert "Старый заголовок" in client.get("/").content.decode()
    story.title = "Новый заголовок"
    story.save()
    page = client.get("/").content.decode()
    assert "Новый заголовок" in page and "Старый заголовок" not in page


def test_an_unpublished_story_disappears_at_once_everywhere(client):
    story = make_article("Снятый материал")
    sitemap_page = f"/sitemaps/stories.xml?p={-(-story.pk // 1000)}"  # its id's range
    urls = [story.get_absolute_url(), "/", story.section.get_absolute_url(), "/rss/",
            sitemap_page]  # fmt: skip
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
    make_article("На стадионе", section=make_section("Спорт", slug="sport"))
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


def test_every_worker_sees_a_change_on_its_next_request(django_assert_num_queries):
    from django.test import Client

    story = make_article("До правки")
    workers = [Client(), Client()]  # each with its own copy of the pages it served
    for worker in workers:
        for _ in range(2):
            assert "До правки" in worker.get(story.get_absolute_url()).content.decode()
    story.title = "После правки"
    story.save()
    for worker in workers:
        assert "После правки" in worker.get(story.get_absolute_url()).content.decode()
    with django_assert_num_queries(0):
        assert "После правки" in workers[0].get(story.get_absolute_url()).content.decode()


def test_no_early_304_says_a_missing_or_embargoed_story_exists(client):
    hidden = make_article("Эмбарго", published_at=timezone.now() + timedelta(hours=1))
    for headers in [{"If-None-Match": "*"}, {"If-None-Match": '"x", *'}]:
        assert client.get(hidden.get_absolute_url(), headers=headers).status_code == 404
        assert client.get("/sobytiya/999999-net/", headers=headers).status_code == 404


def test_a_front_cache_is_purged_when_a_scheduled_story_appears(client):
    from articles.caching import pages_retired

    purged = []

    def purge(sender, changed, **kwargs):
        purged.append(changed)

    moment = timezone.now() + timedelta(minutes=10)
    make_article("По расписанию", published_at=moment)
    client.get("/")
    pages_retired.connect(purge)
    try:
        client.get("/")
        assert purged == []
        with time_machine.travel(moment + timedelta(seconds=1), tick=False):
            assert "По расписанию" in client.get("/").content.decode()
        assert purged == [None]
    finally:
        pages_retired.disconnect(purge)


def test_many_saves_told_as_one_change_retire_the_pages_once_at_the_end(client):
    from articles.caching import STATE_KEY, one_change

    story = make_article("Первая новость")
    client.get(story.section.get_absolute_url())
    before = cache.get(STATE_KEY).token
    with one_change():
        for number in range(3):
            make_article(f"Из импорта {number}", section=story.section)
        assert cache.get(STATE_KEY).token == before  # nothing told yet
    assert cache.get(STATE_KEY).token != before
    page = client.get(story.section.get_absolute_url()).content.decode()
    assert all(f"Из импорта {number}" in page for number in range(3))
