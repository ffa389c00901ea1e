"""The front page: the editors' top story, the latest stories, each section's latest few."""

import pytest
from django.utils import timezone

from tests.factories import make_article, make_photo, make_section

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - timezone.timedelta(hours=hours)


def test_the_newest_story_opens_the_front_page_when_editors_chose_none(client):
    make_article("Старая", published_at=hours_ago(5))
    make_article("Свежая", published_at=hours_ago(1))
    assert client.get("/").context["top"].title == "Свежая"


def test_the_story_editors_marked_as_top_opens_the_front_page_until_a_newer_one(client):
    make_article("Главная дня", published_at=hours_ago(5), is_top=True)
    make_article("Просто свежая", published_at=hours_ago(1))
    response = client.get("/")
    assert response.context["top"].title == "Главная дня"
    assert [story.title for story in response.context["latest"]] == ["Просто свежая"]
    make_article("Новая главная", published_at=hours_ago(2), is_top=True)
    assert client.get("/").context["top"].title == "Новая главная"


def test_a_scheduled_or_draft_top_story_does_not_open_the_front_page(client):
    make_article("Опубликованная", published_at=hours_ago(1))
    make_article("Запланированная", published_at=hours_ago(-1), is_top=True)
    make_article("Черновик", published=False, is_top=True)
    assert client.get("/").context["top"].title == "Опубликованная"


def test_each_section_shows_its_latest_stories_below_the_latest_news(client):
    sport, economy = make_section("Спорт"), make_section("Экономика")
    for n in range(16):
        make_article(f"Свежая {n}", published_at=hours_ago(1))
    for n in range(6):
        make_article(f"Спорт {n}", section=sport, published_at=hours_ago(10 + n))
    make_article("Экономика 0", section=economy, published_at=hours_ago(30))
    response = client.get("/")
    blocks = {
        section.name: [s.title for s in stories] for section, stories in response.context["blocks"]
    }
    assert blocks["Спорт"] == ["Спорт 0", "Спорт 1", "Спорт 2", "Спорт 3"]
    assert blocks["Экономика"] == ["Экономика 0"]


def test_a_section_block_shows_the_sections_newest_stories_but_not_the_top_one(client):
    sport = make_section("Спорт")
    top = make_article("Главная", section=sport, published_at=hours_ago(1), is_top=True)
    newest = make_article("Свежий спорт", section=sport, published_at=hours_ago(2))
    response = client.get("/")
    assert response.context["top"] == top
    # The newest sport story leads the latest news and its section's block alike.
    assert newest in response.context["latest"]
    assert dict(response.context["blocks"])[sport] == [newest]


def test_every_card_shows_headline_lead_time_section_and_photo(client):
    make_article(
        "С фото", lead="Лид с фото.", lead_photo=make_photo(), section=make_section("Спорт")
    )
    page = client.get("/").content.decode()
    for part in ["С фото", "Лид с фото.", "<time datetime=", "Спорт", "<picture>", "Фото:"]:
        assert part in page


def test_every_page_has_the_section_navigation_and_a_search_box(client):
    story = make_article(section=make_section("Спорт"))
    for url in ["/", story.section.get_absolute_url(), story.get_absolute_url(), "/search/?q=x"]:
        page = client.get(url).content.decode()
        assert 'role="search"' in page and 'name="q"' in page, url
        assert 'class="sections"' in page and ">Спорт</a>" in page, url


def test_an_empty_edition_says_so(client):
    make_article("Только по-русски")
    response = client.get("/kk/")
    assert response.context["top"] is None
    assert "Әзірге бірде-бір материал жарияланған жоқ." in response.content.decode()
    assert "Только по-русски" not in response.content.decode()
