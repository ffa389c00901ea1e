"""
Most read, in a browser: a reader's Chromium counts its reading of a page the
page cache served, and the rail's list reads cleanly on a phone and a desktop.
"""

import pytest
from django.core.management import call_command

from articles import fragments
from articles.models import Article, Reading, reading_hour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Headless Chromium says so in its User-Agent, and headless browsers are not
# readers: this one stands for a person's Chromium.
READERS_CHROMIUM = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def demo(live_server, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    call_command("load_demo", "--no-editor", verbosity=0)
    fragments.BY_STATE.clear()
    return live_server.url


@pytest.fixture
def reader(browser):
    context = browser.new_context(
        locale="ru-RU",
        timezone_id="Asia/Almaty",
        viewport={"width": 1280, "height": 900},
        user_agent=READERS_CHROMIUM,
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def readings_of(story):
    return sum(Reading.objects.filter(story=story).values_list("count", flat=True))


def test_a_reader_counts_a_page_the_cache_served_and_a_robot_does_not(demo, reader, page):
    story = Article.objects.published().filter(language="ru").order_by("-published_at").first()
    with reader.expect_response(lambda answer: "/read/" in answer.url) as beacon:
        reader.goto(demo + story.get_absolute_url())
    assert beacon.value.status == 204
    assert "no-store" in beacon.value.headers["cache-control"]
    assert "set-cookie" not in beacon.value.headers
    assert readings_of(story) == 1
    # From the page cache now: the story's view never runs, the reading still counts.
    with reader.expect_response(lambda answer: "/read/" in answer.url):
        reader.goto(demo + story.get_absolute_url())
    assert readings_of(story) == 2
    # The tests' own headless Chromium is a robot.
    with page.expect_response(lambda answer: "/read/" in answer.url) as beacon:
        page.goto(demo + story.get_absolute_url())
    assert beacon.value.status == 204 and readings_of(story) == 2
    assert reader.context.cookies() == []


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_the_rail_shows_the_most_read_cleanly(demo, page, screenshot, width, height):
    page.set_viewport_size({"width": width, "height": height})
    stories = list(Article.objects.published().filter(language="ru").order_by("-published_at"))
    for rank, story in enumerate(stories[:7]):
        Reading.add(story.pk, reading_hour(), 100 - rank * 10)
    section = stories[0].section
    page.goto(demo + stories[-1].get_absolute_url())
    listed = page.locator("aside.rail .most-read-list > li")
    assert page.locator("#most-read-heading").inner_text().casefold() == "самое читаемое"
    assert listed.count() == 5
    assert listed.first.locator(".card-title").inner_text() == stories[0].title
    for number in range(listed.count()):
        box = listed.nth(number).bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, number
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "the page scrolls sideways"
    page.locator("#most-read-heading").scroll_into_view_if_needed()
    screenshot(f"story-{width}")
    page.goto(demo + section.get_absolute_url())
    heading = page.locator("#most-read-heading").inner_text().casefold()
    assert heading == f"самое читаемое в рубрике «{section.name}»".casefold()
    screenshot(f"section-{width}")
