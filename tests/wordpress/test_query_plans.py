"""
An old address is found through indexes, however many the import made: the
lookup reads one row of old addresses and one story, never the table.
PostgreSQL's plans are what production runs (tests/articles/test_query_plans.py).
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.articles import test_query_plans as plans
from wordpress.models import OldAddress, note_old_addresses

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="query plans are PostgreSQL's; SQLite runs without a cost-based planner",
    ),
]


def test_old_addresses_are_found_through_indexes(client, monkeypatch):
    call_command("generate_archive", stories=2000, verbosity=0)
    ids = list(Article.objects.values_list("pk", flat=True))
    OldAddress.objects.bulk_create(
        [OldAddress(path=f"/2019/01/01/old-story-{pk}", article_id=pk) for pk in ids]
        + [OldAddress(path=f"?p={pk * 3}", article_id=pk) for pk in ids]
    )
    note_old_addresses()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    monkeypatch.setattr(plans, "GROWING", plans.GROWING | {"wordpress_oldaddress"})
    story = Article.objects.published().order_by("-published_at", "-pk")[1000]
    problems = []
    for old in (f"/2019/01/01/old-story-{story.pk}/", f"/?p={story.pk * 3}"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == story.get_absolute_url()
        for query in queries.captured_queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                problems += [f"{old}: {fault}" for fault in plans.faults(query["sql"], 250)]
    assert not problems, "\n".join(problems)
