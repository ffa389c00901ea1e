"""
Every reader address, walked from the URLconf, answers hostile parts and query
strings with a page or a 4xx, never a server error, and never echoes markup.

The examples are hypothesis's (tests/newsroom/hostile.py): mixed scripts,
combining characters, right-to-left marks, emoji sequences, control characters
and NUL, lone surrogates, bytes that are no UTF-8, huge and negative numbers.
"""

import lxml.html
import pytest
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from articles.templatetags.stories import _inside_grapheme, truncate_text
from tests.factories import make_article, make_author, make_photo, make_section
from tests.newsroom.hostile import (
    MARKUP,
    fill,
    hostile_text,
    query_string,
    reader_routes,
    route_arguments,
    url_part,
)

pytestmark = pytest.mark.django_db

ROUTES = reader_routes()
API_PREFIX = "api/"
EDITIONS = ["", "kk/", "en/"]
# Prefixed routes are the editions'; the others live at the root only (the API's too).
UNPREFIXED = {
    "robots.txt", "sitemap.xml", "sitemaps/news.xml", "sitemaps/<slug:section>.xml",
    "read/<str:pk>/",
    *(route for route in ROUTES if route.startswith(API_PREFIX)),
}  # fmt: skip


@pytest.fixture
def newsroom(db):
    """One published story with its section, tag, author and photo: real values to mix in."""
    author = make_author("Ирина Капитанова", slug="irina")
    photo = make_photo()
    story = make_article("Наурыз в Алматы", authors=[author], tags=["nauryz"], lead_photo=photo)
    rendition = photo.renditions.first()
    return {
        "slug": [story.section.slug, "nauryz", author.slug, story.slug],
        "section": [story.section.slug],
        "pk": [str(story.pk), str(photo.pk)],
        "token": [photo.token],
        "name": [rendition.spec, "original-320.webp"],
        "path": [rendition.file.name],
    }


def test_every_reader_route_is_walked():
    # A route the walk cannot fill would silently go untested.
    assert len(ROUTES) >= 20
    assert all(route_arguments(route) or "<" not in route for route in ROUTES)


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route or "front-page")
@given(data=st.data())
def test_a_reader_address_with_hostile_parts_answers_a_page_or_4xx(client, newsroom, route, data):
    values = {
        name: data.draw(st.one_of(st.sampled_from(newsroom[name]), url_part), label=name)
        for name in route_arguments(route)
    }
    edition = "" if route in UNPREFIXED else data.draw(st.sampled_from(EDITIONS), label="edition")
    query = data.draw(query_string, label="query")
    address = f"/{edition}{fill(route, values)}" + (f"?{query}" if query else "")
    response = client.get(address)
    # The test client raises whatever a view raises: a server error fails here.
    # (204: the readings' beacon, which answers a published story's id with nothing.)
    assert response.status_code in {200, 204, 301, 302, 304, 400, 403, 404, 405, 410, 503}, address
    if response.get("Content-Type", "").startswith("text/html"):
        assert MARKUP not in response.content.decode(errors="replace"), address


@given(words=st.sampled_from(["page", "q"]).flatmap(lambda key: st.tuples(st.just(key), url_part)))
def test_search_shows_whatever_it_was_asked_escaped(client, newsroom, words):
    key, value = words
    response = client.get(f"/search/?q=%3Cscript%3Ealert(1)%3C/script%3E{value}&{key}={value}")
    assert response.status_code in {200, 400, 404}  # 404: a page past the last
    assert MARKUP not in response.content.decode(errors="replace")


def storable(length):
    """Hostile text as a form lets it through: no NUL, valid UTF-8, trimmed, line ends as \\n."""
    return hostile_text.map(
        lambda text: (
            text.replace("\x00", "")
            .replace("\r", "")
            .encode("utf-8", "replace")
            .decode()[:length]
            .strip()
        )
    )


@given(title=storable(150), lead=storable(2000))
def test_stored_hostile_text_is_found_shown_escaped_and_cut_between_letters(
    client, db, title, lead
):
    story = make_article(f"{title} Жетісу", lead=lead or "Лид.", section=make_section())
    try:
        page = client.get(story.get_absolute_url())
        assert page.status_code == 200
        html = page.content.decode()
        assert MARKUP not in html
        assert escape(story.title) in html
        [description] = lxml.html.fromstring(page.content).xpath(
            "//meta[@name='description']/@content"
        )
        assert description == truncate_text(story.lead, 300)
        kept = description.removesuffix("…").rstrip()
        assert story.lead.startswith(kept)
        # (Text that is one long grapheme, a thousand accents on nothing, is cut to nothing.)
        if kept and len(kept) < len(story.lead.rstrip()):
            assert not _inside_grapheme(story.lead, len(kept)), "a letter or emoji cut in two"

        results = client.get("/search/", {"q": "Жетісу"})
        assert story.get_absolute_url() in results.content.decode()
        assert MARKUP not in results.content.decode()
    finally:
        story.delete()


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("ab👨\u200d👩\u200d👧", "ab…"),
        ("abc🇰🇿🇰🇿", "abc🇰🇿…"),
        ("abcде\u0301\u0301f", "abcд…"),
        ("abcd👍🏽x", "abcd…"),
        ("abcdefgh", "abcde…"),
        ("abcdef", "abcdef"),
    ],
)
def test_a_cut_lead_keeps_whole_letters_and_emoji(text, cut):
    assert truncate_text(text, 6) == cut
