"""Language editions: / Russian, /kk/ Kazakh, /en/ English; translations linked both ways."""

from datetime import UTC, datetime

import lxml.html
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


@pytest.fixture
def story_in_three_languages():
    section = make_section("События", name_kk="Оқиғалар", name_en="News")
    original = make_article("Токаев встретился с главой МККК", section=section)
    kazakh = make_article(
        "Тоқаев ХҚКК басшысымен кездесті", section=section, language="kk",
        translation_of=original,
    )  # fmt: skip
    english = make_article(
        "Tokayev met the head of the ICRC", section=section, language="en",
        translation_of=original,
    )  # fmt: skip
    return original, kazakh, english


def test_each_edition_speaks_its_language_and_lists_its_own_stories(
    client, story_in_three_languages
):
    original, kazakh, english = story_in_three_languages
    for url, language, title, section in [
        ("/", "ru", original.title, "События"),
        ("/kk/", "kk", kazakh.title, "Оқиғалар"),
        ("/en/", "en", english.title, "News"),
    ]:
        html = page(client, url)
        assert html.get("lang") == language
        assert html.xpath("//h2[@class='card-title']/a/text()") == [title]
        assert section in html.xpath("//nav[@class='sections']//a/text()")


def test_the_interface_is_translated_in_every_edition(client, story_in_three_languages):
    assert page(client, "/").xpath("//button/text()") == ["Найти"]
    assert page(client, "/kk/").xpath("//button/text()") == ["Іздеу"]
    assert page(client, "/en/").xpath("//button/text()") == ["Find"]


def test_dates_are_written_the_way_each_language_writes_them(client):
    moment = timezone.make_aware(timezone.datetime(2026, 3, 6, 14, 0))
    make_article("Русская", published_at=moment)
    make_article("Қазақша", published_at=moment, language="kk")
    make_article("English", published_at=moment, language="en")
    assert page(client, "/").xpath("string(//main//time)") == "06.03.2026 14:00"
    assert page(client, "/kk/").xpath("string(//main//time)") == "06.03.2026 14:00"
    assert page(client, "/en/").xpath("string(//main//time)") == "6 Mar 2026, 14:00"


@pytest.mark.parametrize(
    "prefix, written",
    [("", "2 декабря 2026"), ("/kk/", "2026 жылғы 2 желтоқсан"), ("/en/", "2 December 2026")],
)
def test_the_masthead_shows_the_day_in_almaty_as_the_edition_writes_a_date(client, prefix, written):
    make_article("Русская"), make_article("Қазақша", language="kk")
    make_article("English", language="en")
    # 20:30 in Greenwich is already the next day in Almaty (UTC+5).
    with time_machine.travel(datetime(2026, 12, 1, 20, 30, tzinfo=UTC)):
        html = page(client, prefix or "/")
    assert html.xpath("string(//header//p[@class='today']/time)") == written
    assert html.xpath("string(//header//p[@class='today']/time/@datetime)") == "2026-12-02"


def test_a_story_lives_at_its_own_editions_address(client, story_in_three_languages):
    original, kazakh, english = story_in_three_languages
    assert kazakh.get_absolute_url().startswith("/kk/")
    assert english.get_absolute_url().startswith("/en/")
    assert not original.get_absolute_url().startswith(("/kk/", "/en/"))
    # The same story asked for in another edition moves to its own.
    wrong = kazakh.get_absolute_url().removeprefix("/kk")
    response = client.get(wrong)
    assert response.status_code == 301 and response["Location"] == kazakh.get_absolute_url()


def test_translations_link_to_each_other_with_hreflang(client, story_in_three_languages):
    original, kazakh, english = story_in_three_languages
    html = page(client, kazakh.get_absolute_url())
    alternates = dict(
        (link.get("hreflang"), link.get("href"))
        for link in html.xpath("//link[@rel='alternate'][@hreflang]")
    )
    assert set(alternates) == {"ru", "kk", "en"}
    assert alternates["ru"].endswith(original.get_absolute_url())
    switch = html.xpath("//nav[@class='editions']//a")
    assert {a.get("hreflang"): a.get("href") for a in switch} == {
        "ru": original.get_absolute_url(),
        "kk": kazakh.get_absolute_url(),
        "en": english.get_absolute_url(),
    }
    assert html.xpath("//p[@class='translations']/a/text()") == ["Русский", "English"]


def test_an_unpublished_translation_is_not_linked(client, story_in_three_languages):
    original, kazakh, english = story_in_three_languages
    english.status = Article.Status.DRAFT
    english.save()
    html = page(client, original.get_absolute_url())
    assert {link.get("hreflang") for link in html.xpath("//link[@hreflang]")} == {"ru", "kk"}


def test_a_story_without_translations_has_no_hreflang(client):
    story = make_article()
    assert not page(client, story.get_absolute_url()).xpath("//link[@hreflang]")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"language": "ru"}, "translation_of"),  # same language as the original
        ({"translation_of": "self"}, "translation_of"),
        ({"translation_of": "translation"}, "translation_of"),  # a translation of a translation
    ],
)
def test_translation_links_that_make_no_sense_are_refused(story_in_three_languages, change, field):
    original, kazakh, english = story_in_three_languages
    values = {"self": kazakh, "translation": english}
    for name, value in change.items():
        setattr(kazakh, name, values.get(value, value))
    with pytest.raises(ValidationError) as error:
        kazakh.full_clean()
    assert field in error.value.message_dict


def test_a_second_translation_into_the_same_language_is_refused(story_in_three_languages):
    original = story_in_three_languages[0]
    second = Article(
        title="Тағы бір аударма", lead="Лид.", section=original.section, language="kk",
        translation_of=original,
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "translation_of" in error.value.message_dict


@pytest.mark.parametrize("url", ["/de/", "/kk/kk/", "/KK/", "/kk/nope/", "/en/authors/nope/"])
def test_unknown_editions_and_pages_answer_404(client, url):
    assert client.get(url).status_code == 404


def test_the_language_switch_leads_to_the_same_page_in_another_edition(client):
    section = make_section("События", name_kk="Оқиғалар")
    make_article(section=section)
    switch = page(client, f"{section.get_absolute_url()}?page=1").xpath(
        "//nav[@class='editions']//a"
    )
    assert {a.get("hreflang"): a.get("href") for a in switch} == {
        "ru": f"/{section.slug}/?page=1",
        "kk": f"/kk/{section.slug}/?page=1",
        "en": f"/en/{section.slug}/?page=1",
    }
    search = page(client, "/kk/search/?q=%D1%82%D0%B5%D0%BA%D1%81%D1%82")
    assert search.xpath("//nav[@class='editions']//a[@hreflang='ru']/@href") == [
        "/search/?q=%D1%82%D0%B5%D0%BA%D1%81%D1%82"
    ]


def test_a_missing_page_offers_the_front_page_of_each_edition(client):
    response = client.get("/kk/nope/")
    assert response.status_code == 404
    html = lxml.html.fromstring(response.content.decode())
    assert html.get("lang") == "kk"
    links = html.xpath("//nav[@class='editions']//a/@href")
    assert links == ["/", "/kk/", "/en/"]
    assert not html.xpath("//link[@rel='canonical']")
