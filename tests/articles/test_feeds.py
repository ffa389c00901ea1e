"""Feeds: valid RSS 2.0 and Atom for the site, sections, tags and authors; published only."""

from datetime import timedelta

import lxml.etree as etree
import lxml.html
import pytest
from django.utils import timezone

from tests.factories import make_article, make_author, make_photo, make_section
from tests.schemas import assert_valid, atom_schema, fetch, rss_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.kz"
    section, author = make_section("События"), make_author("Ирина Капитанова")
    make_article(
        "Токаев встретился с главой МККК",
        section=section, authors=[author], tags=["МККК", "Қазақстан"],
    )  # fmt: skip
    make_article("Черновик", section=section, authors=[author], tags=["МККК"], published=False)
    make_article(
        "Завтрашний материал", section=section, authors=[author], tags=["МККК"],
        published_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    return section, author


FEEDS = ["/rss/", "/rss/sections/sobytiya/", "/rss/tags/mkkk/", "/rss/authors/irina-kapitanova/"]


@pytest.mark.parametrize("url", FEEDS)
def test_rss_feeds_are_valid_and_carry_only_published_stories(client, newsroom, url):
    document = fetch(client, url)
    assert_valid(document, rss_schema())
    titles = document.xpath("//item/title/text()")
    assert titles == ["Токаев встретился с главой МККК"]
    item = document.xpath("//item")[0]
    assert item.findtext("author") or item.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert set(item.xpath("category/text()")) == {"Қазақстан", "МККК"}
    assert item.findtext("link").startswith("https://news.example.kz/sobytiya/")
    assert "+0500" in item.findtext("pubDate")


@pytest.mark.parametrize("url", [f"{url}atom/" for url in FEEDS])
def test_atom_feeds_are_valid_and_carry_only_published_stories(client, newsroom, url):
    document = fetch(client, url)
    assert_valid(document, atom_schema())
    atom = {"a": "http://www.w3.org/2005/Atom"}
    assert document.xpath("//a:entry/a:title/text()", namespaces=atom) == [
        "Токаев встретился с главой МККК"
    ]


def test_control_characters_in_a_headline_never_break_a_feed(client, newsroom):
    # (NUL never gets this far: forms refuse it and PostgreSQL cannot store it.)
    make_article("Заголовок\x0bс\x08управляющими\x1fсимволами\ufffe", section=newsroom[0])
    for url in ("/rss/", "/rss/atom/"):
        document = fetch(client, url)
        assert_valid(document, rss_schema() if url == "/rss/" else atom_schema())
        assert "Заголовоксуправляющимисимволами" in etree.tostring(document, encoding="unicode")


@pytest.mark.parametrize(
    "url", ["/rss/sections/nope/", "/rss/tags/nope/atom/", "/rss/authors/nope/", "/rss/x%00/"]
)
def test_feeds_of_unknown_owners_answer_404(client, newsroom, url):
    assert client.get(url).status_code in {400, 404}


def test_every_list_page_links_its_feeds(client, newsroom):
    page = client.get("/sobytiya/").content.decode()
    assert (
        'href="/rss/sections/sobytiya/"' in page and 'href="/rss/sections/sobytiya/atom/"' in page
    )
    assert 'href="/rss/"' in client.get("/").content.decode()


def test_feed_query_budget_does_not_grow_with_stories(
    client, newsroom, django_assert_max_num_queries
):
    for number in range(10):
        make_article(f"Ещё {number}", section=newsroom[0], authors=[newsroom[1]], tags=["МККК"])
    # owner; the ids; the stories; bylines; tags = 5
    with django_assert_max_num_queries(5):
        assert client.get("/rss/sections/sobytiya/").status_code == 200
    # the full-text feeds also read the share crop's file, for its length = 5
    with django_assert_max_num_queries(5):
        assert client.get("/rss/dzen/").status_code == 200


YANDEX = "http://news.yandex.ru"


def test_yandex_news_feed_carries_the_full_text_without_markup(client, newsroom):
    make_article(
        "С фото",
        section=newsroom[0],
        lead_photo=make_photo(credit_line="akorda.kz"),
        body="<p>Первый абзац.</p><blockquote><p>Цитата.</p></blockquote>",
    )
    document = fetch(client, "/rss/yandex/")
    assert_valid(document, rss_schema())
    item = document.xpath("//item[title='С фото']")[0]
    full_text = item.findtext(f"{{{YANDEX}}}full-text")
    assert "Первый абзац." in full_text and "Цитата." in full_text
    assert "<" not in full_text
    enclosure = item.find("enclosure")
    assert enclosure.get("url").startswith("https://news.example.kz/uploads/renditions/")
    assert enclosure.get("type") == "image/jpeg" and int(enclosure.get("length")) > 0
    # Only published stories, as everywhere.
    assert document.xpath("//item/title/text()") == ["С фото", "Токаев встретился с главой МККК"]


def test_dzen_feed_carries_html_with_the_lead_photo_and_its_credit(client, newsroom):
    make_article(
        "С фото",
        section=newsroom[0],
        lead_photo=make_photo(credit_line="Данияр Сейітқали"),
        lead_photo_caption="Площадь перед Акордой",
        body="<p>Текст <strong>с разметкой</strong>.</p>",
    )
    document = fetch(client, "/rss/dzen/")
    assert_valid(document, rss_schema())
    item = document.xpath("//item[title='С фото']")[0]
    assert item.find("enclosure").get("type") == "image/jpeg"
    content = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    html = lxml.html.fromstring(content)
    assert html.xpath("//figure/img/@src")[0].startswith("https://news.example.kz/")
    assert html.xpath("//figcaption/span[@class='copyright']/text()") == ["Данияр Сейітқали"]
    assert "Площадь перед Акордой" in html.xpath("string(//figcaption)")
    assert "<strong>с разметкой</strong>" in content
    assert "format-article" in item.xpath("category/text()")


def test_aggregator_feeds_survive_control_characters(client, newsroom):
    make_article("Заголовок\x0bс\x08символами", body="<p>Текст\x1f.</p>", section=newsroom[0])
    for url in ("/rss/yandex/", "/rss/dzen/"):
        assert_valid(fetch(client, url), rss_schema())


def test_a_section_feed_is_titled_in_the_editions_language(client, newsroom):
    section = newsroom[0]
    section.name_kk = "Оқиғалар"
    section.save()
    make_article("Қазақша жаңалық", language="kk", section=section)
    title = fetch(client, "/kk/rss/sections/sobytiya/").findtext("channel/title")
    assert title.startswith("Оқиғалар — ")


def test_each_edition_has_its_own_feeds(client, newsroom):
    make_article("Қазақша жаңалық", language="kk", section=newsroom[0])
    assert fetch(client, "/kk/rss/").xpath("//item/title/text()") == ["Қазақша жаңалық"]
    assert "Қазақша жаңалық" not in client.get("/rss/").content.decode()
    link = fetch(client, "/kk/rss/").xpath("//item/link/text()")[0]
    assert link.startswith("https://news.example.kz/kk/sobytiya/")
