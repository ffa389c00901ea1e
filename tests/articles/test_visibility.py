"""Article.objects.published() decides what readers see; everything else answers 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def test_published_means_published_status_and_a_past_publication_time():
    visible = make_article()
    draft = make_article(published=False)
    scheduled = make_article(published_at=timezone.now() + timedelta(minutes=5))
    draft_with_time = make_article(status=Article.Status.DRAFT, published_at=timezone.now())
    assert list(Article.objects.published()) == [visible]
    assert {draft, scheduled, draft_with_time}.isdisjoint(Article.objects.published())


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_unpublished_story_answers_404_everywhere_a_reader_could_find_it(client, kind):
    section = make_section("События")
    author = make_author("Ирина Капитанова")
    shown = make_article("Открытый материал", section=section)
    hidden = make_article(
        "Секретный материал",
        section=section,
        authors=[author],
        tags=["эмбарго"],
        published=kind == "scheduled",
        published_at=timezone.now() + timedelta(days=1) if kind == "scheduled" else None,
    )
    assert client.get(hidden.get_absolute_url()).status_code == 404
    everywhere = [
        "/", section.get_absolute_url(), author.get_absolute_url(), "/search/?q=секретный",
        "/rss/", "/rss/yandex/", "/rss/dzen/", "/sitemaps/news.xml",
        # the story sitemap's page of the published story's id (a page is a range of ids)
        f"/sitemaps/stories.xml?p={-(-shown.pk // 1000)}",
    ]  # fmt: skip
    if -(-hidden.pk // 1000) != -(-shown.pk // 1000):  # its own page lists nothing
        assert client.get(f"/sitemaps/stories.xml?p={-(-hidden.pk // 1000)}").status_code == 404
    for url in everywhere:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Секретный материал" not in response.content.decode(), url
        assert hidden.get_absolute_url() not in response.content.decode(), url
    assert client.get("/tags/embargo/").status_code == 200
    assert "Секретный материал" not in client.get("/tags/embargo/").content.decode()


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
