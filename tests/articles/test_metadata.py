"""What a story page tells search engines and social networks about itself."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db
SITE = "https://news.example.kz"


@pytest.fixture
def story(settings):
    settings.NEWSROOM_SITE_URL = SITE
    settings.NEWSROOM_PUBLISHER = "Жаңалықтар"
    moment = datetime(2026, 3, 6, 14, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    return make_article(
        "Токаев встретился с главой МККК",
        section=make_section("События"),
        lead="Президент принял главу Красного Креста.",
        lead_photo=make_photo(alt_text="Токаев за столом переговоров", credit_line="akorda.kz"),
        authors=[make_author("Ирина Капитанова", job_title="корреспондент")],
        tags=["МККК"],
        published_at=moment,
        corrected_at=moment.replace(hour=16),
    )


def head(client, url):
    return lxml.html.fromstring(client.get(url).content.decode())


def meta(html, key):
    found = html.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")
    return found[0] if found else None


def test_story_has_a_canonical_address_at_the_configured_site(client, story):
    html = head(client, story.get_absolute_url() + "?utm_source=x")
    assert html.xpath("//link[@rel='canonical']/@href") == [SITE + story.get_absolute_url()]


def test_story_has_opengraph_and_twitter_cards_with_the_share_crop(client, story):
    html = head(client, story.get_absolute_url())
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:title") == story.title
    assert meta(html, "og:description") == story.lead
    assert meta(html, "og:url") == SITE + story.get_absolute_url()
    assert meta(html, "og:image").startswith(SITE + "/") and meta(html, "og:image").endswith(
        "/share.jpg"
    )
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    assert meta(html, "og:image:alt") == "Токаев за столом переговоров"
    assert meta(html, "og:locale") == "ru_RU"
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "twitter:image") == meta(html, "og:image")
    assert meta(html, "article:published_time") == "2026-03-06T14:00:00+05:00"


def test_the_share_crop_is_a_real_1200_by_630_image(client, story):
    import io

    from PIL import Image

    url = meta(head(client, story.get_absolute_url()), "og:image").removeprefix(SITE)
    response = client.get(url, follow=True)
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert Image.open(io.BytesIO(data)).size == (1200, 630)


def test_story_carries_newsarticle_structured_data(client, story):
    html = head(client, story.get_absolute_url())
    (script,) = html.xpath("//script[@type='application/ld+json']/text()")
    data = json.loads(script)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == story.title
    assert data["datePublished"] == "2026-03-06T14:00:00+05:00"
    assert data["dateModified"] == "2026-03-06T16:00:00+05:00"
    assert data["image"][0]["url"].endswith("/share.jpg")
    assert data["image"][0]["creditText"] == "akorda.kz"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Ирина Капитанова",
            "url": f"{SITE}/authors/irina-kapitanova/",
            "jobTitle": "корреспондент",
        }
    ]
    assert data["publisher"]["name"] == "Жаңалықтар"
    assert data["publisher"]["logo"]["url"].startswith(SITE + "/static/")
    assert data["mainEntityOfPage"] == SITE + story.get_absolute_url()
    assert data["inLanguage"] == "ru"


def test_structured_data_cannot_be_broken_out_of_by_a_headline(client, story):
    story.title = "</script><script>alert(1)</script>"
    story.save()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    html = lxml.html.fromstring(page)
    data = json.loads(html.xpath("//script[@type='application/ld+json']/text()")[0])
    assert data["headline"] == story.title


def test_list_pages_have_their_own_canonical_and_feeds(client, story):
    section = story.section
    html = head(client, section.get_absolute_url() + "?page=1&x=1")
    assert html.xpath("//link[@rel='canonical']/@href") == [SITE + section.get_absolute_url()]
    feeds = html.xpath("//link[@rel='alternate'][@type='application/rss+xml']/@href")
    assert f"/rss/sections/{section.slug}/" in feeds
    front = head(client, "/en/")
    assert front.xpath("//link[@rel='canonical']/@href") == [SITE + "/en/"]
    assert "/en/rss/" in front.xpath("//link[@type='application/rss+xml']/@href")


def test_previews_are_never_indexed(client, story, editor):
    from articles.models import Article, PreviewLink

    # A share link is for a story readers have not seen yet.
    story.status = Article.Status.REVIEW
    story.save()
    link = PreviewLink.objects.create(article=story)
    html = head(client, link.get_absolute_url())
    assert meta(html, "robots") == "noindex, nofollow"
    assert not html.xpath("//link[@rel='canonical']")
    assert not html.xpath("//script[@type='application/ld+json']")
