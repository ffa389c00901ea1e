"""
«Самое читаемое»: the stories of the edition read most in the last 24 hours,
in the rail beside every page (a section's page: that section's), read again
every few minutes rather than on every request; and each story's readings of
the day in the admin's list.
"""

from datetime import timedelta

import lxml.html
import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone
from django.utils.translation import override

from articles import fragments
from articles.models import Article, Reading, reading_hour
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def read_in(story, hours_ago, count):
    """``count`` readings of the story in the hour ``hours_ago`` hours before this one."""
    Reading.add(story.pk, reading_hour() - timedelta(hours=hours_ago), count)


def most_read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    page = lxml.html.fromstring(response.content.decode())
    heading = page.xpath("string(//aside[@class='rail']//section[@class='most-read']/h2)")
    titles = page.xpath(
        "//aside[@class='rail']//ol[@class='most-read-list']//h3[@class='card-title']/a/text()"
    )
    return heading, titles


def edition_list(language="ru"):
    with override(language):
        return [story.title for story in Article.objects.published().in_language().most_read(5)]


def test_the_most_read_come_first_and_only_the_last_24_hours_count():
    first, second, third = make_article("Первая"), make_article("Вторая"), make_article("Третья")
    old = make_article("Вчерашняя сенсация")
    read_in(first, 0, 3)
    read_in(first, 5, 4)  # 7 over two hours
    read_in(second, 23, 9)  # the earliest hour of the 24
    read_in(third, 1, 2)
    read_in(old, 24, 100)  # an hour before them: yesterday's
    read_in(old, 30, 100)
    assert edition_list() == ["Вторая", "Первая", "Третья"]


def test_the_24_hours_move_on_with_the_clock():
    story = make_article("Утренняя")
    read_in(story, 0, 1)
    assert edition_list() == ["Утренняя"]
    with time_machine.travel(reading_hour() + timedelta(hours=23, minutes=59)):
        assert edition_list() == ["Утренняя"]
    with time_machine.travel(reading_hour() + timedelta(hours=24)):
        assert edition_list() == []


def test_five_at_most_and_ties_go_to_the_newer_story():
    stories = [make_article(f"Новость {number}") for number in range(7)]
    for story in stories:
        read_in(story, 0, 10)
    assert edition_list() == [f"Новость {number}" for number in [6, 5, 4, 3, 2]]


def test_only_published_stories_of_the_edition_are_listed():
    russian = make_article("Русская")
    kazakh = make_article("Қазақша жаңалық", language="kk")
    taken_down = make_article("Снятая")
    for story in [russian, kazakh, taken_down]:
        read_in(story, 0, {russian: 1, kazakh: 50, taken_down: 90}[story])
    taken_down.status = Article.Status.UNPUBLISHED
    taken_down.save()
    assert edition_list("ru") == ["Русская"]
    assert edition_list("kk") == ["Қазақша жаңалық"]
    assert edition_list("en") == []


def test_the_rail_shows_the_most_read_beside_every_page_and_a_sections_own_on_its_page(client):
    sport, economy = make_section("Спорт"), make_section("Экономика")
    author = make_author("Ирина Капитанова")
    match = make_article("Матч", section=sport, authors=[author], tags=["футбол"])
    tariffs = make_article("Тарифы", section=economy)
    rates = make_article("Курс тенге", section=economy)
    read_in(match, 0, 30)
    read_in(tariffs, 2, 20)
    read_in(rates, 3, 10)
    everywhere = ("Самое читаемое", ["Матч", "Тарифы", "Курс тенге"])
    for url in ["/", match.get_absolute_url(), "/tags/futbol/", author.get_absolute_url(),
                "/search/?q=Матч"]:  # fmt: skip
        assert most_read(client, url) == everywhere, url
    assert most_read(client, economy.get_absolute_url()) == (
        "Самое читаемое в рубрике «Экономика»",
        ["Тарифы", "Курс тенге"],
    )
    assert most_read(client, sport.get_absolute_url()) == (
        "Самое читаемое в рубрике «Спорт»",
        ["Матч"],
    )


