"""
A story's readings are counted by its page's beacon, however the page reached
the reader (from the page cache too): per story and hour, with no cookie, and
only a person's browser counts. Nothing else ever does: robots, link previews,
prefetches, the newsroom's own, drafts, unknown or garbage ids.
"""

from datetime import UTC, timedelta

import lxml.html
import pytest
import time_machine
from django.core.cache import cache
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from articles import readings
from articles.models import Article, PreviewLink, Reading, reading_hour
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
# People, on the phones and browsers of Kazakhstan's readers.
READERS = [
    FIREFOX,
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
    # Cubot makes phones; its name ends in «bot».
    "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36",
    # Yandex's own app and browser, with the names of their makers in them.
    "Mozilla/5.0 (Linux; Android 13; 2201117TY) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 YaBrowser/24.1.1.98.00 SA/3 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; M2101K6G) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/118.0.0.0 YandexSearch/23.115.1 Mobile Safari/537.36",
]
NOT_READERS = {
    "no User-Agent": None,
    "an empty one": "",
    "Googlebot": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Google's renderer": "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) "
    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 "
    "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "YandexBot": "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Yandex's images": "Mozilla/5.0 (compatible; YandexImages/3.0; +http://yandex.com/bots)",
    "Bing": "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
    "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
    "Baidu": "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Facebook's preview": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Telegram's preview": "TelegramBot (like TwitterBot)",
    "WhatsApp's preview": "WhatsApp/2.23.20.0 A",
    "VK's preview": "Mozilla/5.0 (compatible; vkShare; +http://vk.com/dev/Share)",
    "Slack's preview": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Discord's preview": "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "Mastodon's preview": "http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.social/)",
    "headless Chromium": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36",
    "Lighthouse": "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
    "curl": "curl/8.5.0",
    "a script": "python-requests/2.32.3",
    "an uptime check": "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
}


def beacon(story_or_id):
    return reverse("reading", args=[getattr(story_or_id, "pk", story_or_id)])


def read(client, story, agent=FIREFOX, **headers):
    if agent is not None:
        headers["User-Agent"] = agent
    return client.get(beacon(story), headers=headers)


def counts(story):
    return list(Reading.objects.filter(story=story).order_by("hour").values_list("hour", "count"))


def assert_uncounted_and_unkept(response, status):
    assert response.status_code == status
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies and not response.has_header("Set-Cookie")


def test_the_story_page_carries_one_beacon_with_its_id_and_no_script(client):
    story = make_article(lead_photo=make_photo())
    page = lxml.html.fromstring(client.get(story.get_absolute_url()).content)
    assert page.xpath("//img[starts-with(@src, '/read/')]/@src") == [f"/read/{story.pk}/"]
    [image] = page.xpath("//img[starts-with(@src, '/read/')]")
    assert image.get("alt") == "" and image.get("class") == "visually-hidden"
    kazakh = make_article(language="kk")
    page = lxml.html.fromstring(client.get(kazakh.get_absolute_url()).content)
    assert page.xpath("//img[starts-with(@src, '/read/')]/@src") == [f"/read/{kazakh.pk}/"]


