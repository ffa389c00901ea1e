"""
An embargoed story is nowhere a reader can look: every route of the reader's
site (tests/reader_routes.py walks the URLconf), in every edition, is asked
about the story, its section, tag, author, photographer and lead photo.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.utils import timezone

from articles.models import Article, PreviewLink, Reading
from tests.factories import make_article, make_author, make_photo, make_section
from tests.reader_routes import routes, unknown_routes, walk

pytestmark = pytest.mark.django_db

UNKNOWN = "no-such-owner"


def test_every_route_of_the_site_is_described_or_excluded_with_a_reason():
    assert not unknown_routes(), (
        f"{unknown_routes()}: describe each new route in tests/reader_routes.py ROUTES "
        "(and cover its kind here), or exclude its prefix in EXCLUDED with the reason why"
    )


@pytest.fixture(params=["scheduled", "draft", "taken down"])
def embargo(request, db):
    """A story readers may not see, with owners no published story stands behind."""
    photographer = make_author("Скрытый Фотографов")
    photo = make_photo(description="Снимок под эмбарго", creator_author=photographer)
    story = make_article(
        "Засекреченный материал о переговорах",
        section=make_section("Подпольная рубрика", slug="underground"),
        authors=[make_author("Тайный Авторов")],
        tags=["эмбарго-тег"],
        lead_photo=photo,
        published=request.param != "draft",
        published_at={
            "scheduled": timezone.now() + timedelta(days=1),
            "draft": None,
            "taken down": timezone.now() - timedelta(days=1),
        }[request.param],
    )
    if request.param == "taken down":
        story.status = Article.Status.UNPUBLISHED
        story.save()
    # Published stories in every edition, with owners of their own: every list has something.
    open_section, open_author = make_section("Открытая рубрика"), make_author("Открытый Автор")
    for language in ["ru", "kk", "en"]:
        make_article(
            f"Открытый материал {language}",
            section=open_section,
            authors=[open_author],
            tags=["открытый-тег"],
            language=language,
        )
    return story


def leaks(story):
    """What must not appear on any page a reader can reach."""
    photo = story.lead_photo
    return {
        "headline": story.title,
        "address": story.get_absolute_url(),
        "section": story.section.name,
        "tag": "эмбарго-тег",
        "author": story.bylines.get().author.name,
        "photographer": photo.creator_author.name,
        "photo token": photo.token,
        "photo's caption": photo.description,
    }


def owner_slugs(story):
    author = story.bylines.get().author
    return {
        "articles:section": [story.section.slug],
        "articles:section-feed": [story.section.slug],
        "articles:section-feed-atom": [story.section.slug],
        "articles:tag": [story.tags.get().slug],
        "articles:tag-feed": [story.tags.get().slug],
        "articles:tag-feed-atom": [story.tags.get().slug],
        "articles:author": [author.slug, story.lead_photo.creator_author.slug],
        "articles:author-feed": [author.slug, story.lead_photo.creator_author.slug],
        "articles:author-feed-atom": [author.slug, story.lead_photo.creator_author.slug],
    }


SEARCH_WORDS = ["Засекреченный", "переговорах", "эмбарго", "Авторов"]


def list_addresses(route, language, story):
    """Every address of a list route worth reading for the story."""
    if route.name.startswith("api:"):
        return api_addresses(route, story)
    if route.name == "sitemap":
        pages = {1, -(-story.pk // 1000)}
        return [
            f"{route.reverse(language, section=name)}?p={page}"
            for name in ["stories", "sections", "authors"]
            for page in pages
        ]
    if route.name == "articles:search":
        return [f"{route.reverse(language)}?q={word}" for word in SEARCH_WORDS]
    return [route.reverse(language)]


def api_addresses(route, story):
    """The API's lists in every edition (a parameter there), filtered by the story's owners."""
    base = route.reverse(settings.LANGUAGE_CODE)
    editions = [f"edition={code}" for code, _name in settings.LANGUAGES]
    if route.name == "api:search":
        return [f"{base}?{edition}&q={word}" for edition in editions for word in SEARCH_WORDS]
    if route.name == "api:story-list":
        author = story.bylines.get().author
        owners = [
            f"section={story.section.slug}",
            f"tag={story.tags.get().slug}",
            f"author={author.slug}",
            f"author={story.lead_photo.creator_author.slug}",
        ]
        return [f"{base}?{edition}&{owner}" for edition in editions for owner in ["", *owners]]
    return [f"{base}?{edition}" for edition in editions]


def assert_no_leak(response, story, where):
    text = response.content.decode()
    for what, value in leaks(story).items():
        assert value not in text, f"{where} shows the embargoed story's {what}"


def test_lists_feeds_sitemaps_and_search_show_nothing_of_an_embargoed_story(client, embargo):
    for route in routes("list", "text"):
        for language in route.languages:
            for url in list_addresses(route, language, embargo):
                response = client.get(url)
                # A sitemap page of ids with no published story is no page at all.
                assert response.status_code in ({200, 404} if "?p=" in url else {200}), url
                assert_no_leak(response, embargo, url)


def test_an_embargoed_storys_owners_answer_as_unknown_ones_in_every_edition(client, embargo):
    slugs = owner_slugs(embargo)
    for route in routes("owner"):
        for language in route.languages:
            unknown = client.get(route.reverse(language, slug=UNKNOWN))
            assert unknown.status_code == 404, route.name
            for slug in slugs[route.name]:
                url = route.reverse(language, slug=slug)
                response = client.get(url)
                assert response.status_code == 404, url
                assert response.content == unknown.content, url
                assert_no_leak(response, embargo, url)


def test_an_embargoed_storys_own_page_answers_as_an_unknown_story(client, embargo):
    for route in routes("story"):
        for language in route.languages:
            arguments = {"section": embargo.section.slug, "slug": embargo.slug}
            # The API's address of a story is its id alone.
            arguments = {
                k: v for k, v in arguments.items() if k in route.pattern.pattern.converters
            }
            response = client.get(route.reverse(language, pk=embargo.pk, **arguments))
            unknown = client.get(route.reverse(language, pk=embargo.pk + 10_000, **arguments))
            assert (response.status_code, response.content) == (404, unknown.content)


def test_share_links_and_photo_files_need_their_secret(client, embargo):
    photo = embargo.lead_photo
    for route in routes("share"):
        for language in route.languages:
            forged = signing.dumps(embargo.pk, salt="another salt")
            assert client.get(route.reverse(language, token=forged)).status_code == 404
            missing = signing.dumps(10**9, salt=PreviewLink.SALT)
            assert client.get(route.reverse(language, token=missing)).status_code == 404
    for route in routes("file"):
        guessed = route.reverse("ru", pk=photo.pk, token="0" * 16, name="w640.webp")
        assert client.get(guessed).status_code == 404


def test_an_embargoed_storys_reading_answers_as_an_unknown_storys_and_counts_nothing(
    client, embargo
):
    browser = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Firefox/133.0"}
    for route in routes("beacon"):
        for language in route.languages:
            response = client.get(route.reverse(language, pk=embargo.pk), headers=browser)
            unknown = client.get(route.reverse(language, pk=embargo.pk + 10_000), headers=browser)
            assert (response.status_code, response.content) == (404, unknown.content)
            assert response["Cache-Control"] == unknown["Cache-Control"]
    assert not Reading.objects.exists()


def test_every_kind_of_route_is_covered_here():
    # A new kind in ROUTES needs a test above before it can be used.
    assert {route.kind for route in walk()} <= {
        "list", "text", "owner", "story", "share", "file", "beacon",
    }  # fmt: skip
