"""
Every reader page is served by indexes: on a generated archive, no query of any
reader route scans a table that grows with the archive or sorts more than a
page's worth of rows. PostgreSQL's plans are what production runs; SQLite has
no planner worth asking.

The routes come from the URLconf (tests/reader_routes.py), so a new reader
page fails here until it is given an example address.
"""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from api import parameters
from articles.models import Article, Byline, Reading, Section, TaggedArticle, reading_hour
from newsroom.models import Author
from tests.reader_routes import routes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="query plans are PostgreSQL's; SQLite runs without a cost-based planner",
    ),
]

ARCHIVE = 5000
# Tables whose size grows with the archive: none may be read whole.
GROWING = {
    "articles_article", "articles_byline", "articles_taggedarticle",
    "articles_article_related_stories", "articles_bodyphoto", "articles_reading",
}  # fmt: skip
# Stories read in the last 24 hours, each in a few hours: the most-read list reads
# these rows (its cost follows the day's readings), never the older ones.
READ_TODAY = 40
READ_HOURS = 3
# The most rows any step of a page's queries may read or sort: a page's worth
# (20 stories, a feed's 30, a front page's sections four each) with room to
# spare. Some pages read more by design, and as much at any archive size: a
# deep page reads the pages before it, a sitemap page its range of 1,000 ids,
# and search the stories newest first until 200 match (a word in one story of
# ten: ~2,000), or the search index's matches when the word is rare.
MOST_ROWS = 250
SEARCH = 2500
# The API's page of tags probes each tag, in slug order, for one published story of
# the edition (one index row each) until it has a page: tags of the other editions
# in between are probed too, about seven for every one listed here, in a ratio that
# does not change as the archive grows.
TAG_PROBES = 600


def reader_routes():
    """Every reader route that reads stories (tests/reader_routes.py walks the URLconf)."""
    return sorted(route.name for route in routes("list", "owner", "story"))


def examples(archive):
    """Addresses for each reader route on the generated archive: the busiest owners."""
    story = archive["story"]
    section, tag, author = archive["section"], archive["tag"], archive["author"]
    return {
        "articles:front-page": ["/", "/kk/"],
        "articles:section": [
            section.get_absolute_url(),
            (section.get_absolute_url() + "?page=20", 450),
        ],
        "articles:tag": [tag.get_absolute_url(), (tag.get_absolute_url() + "?page=5", 150)],
        "articles:author": [
            author.get_absolute_url(),
            (author.get_absolute_url() + "?page=10", 250),
        ],
        "articles:article": [story.get_absolute_url()],
        "articles:search": [
            ("/search/?q=Казахстан", SEARCH),
            ("/search/?q=Байконур", SEARCH),
            ("/search/?q=помощи", SEARCH),
        ],  # fmt: skip
        "articles:feed": ["/rss/"],
        "articles:feed-atom": ["/rss/atom/"],
        "articles:feed-yandex": ["/rss/yandex/"],
        "articles:feed-dzen": ["/rss/dzen/"],
        "articles:section-feed": [f"/rss/sections/{section.slug}/"],
        "articles:section-feed-atom": [f"/rss/sections/{section.slug}/atom/"],
        "articles:tag-feed": [f"/rss/tags/{tag.slug}/"],
        "articles:tag-feed-atom": [f"/rss/tags/{tag.slug}/atom/"],
        "articles:author-feed": [f"/rss/authors/{author.slug}/"],
        "articles:author-feed-atom": [f"/rss/authors/{author.slug}/atom/"],
        "sitemap-index": ["/sitemap.xml"],
        "sitemap": [
            "/sitemaps/sections.xml",
            "/sitemaps/authors.xml",
            (archive["sitemap_page"], 1100),
        ],  # fmt: skip
        "sitemap-news": ["/sitemaps/news.xml"],
        **api_examples(archive),
    }


def api_examples(archive):
    """The read API's addresses: each filter, and a page deep in the archive by its cursor."""
    story, section = archive["story"], archive["section"]
    deep = parameters.encode_cursor(*parameters.story_position(story))
    owners = [
        f"section={section.slug}", f"tag={archive['tag'].slug}",
        f"author={archive['author'].slug}",
    ]  # fmt: skip
    before = timezone.localtime(story.published_at).strftime("%d.%m.%Y %H:%M")
    return {
        "api:story-list": [
            "/api/v1/stories/?page_size=50",
            f"/api/v1/stories/?cursor={deep}",
            f"/api/v1/stories/?published_before={before}",
            *(f"/api/v1/stories/?{owner}&page_size=50" for owner in owners),
            *(f"/api/v1/stories/?{owner}&cursor={deep}" for owner in owners),
        ],
        "api:story-detail": [f"/api/v1/stories/{story.pk}/"],
        "api:section-list": ["/api/v1/sections/", "/api/v1/sections/?edition=kk"],
        "api:tag-list": [("/api/v1/tags/?page_size=50", TAG_PROBES)],
        "api:author-list": ["/api/v1/authors/?page_size=50"],
        "api:search": [("/api/v1/search/?q=Казахстан&page_size=50", SEARCH)],
    }


