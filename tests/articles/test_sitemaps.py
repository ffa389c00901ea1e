"""Sitemaps and robots.txt: valid against the published schemas, at the configured address."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_article, make_author, make_photo, make_section
from tests.schemas import assert_valid, fetch, sitemap_schema

pytestmark = pytest.mark.django_db

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
IMAGE = {"image": "http://www.google.com/schemas/sitemap-image/1.1"}
NEWS = {"news": "http://www.google.com/schemas/sitemap-news/0.9"}
SITE = "https://news.example.kz"


@pytest.fixture
def newsroom(settings):
    settings.NEWSROOM_SITE_URL = SITE
    section, author = make_section("События"), make_author("Ирина Капитанова")
    make_article("Сегодняшняя новость", section=section, authors=[author], lead_photo=make_photo())
    make_article(
        "Новость недельной давности", section=section, authors=[author],
        published_at=timezone.now() - timedelta(days=7),
    )  # fmt: skip
    make_article("Бүгінгі жаңалық", section=section, authors=[author], language="kk")
    make_article("Черновик", section=section, published=False)
    make_article("Завтрашняя", section=section, published_at=timezone.now() + timedelta(hours=2))
    make_section("Пустая рубрика")
    return section, author


def locations(document):
    return document.xpath("//s:loc/text()", namespaces=SITEMAP)


def story_pages(client):
    """The story sitemap's pages, as the index lists them (a page is a range of ids)."""
    entries = locations(fetch(client, "/sitemap.xml"))
    return [url.removeprefix(SITE) for url in entries if "/sitemaps/stories.xml" in url]


def test_sitemap_index_lists_every_sitemap_at_the_configured_address(client, newsroom):
    document = fetch(client, "/sitemap.xml")
    assert_valid(document, sitemap_schema("siteindex.xsd"))
    entries = locations(document)
    stories = [url for url in entries if url.startswith(f"{SITE}/sitemaps/stories.xml")]
    assert stories and entries == [
        *stories,
        f"{SITE}/sitemaps/sections.xml",
        f"{SITE}/sitemaps/authors.xml",
        f"{SITE}/sitemaps/news.xml",
    ]


def test_story_sitemap_lists_published_stories_with_their_photos(client, newsroom):
    urls, images, lastmods = [], [], []
    for page in story_pages(client):
        document = fetch(client, page)
        assert_valid(document, sitemap_schema("sitemap.xsd"))
        urls += locations(document)
        images += document.xpath("//image:loc/text()", namespaces=IMAGE)
        lastmods += document.xpath("//s:lastmod/text()", namespaces=SITEMAP)
        assert b"example.com" not in client.get(page).content
    assert len(urls) == 3
    assert all(url.startswith(f"{SITE}/") for url in urls)
    assert any(url.startswith(f"{SITE}/kk/") for url in urls)
    assert len(images) == 1 and images[0].startswith(f"{SITE}/img/")
    assert all("+05:00" in lastmod for lastmod in lastmods)


def test_story_sitemaps_are_pages_of_id_ranges_and_the_index_lists_every_page(
    client, newsroom, monkeypatch
):
    from articles import sitemaps
    from articles.models import Article

    monkeypatch.setattr(sitemaps.StorySitemap, "limit", 2)
    published = sorted(Article.objects.published().values_list("pk", flat=True))
    pages = story_pages(client)
    # From the page of the oldest published id to the newest's, two ids a page.
    first, last = -(-published[0] // 2), -(-published[-1] // 2)
    assert pages == [
        "/sitemaps/stories.xml" if p == 1 else f"/sitemaps/stories.xml?p={p}"
        for p in range(first, last + 1)
    ]
    listed = []
    for page in pages:
        response = client.get(page)
        if response.status_code == 404:  # a range of drafts only: no empty sitemap
            continue
        listed += locations(fetch(client, page))
    assert len(listed) == len(published)
    for bad in [str(last + 1), "0", "-1", "x", "1e3", "99999999999999999999999"]:
        assert client.get("/sitemaps/stories.xml", {"p": bad}).status_code == 404


def test_section_and_author_sitemaps_list_pages_with_stories_in_each_edition(client, newsroom):
    sections = fetch(client, "/sitemaps/sections.xml")
    assert_valid(sections, sitemap_schema("sitemap.xsd"))
    section = newsroom[0]
    assert sorted(locations(sections)) == [
        f"{SITE}/kk/{section.slug}/", f"{SITE}/{section.slug}/",
    ]  # fmt: skip
    authors = fetch(client, "/sitemaps/authors.xml")
    assert_valid(authors, sitemap_schema("sitemap.xsd"))
    assert f"{SITE}/authors/irina-kapitanova/" in locations(authors)


def test_news_sitemap_lists_the_last_two_days(client, newsroom):
    document = fetch(client, "/sitemaps/news.xml")
    assert_valid(document, sitemap_schema("sitemap.xsd"))
    titles = document.xpath("//news:title/text()", namespaces=NEWS)
    assert sorted(titles) == ["Бүгінгі жаңалық", "Сегодняшняя новость"]
    assert set(document.xpath("//news:language/text()", namespaces=NEWS)) == {"ru", "kk"}
    date = document.xpath("//news:publication_date/text()", namespaces=NEWS)[0]
    assert date.endswith("+05:00")


def test_odd_headlines_never_break_the_news_sitemap(client, newsroom):
    make_article("Заголовок\x0bс\x08символами & <тегами>", section=newsroom[0])
    document = fetch(client, "/sitemaps/news.xml")
    assert_valid(document, sitemap_schema("sitemap.xsd"))
    assert "Заголовокссимволами & <тегами>" in document.xpath(
        "//news:title/text()", namespaces=NEWS
    )


def test_unknown_sitemaps_answer_404(client, newsroom):
    assert client.get("/sitemaps/nope.xml").status_code == 404


def test_robots_txt_points_to_the_sitemaps_and_keeps_crawlers_out_of_the_admin(client, newsroom):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/sitemaps/news.xml" in lines
    assert {"Disallow: /admin/", "Disallow: /kk/admin/", "Disallow: /preview/"} <= set(lines)


def test_sitemap_query_budgets_do_not_grow_with_stories(
    client, newsroom, django_assert_max_num_queries
):
    author = make_author()
    for number in range(10):
        make_article(f"Ещё {number}", authors=[author], lead_photo=make_photo())
    # the oldest and newest published ids (which pages exist) + the page's stories
    # with sections and photos
    for page in story_pages(client):
        with django_assert_max_num_queries(3):
            assert client.get(page).status_code in {200, 404}
    # count + stories
    with django_assert_max_num_queries(2):
        assert client.get("/sitemaps/news.xml").status_code == 200
    # sections or authors with their latest story, once per edition
    for url in ("/sitemaps/sections.xml", "/sitemaps/authors.xml"):
        with django_assert_max_num_queries(3):
            assert client.get(url).status_code == 200
