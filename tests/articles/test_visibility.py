"""Article.objects.published() decides what readers see; everything else answers 404."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


def test_published_means_published_status_and_a_past_publication_time():
    visible = make_article()
    draft = make_article(published=False)
    scheduled = make_article(published_at=timezone.now() + timedelta(minutes=5))
    draft_with_time = make_article(status=Article.Status.DRAFT, published_at=timezone.now())
    assert list(Article.objects.published()) == [visible]
    assert {draft, scheduled, draft_with_time}.isdisjoint(Article.objects.published())


# Every reader route against a draft, a scheduled and a taken-down story:
# tests/articles/test_reader_routes.py, which walks the URLconf.


def test_is_published_and_is_scheduled_follow_the_querysets_rule():
    now = timezone.now()
    stories = [
        make_article(),
        make_article(published=False),
        make_article(published_at=now + timedelta(minutes=5)),
        make_article(status=Article.Status.DRAFT, published_at=now - timedelta(hours=1)),
        make_article(status=Article.Status.UNPUBLISHED, published_at=now - timedelta(hours=1)),
    ]
    published, scheduled = Article.objects.published(), Article.objects.scheduled()
    assert [story.is_published for story in stories] == [story in published for story in stories]
    assert [story.is_scheduled for story in stories] == [story in scheduled for story in stories]
    assert [story.is_published for story in stories] == [True, False, False, False, False]
    assert [story.is_scheduled for story in stories] == [False, False, True, False, False]


def test_a_tag_used_only_by_a_scheduled_story_has_no_page_until_the_story_appears(client):
    story = make_article(
        "Материал под эмбарго",
        authors=[make_author("Ирина Капитанова")],
        tags=["эмбарго"],
        published_at=timezone.now() + timedelta(hours=1),
    )
    author = story.bylines.get().author
    pages = [
        "/tags/embargo/", "/rss/tags/embargo/", "/rss/tags/embargo/atom/",
        author.get_absolute_url(), f"/rss/authors/{author.slug}/",
        story.section.get_absolute_url(), f"/rss/sections/{story.section.slug}/",
    ]  # fmt: skip
    for url in pages:
        assert client.get(url).status_code == 404, url
    assert story.section.name not in client.get("/").content.decode()
    # Its moment comes, with no save: every page is there, the section in the navigation.
    with time_machine.travel(story.published_at + timedelta(seconds=1)):
        for url in pages:
            assert client.get(url).status_code == 200, url
        assert "Материал под эмбарго" in client.get("/tags/embargo/").content.decode()
        assert story.section.get_absolute_url() in client.get("/").content.decode()


def test_an_owner_has_a_page_only_in_the_editions_it_has_published_stories_in(client):
    section = make_section("Экономика", slug="economy")
    author = make_author("Ирина Капитанова")
    make_article("Русский материал", section=section, authors=[author], tags=["нефть"])
    make_article(
        "Қазақ материалы",
        section=section,
        authors=[author],
        tags=["нефть"],
        language="kk",
        published_at=timezone.now() + timedelta(hours=1),
    )
    for page in ["/economy/", "/tags/neft/", f"/authors/{author.slug}/", "/rss/tags/neft/"]:
        assert client.get(page).status_code == 200, page
        assert client.get(f"/kk{page}").status_code == 404, page
        assert client.get(f"/en{page}").status_code == 404, page
    assert "/economy/" in client.get("/").content.decode()
    assert "/kk/economy/" not in client.get("/kk/").content.decode()


def test_a_photographer_has_a_page_where_a_published_story_credits_their_photo(client):
    photographer = make_author("Данияр Сейітқали")
    make_article(lead_photo=make_photo(creator_author=photographer), language="kk")
    page = photographer.get_absolute_url()
    assert client.get(f"/kk{page}").status_code == 200
    assert client.get(page).status_code == 404


def test_scheduled_story_appears_once_its_moment_has_come(client):
    story = make_article("Материал по расписанию", published_at=timezone.now() + timedelta(hours=1))
    assert client.get(story.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(story.get_absolute_url()).status_code == 200
    for url in ["/", "/search/?q=расписанию", "/rss/yandex/", "/sitemaps/news.xml"]:
        assert story.get_absolute_url() in client.get(url).content.decode(), url


def test_a_stale_copy_on_a_byline_or_tag_never_shows_an_unpublished_story(client):
    # The copies are kept by Article.save(); a bulk update skips it, so they lie.
    author = make_author("Ирина Капитанова")
    section = make_section("События")
    make_article("Соседний материал", section=section, authors=[author], tags=["эмбарго"])
    story = make_article(
        "Снятый без сохранения", section=section, authors=[author], tags=["эмбарго"]
    )
    Article.objects.filter(pk=story.pk).update(status=Article.Status.UNPUBLISHED)
    assert story.bylines.get().story_status == Article.Status.PUBLISHED  # the copy is stale
    neighbour = Article.objects.get(title="Соседний материал")
    for url in [
        "/tags/embargo/", "/rss/tags/embargo/", author.get_absolute_url(),
        f"/rss/authors/{author.slug}/", neighbour.get_absolute_url(), "/sitemaps/authors.xml",
    ]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Снятый без сохранения" not in response.content.decode(), url