def read_archive():
    """Readings: a few of the newest stories today, and most of the archive on earlier days."""
    now = reading_hour()
    ids = list(Article.objects.published().order_by("-published_at").values_list("pk", flat=True))
    today = [
        Reading(story_id=pk, hour=now - timedelta(hours=hours), count=1 + pk % 7)
        for pk in ids[:READ_TODAY]
        for hours in range(READ_HOURS)
    ]
    earlier = [
        Reading(story_id=pk, hour=now - timedelta(days=days), count=1 + pk % 5)
        for pk in ids
        for days in (2, 9)
    ]
    Reading.objects.bulk_create(today + earlier)


@pytest.fixture
def archive(db):
    call_command("generate_archive", stories=ARCHIVE, verbosity=0)
    read_archive()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    published = Article.objects.published().filter(language="ru")
    story = published.exclude(lead_photo=None).order_by("-published_at")[ARCHIVE // 2]
    busiest = lambda rows, field: rows.values(field).annotate(n=Count("pk")).order_by("-n")[0]  # noqa: E731
    with override("ru"):
        return {
            "story": story,
            "section": Section.objects.get(pk=busiest(published, "section")["section"]),
            "tag": TaggedArticle.objects.filter(
                pk=TaggedArticle.objects.published()
                .in_language("ru")
                .filter(tag=busiest(TaggedArticle.objects.published(), "tag")["tag"])
                .values("pk")[:1]
            )
            .get()
            .tag,
            "author": Author.objects.get(
                pk=busiest(Byline.objects.published(), "author")["author"]
            ),
            "sitemap_page": f"/sitemaps/stories.xml?p={-(-story.pk // 1000)}",
        }


def plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def faults(sql, most_rows):
    """
    What is wrong with one query's plan, as sentences; nothing if it is sound.

    On a test-sized archive the planner rightly prefers reading a small table
    whole, or a section's few hundred stories through a bitmap and a sort. What
    matters is that the query has a plan within the bound, which the planner
    takes as the archive grows. So sequential scans are priced out, and the
    plan is read first in index order (bitmaps priced out too: a list must stop
    after its page), then, if that plan breaks the bound, with bitmaps allowed
    (a rare search word is found through the GIN index, which only a bitmap
    reads; a story and its translations through two index lookups OR-ed).
    """
    found = []
    tried = []
    for bitmaps in ("off", "on"):
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"SET enable_bitmapscan = {bitmaps}")
            # Solid-state storage, as production servers are set up for it: random
            # reads cost little more than sequential ones (the default, 4, is a disk's).
            cursor.execute("SET random_page_cost = 1.1")
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
            cursor.execute("RESET random_page_cost")
        plan = plan if isinstance(plan, list) else json.loads(plan)
        found = plan_faults(plan[0]["Plan"], most_rows)
        if not found:
            return []
        tried += [f"{fault} (bitmaps {bitmaps})" for fault in found]
    return tried


def plan_faults(root, most_rows):
    found = []
    for node in plan_nodes(root):
        table = node.get("Relation Name")
        loops = node.get("Actual Loops", 1)
        rows = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * loops
        if node["Node Type"] == "Seq Scan" and table in GROWING:
            found.append(f"reads all of {table}")
        elif node["Node Type"] == "Sort" and node.get("Actual Rows", 0) > most_rows:
            found.append(f"sorts {node['Actual Rows']} rows")
        elif table in GROWING and rows > most_rows:
            found.append(f"reads {rows} rows of {table} ({node['Node Type']})")
    return found


def test_no_reader_query_reads_or_sorts_rows_that_grow_with_the_archive(client, archive):
    # One test, so the archive is made once: every reader route first has an
    # example address (else it is a page whose plans nobody checks).
    assert reader_routes() == sorted(examples(archive))
    problems = []
    for name, urls in examples(archive).items():
        for url in urls:
            url, most_rows = url if isinstance(url, tuple) else (url, MOST_ROWS)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (name, url, response.status_code)
            for query in queries.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith(("SELECT", "(SELECT", "WITH")):
                    continue
                problems += [f"{url}: {fault}\n    {sql[:300]}" for fault in faults(sql, most_rows)]
    assert not problems, "\n".join(problems)