def test_the_rail_speaks_each_editions_language_and_lists_its_own(client):
    section = make_section("Оқиғалар", slug="oqigalar", name_en="Events")
    kazakh = make_article("Қазақша жаңалық", section=section, language="kk")
    english = make_article("English news", section=section, language="en")
    read_in(kazakh, 0, 5)
    read_in(english, 0, 3)
    assert most_read(client, "/kk/search/?q=x") == ("Көп оқылғандар", ["Қазақша жаңалық"])
    assert most_read(client, "/kk/oqigalar/") == (
        "«Оқиғалар» айдарында көп оқылғандар",
        ["Қазақша жаңалық"],
    )
    assert most_read(client, english.get_absolute_url()) == ("Most read", ["English news"])
    assert most_read(client, "/en/oqigalar/") == ("Most read in Events", ["English news"])


def test_no_readings_no_list(client):
    story = make_article()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "most-read" not in page and "Самое читаемое" not in page


def test_the_list_is_read_every_few_minutes_not_on_every_request(client):
    first, second = make_article("Первая"), make_article("Вторая")
    read_in(first, 0, 5)
    assert most_read(client, "/search/?q=x")[1] == ["Первая"]
    read_in(second, 0, 10)
    assert most_read(client, "/search/?q=x")[1] == ["Первая"]
    later = timezone.now() + timedelta(seconds=fragments.MOST_READ_SECONDS)
    with time_machine.travel(later):
        assert most_read(client, "/search/?q=x")[1] == ["Вторая", "Первая"]


def test_a_story_taken_down_leaves_the_list_at_once(client):
    story, other = make_article("Снимут"), make_article("Останется")
    read_in(story, 0, 10)
    read_in(other, 0, 1)
    assert most_read(client, "/search/?q=x")[1] == ["Снимут", "Останется"]
    story.status = Article.Status.UNPUBLISHED
    story.save()
    assert most_read(client, "/search/?q=x")[1] == ["Останется"]


def test_the_most_read_query_budget_does_not_grow_with_readings(django_assert_num_queries):
    stories = [make_article() for _ in range(12)]
    for hours_ago in range(24):
        for story in stories:
            read_in(story, hours_ago, 1 + story.pk % 5)
    request = RequestFactory().get("/")
    # the day's readings, ranked (their stories' state a join); the five stories' rows
    with django_assert_num_queries(2):
        listed = fragments.most_read_of(request)
    assert len(listed) == 5
    # kept for the site's state and a few minutes: another page asks nothing
    with django_assert_num_queries(0):
        assert fragments.most_read_of(RequestFactory().get("/")) == listed
    # a section's: its own two queries, once
    with django_assert_num_queries(2):
        fragments.most_read_of(RequestFactory().get("/"), stories[0].section)
    with django_assert_num_queries(0):
        fragments.most_read_of(RequestFactory().get("/"), stories[0].section)


# The admin


def reads_column(editor_client, url="/admin/articles/article/"):
    page = lxml.html.fromstring(editor_client.get(url).content.decode())
    return {
        row.xpath("string(.//th[contains(@class, 'field-title')])").strip(): row.xpath(
            "string(.//td[contains(@class, 'field-reads')])"
        ).strip()
        for row in page.xpath("//table[@id='result_list']/tbody/tr")
    }


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_editors_see_each_storys_readings_of_the_last_24_hours(editor_client):
    read_today = make_article("Читают сегодня")
    read_yesterday = make_article("Читали вчера")
    make_article("Черновик", published=False)
    read_in(read_today, 0, 1200)
    read_in(read_today, 10, 34)
    read_in(read_yesterday, 30, 500)
    page = editor_client.get("/admin/articles/article/").content.decode()
    assert "Прочитано за 24 ч" in page
    assert reads_column(editor_client) == {
        "Читают сегодня": "1234",
        "Читали вчера": "0",
        "Черновик": "0",
    }


def test_the_admin_column_costs_no_query_per_story(editor_client):
    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get("/admin/articles/article/").status_code == 200
        return len(captured)

    read_in(make_article("Первый материал"), 0, 1)
    editor_client.get("/admin/articles/article/")  # the session and the filters' first reads
    with_one = queries()
    for number in range(10):
        read_in(make_article(f"Материал {number}"), 0, number + 1)
    # each story's readings are a subquery of the query for the page's rows
    assert queries() == with_one
    assert reads_column(editor_client)["Материал 9"] == "10"
