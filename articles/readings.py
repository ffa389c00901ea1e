"""
Readings, as the story page's beacon counts them (articles/views.py, reading).

A cached page (Django's, nginx's, a CDN's) is served without the application
seeing it, so a story's page cannot count its own readers. It carries a small
image instead, whose address names the story and which no cache keeps; each
request for it that a reader's browser makes is one reading. No cookie is set
or read for it and nothing about the reader is kept: a reading is a number
added to its story's hour.

With Redis (REDIS_URL), a reading is one round trip to Redis (HINCRBY into
the hour's hash) and a background task moves the counts into the hourly rows
(articles.Reading) every few minutes. Without Redis, or while it is away, the
reading is added to its hourly row at once: one UPDATE of a small row, never
of the story's.
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone

from articles.models import Article, Reading, reading_hour

logger = logging.getLogger(__name__)

# What is not a reader, by its User-Agent: crawlers and indexers, link previews
# (messengers, social networks, fediverse servers), headless and audit browsers.
# A browser's User-Agent begins with «Mozilla/»: a request without one (none at
# all, curl, a script's library) is a tool's.
NOT_A_READER = re.compile(
    r"(?<!cu)bot\b|bot/|crawl|spider|slurp|archiver|scrap|"  # Cubot makes phones
    r"facebookexternalhit|facebookcatalog|meta-externalagent|vkshare|embedly|iframely|"
    r"mastodon|pleroma|akkoma|misskey|cardyb|http\.rb|preview|"
    r"headless|phantomjs|puppeteer|playwright|selenium|lighthouse|pagespeed|"
    r"google-|googleother|yandex(?:images|metrika|turbo|renderresources|screenshot|favicons)|"
    r"pingdom|uptime|monitor",
    re.IGNORECASE,
)

# Headers a browser sends when it loads a page that nobody may look at: a
# prefetch or prerender (Chromium, Firefox), or Safari's Top Sites thumbnail.
SPECULATIVE = {
    "Sec-Purpose": "prefetch",
    "Purpose": "prefetch",
    "X-Purpose": "preview",
    "X-Moz": "prefetch",
}

TALLY_KEY = "newsroom:readings:{:%Y%m%d%H}"
# How long Redis keeps an hour's counts that no task has moved: two days of
# workers being away, then they are given up.
TALLY_HOURS = 48
# How often the beacon asks for the counts to be moved and old hours pruned.
TIDY_KEY = "newsroom:readings:tidied"
TIDY_SECONDS = 300


def is_a_reading(request):
    """Whether this beacon request is a person reading the story."""
    agent = request.headers.get("User-Agent", "")
    if not agent.startswith("Mozilla/") or NOT_A_READER.search(agent):
        return False
    for header, value in SPECULATIVE.items():
        if value in request.headers.get(header, "").lower():
            return False
    # A browser says what the request is for: the page's image, not a visit to
    # the beacon's address typed or followed in a tab.
    if request.headers.get("Sec-Fetch-Dest", "image") != "image":
        return False
    # The newsroom's own, signed in: only staff have a session on this site.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def count(story_id, moment=None):
    """One reading of a story, now: into Redis when there is one, else into its hourly row."""
    hour = reading_hour(moment)
    tally = getattr(cache, "tally", None)
    if tally is None or not tally(
        TALLY_KEY.format(hour), str(story_id), 1, keep_seconds=TALLY_HOURS * 3600
    ):
        Reading.add(story_id, hour)
    if cache.add(TIDY_KEY, True, TIDY_SECONDS):
        from articles.tasks import tidy_readings

        transaction.on_commit(tidy_readings.enqueue)


def move_to_database(now=None):
    """
    Move the counts Redis holds into the hourly rows; returns how many readings.
    Each (story, hour) is added and committed on its own: if the database fails
    midway, the counts not yet added go back to Redis for the next run.
    """
    take = getattr(cache, "take_tallies", None)
    if take is None:
        return 0
    latest = reading_hour(now)
    hours = {TALLY_KEY.format(latest - timedelta(hours=n)): latest - timedelta(hours=n)
             for n in range(TALLY_HOURS)}  # fmt: skip
    taken = take(list(hours))
    ids = {int(pk) for counts in taken.values() for pk in counts}
    # A story deleted since it was read has no row to count into.
    stories = set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
    pending = [
        (key, pk, added)
        for key, counts in taken.items()
        for pk, added in counts.items()
        if int(pk) in stories
    ]
    moved = 0
    for done, (key, pk, added) in enumerate(pending):
        try:
            Reading.add(int(pk), hours[key], added)
        except DatabaseError:
            for key, pk, added in pending[done:]:
                cache.tally(key, pk, added, keep_seconds=TALLY_HOURS * 3600)
            raise
        moved += added
    return moved


def prune(now=None):
    """Forget the hours older than NEWSROOM_READINGS_KEEP_DAYS; returns how many rows."""
    cutoff = reading_hour(now) - timedelta(days=settings.NEWSROOM_READINGS_KEEP_DAYS)
    deleted, _by_model = Reading.objects.filter(hour__lt=cutoff).delete()
    return deleted


def counted_by_now():
    """Readings moved and old hours pruned, now (for a task, a shell, a test)."""
    moved = move_to_database(timezone.now())
    pruned = prune(timezone.now())
    if moved or pruned:
        logger.info("Readings: %d moved from Redis, %d old hourly rows pruned.", moved, pruned)
    return moved, pruned
