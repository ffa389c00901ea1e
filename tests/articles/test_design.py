"""
What the reader's design promises, page by page: a rail of the latest news
beside every page, share links that need no script of anyone's, OpenGraph on
list pages, a canonical for search, and a news sitemap that is never empty.
"""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.utils import timezone

from tests.factories import make_article, make_author, make_section
from tests.schemas import assert_valid, fetch, sitemap_schema

pytestmark = pytest.mark.django_db
SITE = "https://news.example.kz"


@pytest.fixture(autouse=True)
def site(settings):
    settings.NEWSROOM_SITE_URL = SITE


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


def meta(page, key):
    found = page.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")
    return found[0] if found else None


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def rail_titles(page):
    return page.xpath("//aside[@class='rail']//h3[@class='card-title']/a/text()")


def test_every_page_has_a_rail_of_the_editions_latest_stories_newest_first(client):
    section, author = make_section("Спорт"), make_author("Ирина Капитанова")
    story = make_article("Матч", section=section, authors=[author], tags=["футбол"])
    for number in range(12):
        make_article(f"Новость {number}", published_at=hours_ago(2 + number))
    make_article("Черновик", published=False)
    make_article("Завтрашняя", published_at=hours_ago(-5))
    make_article("Жаңалық", language="kk")
    expected = ["Матч", *(f"Новость {number}" for number in range(9))]
    for url in [
        section.get_absolute_url(),
        story.get_absolute_url(),
        "/tags/futbol/",
        author.get_absolute_url(),
        "/search/?q=Матч",
    ]:
        assert rail_titles(html(client, url)) == expected, url
    assert rail_titles(html(client, "/kk/")) == []  # the Kazakh story is the top one


def test_the_front_pages_rail_is_its_latest_news_beside_the_top_story(client):
    make_article("Главная дня", is_top=True, published_at=hours_ago(3))
    make_article("Свежая", published_at=hours_ago(1))
    page = html(client, "/")
    assert page.xpath("string(//section[@class='top-story']//h2)").strip() == "Главная дня"
    assert rail_titles(page) == ["Свежая"]


def test_the_rail_is_read_once_per_site_state_and_again_after_a_change(
    client, django_assert_num_queries
):
    story = make_article("Первая")
    client.get(story.section.get_absolute_url())
    # the section's page, its navigation and its rail are found once a state
    with django_assert_num_queries(0):
        page = html(client, story.section.get_absolute_url())
    assert rail_titles(page) == ["Первая"]
    make_article("Вторая", section=story.section)
    assert rail_titles(html(client, story.section.get_absolute_url())) == ["Вторая", "Первая"]


def test_share_links_carry_the_storys_address_and_headline_escaped(client):
    story = make_article("Цены & «тарифы»: +5% <за> год?", section=make_section("Экономика"))
    url = SITE + story.get_absolute_url()
    links = {
        link.get("class"): link.get("href")
        for link in html(client, story.get_absolute_url()).xpath("//section[@class='share']//a")
    }
    expected = {
        "share-telegram": ("t.me", "/share/url", {"url": [url], "text": [story.title]}),
        "share-whatsapp": ("wa.me", "/", {"text": [f"{story.title} {url}"]}),
        "share-vk": ("vk.com", "/share.php", {"url": [url], "title": [story.title]}),
        "share-facebook": ("www.facebook.com", "/sharer/sharer.php", {"u": [url]}),
        "share-x": ("x.com", "/intent/post", {"url": [url], "text": [story.title]}),
    }
    for name, (host, path, query) in expected.items():
        address = urlsplit(links[name])
        assert (address.scheme, address.netloc, address.path) == ("https", host, path), name
        assert parse_qs(address.query) == query, name
        assert "+" not in address.query and " " not in address.query, name
    # Without a script it is still a link, to the story's own address.
    assert links["share-link"] == url


def test_share_links_are_plain_links_with_no_script_from_anyone(client):
    story = make_article()
    page = html(client, story.get_absolute_url())
    assert page.xpath("//script[not(@type='application/ld+json')]") == []
    assert page.xpath("//iframe") == []
    assert page.xpath("//section[@class='share']//a[@rel='noopener nofollow']")