def test_crawlers_are_asked_to_leave_the_beacon_alone(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /read/" in lines


def test_a_readers_browser_counts_one_reading_into_the_hour(client):
    story = make_article()
    for headers in [{}, {"Sec-Fetch-Dest": "image"}, {"Sec-Fetch-Site": "same-origin"}]:
        response = read(client, story, **headers)
        assert response.status_code == 204 and response.content == b""
        assert "no-store" in response["Cache-Control"]
        assert not response.cookies and not response.has_header("Set-Cookie")
    assert counts(story) == [(reading_hour(), 3)]
    assert reading_hour().minute == 0 and reading_hour().tzinfo == UTC


def test_readings_add_up_per_story_and_hour(client):
    story, other = make_article(), make_article()
    nine = reading_hour() + timedelta(hours=2)  # any hour will do: one after the stories'
    start = nine + timedelta(minutes=59, seconds=30)
    with time_machine.travel(start, tick=False):
        read(client, story)
        read(client, other)
    with time_machine.travel(start + timedelta(seconds=45), tick=False):  # 10:00:15
        read(client, story)
        read(client, story)
    with time_machine.travel(start + timedelta(minutes=50), tick=False):  # 10:49:30
        read(client, story)
    assert counts(story) == [(nine, 1), (nine + timedelta(hours=1), 3)]
    assert counts(other) == [(nine, 1)]


def test_no_reading_writes_the_storys_own_row(client, django_assert_num_queries):
    story = make_article()
    read(client, story)
    saved = Article.objects.values_list("updated_at", "edit_token").get(pk=story.pk)
    # the published story's id; one UPDATE of its hourly row
    with django_assert_num_queries(2):
        read(client, story)
    assert Article.objects.values_list("updated_at", "edit_token").get(pk=story.pk) == saved


@pytest.mark.parametrize("agent", READERS)
def test_every_readers_browser_counts(client, agent):
    story = make_article()
    assert read(client, story, agent).status_code == 204
    assert counts(story) == [(reading_hour(), 1)]


@pytest.mark.parametrize("agent", list(NOT_READERS.values()), ids=list(NOT_READERS))
def test_robots_previews_and_tools_are_not_readers(client, agent):
    story = make_article()
    assert_uncounted_and_unkept(read(client, story, agent), 204)
    assert counts(story) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Purpose": "prefetch;prerender"},
        {"Sec-Purpose": "prefetch"},
        {"Purpose": "prefetch"},
        {"X-Moz": "prefetch"},
        {"X-Purpose": "preview"},
        # The beacon's address opened in a tab, or fetched by a page's script.
        {"Sec-Fetch-Dest": "document"},
        {"Sec-Fetch-Dest": "empty"},
    ],
)
def test_a_page_loaded_ahead_of_being_looked_at_is_not_read(client, headers):
    story = make_article()
    assert_uncounted_and_unkept(read(client, story, **headers), 204)
    assert counts(story) == []


def test_the_newsroom_reading_its_own_site_signed_in_is_not_counted(client, editor):
    story = make_article()
    client.force_login(editor)
    assert_uncounted_and_unkept(read(client, story), 204)
    assert counts(story) == []


def test_stories_readers_cannot_see_answer_404_and_count_nothing(client):
    draft = make_article(published=False)
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=2))
    taken_down = make_article()
    taken_down.status = Article.Status.UNPUBLISHED
    taken_down.save()
    copy = make_article().start_working_copy(None)
    for story in [draft, scheduled, taken_down, copy]:
        assert_uncounted_and_unkept(read(client, story), 404)
    assert not Reading.objects.exists()


@pytest.mark.parametrize(
    "address",
    [
        "999999", "0", "-1", "1e3", "1.0", " 1", "%201", "١", "²", "abc", "9" * 19, "9" * 40,
        "%00", "%FF", "1%2F2", "<script>",
    ],
)  # fmt: skip
def test_an_id_that_is_no_storys_answers_404_never_a_server_error(client, address):
    make_article()
    response = client.get(f"/read/{address}/", headers={"User-Agent": FIREFOX})
    assert response.status_code in {400, 404}, address
    assert "no-store" in response.get("Cache-Control", "no-store"), address
    assert not Reading.objects.exists()


def test_only_get_counts_and_other_methods_are_refused(client):
    story = make_article()
    assert_uncounted_and_unkept(client.head(beacon(story), headers={"User-Agent": FIREFOX}), 204)
    assert_uncounted_and_unkept(client.post(beacon(story), headers={"User-Agent": FIREFOX}), 405)
    assert counts(story) == []


def test_a_preview_carries_no_beacon(client, editor):
    draft = make_article("Черновик под ссылкой", published=False)
    link = PreviewLink.objects.create(article=draft)
    shared = client.get(link.get_absolute_url()).content.decode()
    assert "Черновик под ссылкой" in shared and "/read/" not in shared
    client.force_login(editor)
    preview = client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    assert preview.status_code == 200 and "/read/" not in preview.content.decode()


