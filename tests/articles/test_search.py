"""Search: ranked, highlighted, paginated; Russian stemming and Kazakh endings on PostgreSQL."""

import lxml.html
import pytest
from django.db import connection
from django.utils import timezone

from articles.search import kazakh_stem, words
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="stemming needs PostgreSQL full-text search; SQLite runs the simpler fallback",
)


def results(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200, query
    return [story.title for story in response.context["articles"]]


def test_search_finds_a_story_by_a_word_of_its_text(client):
    make_article("Переговоры в Акорде", body="<p>Стороны обсудили гуманитарную помощь.</p>")
    make_article("Погода в Алматы", body="<p>Завтра снег.</p>")
    assert results(client, "гуманитарную") == ["Переговоры в Акорде"]


def test_a_word_in_the_headline_ranks_above_the_lead_and_the_lead_above_the_text(client):
    earlier = timezone.now() - timezone.timedelta(days=3)
    make_article("Просто новость", body="<p>Речь шла о тарифах.</p>", published_at=earlier)
    make_article("Новость дня", lead="Обсудили тарифы.", published_at=earlier)
    make_article("Тарифы вырастут", published_at=earlier)
    assert results(client, "тарифы")[0] == "Тарифы вырастут"
    assert results(client, "тарифы")[1] == "Новость дня"


def test_search_shows_snippets_with_the_words_marked_and_escapes_the_rest(client):
    make_article("Заголовок", lead="Главное: <script>alert(1)</script> помощь регионам.")
    page = client.get("/search/", {"q": "помощь"}).content.decode()
    assert "<script>alert(1)" not in page
    snippet = lxml.html.fromstring(page).xpath("//p[@class='snippet']")[0]
    assert [mark.text for mark in snippet.xpath(".//mark")] == ["помощь"]


def test_search_results_show_the_lead_photo_with_its_credit(client):
    make_article("Выборы в маслихат", lead_photo=make_photo(credit_line="Данияр Сейітқали"))
    html = lxml.html.fromstring(client.get("/search/", {"q": "выборы"}).content.decode())
    (result,) = html.xpath("//li[@class='search-result']")
    assert result.xpath(".//picture")
    assert "Фото: Данияр Сейітқали" in " ".join(result.xpath("string(.//figcaption)").split())


def test_search_finds_only_published_stories_of_the_current_edition(client):
    make_article("Черновик о помощи", published=False)
    make_article("Будущее о помощи", published_at=timezone.now() + timezone.timedelta(hours=1))
    make_article("Көмек туралы", lead="Көмек көрсетілді.", language="kk")
    make_article("Опубликовано о помощи")
    assert results(client, "помощи") == ["Опубликовано о помощи"]
    assert client.get("/kk/search/", {"q": "көмек"}).context["articles"][0].title == "Көмек туралы"


def test_search_results_are_paginated_and_keep_the_query(client):
    for n in range(21):
        make_article(f"Выборы {n}")
    assert len(results(client, "выборы")) == 20
    assert len(results(client, "выборы", page=2)) == 1
    assert (
        "q=%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B&amp;page=2"
        in client.get("/search/", {"q": "выборы"}).content.decode()
    )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "а" * 5000,
        "слово " * 1000,
        "\"'`",
        "&|!():*",
        "помощь & | ! ( ) : * <->",
        "'; DROP TABLE articles_article; --",
        "1 OR 1=1",
        "%_%",
        "🙂🔥",
        "Тоқаев Tokayev Токаев 🙂",
        "\u202e\u200b\ufeff",
        "\x01\x1f",
    ],
)
def test_odd_queries_return_a_page_never_an_error(client, query):
    make_article("Токаев встретился с главой МККК")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert b"<mark><" not in response.content


def test_a_null_character_in_the_query_is_refused_as_bad_input(client):
    assert client.get("/search/", {"q": "a\x00b"}).status_code == 400


def test_search_page_query_budget_does_not_grow_with_results(client, django_assert_max_num_queries):
    for n in range(15):
        make_article(f"Выборы {n}")
    # navigation + the rail's latest stories + the rail's most read (none read,
    # no rows) + the newest matches, ranked (one query, never a count) + the
    # page's stories with their snippets + bylines = 6
    with django_assert_max_num_queries(6):
        assert len(results(client, "выборы")) == 15
    # navigation and rail are kept for the site's state: matches, stories, bylines = 3
    with django_assert_max_num_queries(3):
        assert len(results(client, "выборы")) == 15


def test_query_is_reduced_to_its_words():
    assert words("'; DROP TABLE x; -- &|!():* 🙂 Тоқаевтың") == [
        "drop", "table", "x", "тоқаевтың",
    ]  # fmt: skip
    assert len(words("слово " * 1000)) == 10


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("тоқаевтың", "тоқаев"),
        ("тоқаевқа", "тоқаев"),
        ("тоқаевпен", "тоқаев"),
        ("қазақстандағы", "қазақстан"),
        ("мектептерде", "мектептер"),
        ("ел", "ел"),
    ],
)
def test_kazakh_endings_are_cut_to_the_stem(word, stem):
    assert kazakh_stem(word) == stem


@needs_postgresql
def test_on_postgresql_a_russian_word_finds_its_other_forms(client):
    make_article("Гуманитарная помощь", body="<p>Помощь доставлена.</p>")
    assert connection.vendor == "postgresql"
    assert results(client, "помощи") == ["Гуманитарная помощь"]
    assert results(client, "помощью") == ["Гуманитарная помощь"]


@needs_postgresql
def test_on_postgresql_a_kazakh_word_finds_the_stem_with_other_endings(client):
    make_article("Тоқаев МККК басшысымен кездесті", lead="Тоқаевқа хат жолданды.", language="kk")
    assert [s.title for s in client.get("/kk/search/", {"q": "Тоқаевтың"}).context["articles"]] == [
        "Тоқаев МККК басшысымен кездесті"
    ]
    # On the Russian site too, a word with Kazakh letters is treated as Kazakh.
    make_article("Письмо для Тоқаевқа", lead="Кездесу өтті.")
    assert results(client, "Тоқаевтың") == ["Письмо для Тоқаевқа"]


@needs_postgresql
def test_on_postgresql_the_index_follows_every_save(client):
    story = make_article("Старый заголовок")
    assert results(client, "заголовок") == ["Старый заголовок"]
    story.title = "Обновлённый текст"
    story.save()
    assert results(client, "заголовок") == []
    assert results(client, "обновлённый") == ["Обновлённый текст"]