def test_read_also_never_shows_one_event_twice(client):
    section = make_section("События")
    story = make_article("Переговоры в Акорде", section=section, published_at=hours_ago(1))
    earlier = make_article("Визит в Астану", section=section, published_at=hours_ago(5))
    earlier_en = make_article(
        "Visit to Astana", section=section, language="en", translation_of=earlier,
        published_at=hours_ago(5),
    )  # fmt: skip
    story_kk = make_article(
        "Ақордадағы келіссөздер", section=section, language="kk", translation_of=story,
        published_at=hours_ago(1),
    )  # fmt: skip
    # The editors chose the same visit twice (in two languages) and the story's own translation.
    story.related_stories.set([earlier, earlier_en, story_kk])
    page = html(client, story.get_absolute_url())
    listed = page.xpath("//aside[@class='read-also']//li/a/text()")
    assert listed == ["Визит в Астану"]


def test_a_lead_photos_caption_and_credit_are_two_lines(client):
    from tests.factories import make_photo

    story = make_article(
        lead_photo=make_photo(credit_line="akorda.kz"), lead_photo_caption="Встреча в Акорде"
    )
    caption = html(client, story.get_absolute_url()).xpath("//figure[@class='lead-photo']")[0]
    assert caption.xpath("string(.//span[@class='caption'])") == "Встреча в Акорде"
    assert caption.xpath("string(.//span[@class='credit'])") == "Фото: akorda.kz"


@pytest.mark.parametrize("kind", ["front", "section", "tag", "author", "search"])
def test_list_pages_have_opengraph_and_twitter_cards(client, kind):
    author = make_author("Ирина Капитанова", bio="Пишет о дипломатии.")
    section = make_section("Политика", description="Власть и законы.")
    make_article(section=section, authors=[author], tags=["выборы"])
    url, title = {
        "front": ("/", "Newsroom"),
        "section": (section.get_absolute_url(), "Политика"),
        "tag": ("/tags/vybory/", "Материалы с тегом «выборы»"),
        "author": (author.get_absolute_url(), "Ирина Капитанова"),
        "search": ("/search/?q=выборы", "Поиск"),
    }[kind]
    page = html(client, url)
    assert meta(page, "og:type") == "website"
    assert meta(page, "og:title") == title
    assert meta(page, "og:site_name") == "Newsroom"
    assert meta(page, "og:locale") == "ru_RU"
    assert meta(page, "og:url").startswith(SITE + "/")
    assert meta(page, "og:image") == f"{SITE}/static/newsroom/logo.png"
    assert meta(page, "twitter:card") == "summary"


def test_a_kazakh_list_page_says_its_locale(client):
    section = make_section("Саясат")
    make_article(section=section, language="kk")
    assert meta(html(client, f"/kk/{section.slug}/"), "og:locale") == "kk_KZ"


def test_search_pages_are_noindex_with_a_canonical_that_keeps_the_words_and_page(client):
    for number in range(25):
        make_article(f"Выборы {number}")
    first = html(client, "/search/?q=выборы+в+маслихат&utm_source=x")
    assert meta(first, "robots") == "noindex, follow"
    canonical = first.xpath("//link[@rel='canonical']/@href")
    assert canonical == [
        f"{SITE}/search/?q=%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B%20%D0%B2%20%D0%BC%D0%B0%D1%81%D0%BB%D0%B8%D1%85%D0%B0%D1%82"
    ]
    second = html(client, "/search/?q=выборы&page=2")
    assert second.xpath("//link[@rel='canonical']/@href") == [
        f"{SITE}/search/?q=%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B&page=2"
    ]
    assert html(client, "/search/").xpath("//link[@rel='canonical']/@href") == [f"{SITE}/search/"]


def test_no_story_in_two_days_means_no_news_sitemap_anywhere(client):
    make_article("Старая новость", published_at=hours_ago(49))
    assert client.get("/sitemaps/news.xml").status_code == 404
    index = fetch(client, "/sitemap.xml")
    assert_valid(index, sitemap_schema("siteindex.xsd"))
    assert not any("news.xml" in url for url in index.xpath("//*[local-name()='loc']/text()"))
    assert "news.xml" not in client.get("/robots.txt").content.decode()


def test_a_story_published_now_brings_the_news_sitemap_back_valid(client):
    make_article("Старая новость", published_at=hours_ago(49))
    make_article("Свежая новость")
    document = fetch(client, "/sitemaps/news.xml")
    assert_valid(document, sitemap_schema("sitemap.xsd"))
    assert f"{SITE}/sitemaps/news.xml" in fetch(client, "/sitemap.xml").xpath(
        "//*[local-name()='loc']/text()"
    )
    assert f"Sitemap: {SITE}/sitemaps/news.xml" in client.get("/robots.txt").content.decode()