@pytest.fixture(params=["local cache", "Redis"])
def page_cache(request, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    if request.param == "Redis":
        request.getfixturevalue("redis_cache")
    cache.clear()
    yield request.param
    cache.clear()


def test_a_page_from_the_cache_still_counts_its_reading(
    client, page_cache, django_assert_num_queries
):
    story = make_article()
    client.get(story.get_absolute_url())
    # the site's state and the page both come from the cache: no query at all
    with django_assert_num_queries(0):
        page = client.get(story.get_absolute_url())
    [address] = lxml.html.fromstring(page.content).xpath("//img[starts-with(@src, '/read/')]/@src")
    for _ in range(2):
        assert client.get(address, headers={"User-Agent": FIREFOX}).status_code == 204
    readings.counted_by_now()  # with Redis, the counts reach their rows here
    assert counts(story) == [(reading_hour(), 2)]


# With Redis: a reading is a round trip to Redis, and a task moves the counts.


def test_with_redis_a_reading_writes_nothing_to_the_database_until_moved(
    client, redis_cache, django_assert_num_queries
):
    story, other = make_article(), make_article()
    # the published story's id, and nothing written
    with django_assert_num_queries(1):
        read(client, story)
    read(client, story)
    read(client, other)
    assert not Reading.objects.exists()
    assert readings.counted_by_now() == (3, 0)
    assert counts(story) == [(reading_hour(), 2)] and counts(other) == [(reading_hour(), 1)]
    # Moved once: running the task again adds nothing twice.
    assert readings.counted_by_now() == (0, 0)
    read(client, story)
    readings.counted_by_now()
    assert counts(story) == [(reading_hour(), 3)]


def test_the_beacon_asks_for_the_counts_to_be_moved_every_few_minutes(
    client, redis_cache, django_capture_on_commit_callbacks
):
    story = make_article()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        read(client, story)
        read(client, story)
    # One task for both (run by the tests' task backend as the block ends): both moved.
    assert len(queued) == 1
    assert counts(story) == [(reading_hour(), 2)]
    with django_capture_on_commit_callbacks(execute=True) as queued:
        read(client, story)
    assert queued == [] and counts(story) == [(reading_hour(), 2)]  # waits in Redis
    # Redis forgets the mark after a few minutes (its own clock: no time travel there).
    marked = redis_cache.make_and_validate_key(readings.TIDY_KEY)
    assert 0 < redis_cache._cache.get_client().ttl(marked) <= readings.TIDY_SECONDS
    redis_cache.delete(readings.TIDY_KEY)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        read(client, story)
    assert len(queued) == 1
    assert counts(story) == [(reading_hour(), 4)]  # the one that waited, and this one


def test_counts_whose_move_fails_go_back_to_redis(client, redis_cache, monkeypatch):
    first, second = make_article(), make_article()
    read(client, first)
    read(client, second)
    read(client, second)
    added = Reading.add

    def fails_after_one(story_id, hour, count=1):
        if Reading.objects.exists():
            raise DatabaseError("the database went away")
        added(story_id, hour, count)

    monkeypatch.setattr(Reading, "add", fails_after_one)
    with pytest.raises(DatabaseError):
        readings.counted_by_now()
    monkeypatch.setattr(Reading, "add", added)
    readings.counted_by_now()
    assert counts(first) == [(reading_hour(), 1)] and counts(second) == [(reading_hour(), 2)]


def test_while_redis_is_away_a_reading_goes_straight_to_its_row(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.SharedRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    story = make_article()
    assert read(client, story).status_code == 204
    assert counts(story) == [(reading_hour(), 1)]


def test_a_story_deleted_before_its_counts_move_is_left_out(client, redis_cache):
    kept, deleted = make_article(), make_article()
    read(client, kept)
    read(client, deleted)
    deleted.delete()
    assert readings.counted_by_now() == (1, 0)
    assert counts(kept) == [(reading_hour(), 1)]


# Retention


def test_hours_older_than_the_retention_are_pruned(client, settings):
    settings.NEWSROOM_READINGS_KEEP_DAYS = 30
    story = make_article()
    now = reading_hour()
    for days in [0, 29, 30, 31, 400]:
        Reading.add(story.pk, now - timedelta(days=days), 1)
    assert readings.counted_by_now() == (0, 2)
    assert [hour for hour, _count in counts(story)] == [
        now - timedelta(days=30), now - timedelta(days=29), now,
    ]  # fmt: skip
