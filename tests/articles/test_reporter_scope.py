"""
A reporter's admin is their own work: the stories they created or are bylined
on, with their history, versions and previews. Colleagues' unpublished stories
are nowhere, not even as a suggestion in a lookup; published ones may be linked.
(tests/newsroom/test_admin_access.py walks every admin page; this file tells
what a reporter can do.)
"""

from datetime import timedelta

import pytest
import reversion
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from tests.articles.test_workflow import change_url, edit_form
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(reporter, other_reporter):
    def story(title, owner, **fields):
        with reversion.create_revision():
            article = make_article(title, **fields)
            article.created_by = owner
            article.save()
        return article

    return {
        "mine": story("Мой черновик", reporter, published=False),
        "bylined": make_article("Совместный материал", authors=[reporter.author], published=False),
        "colleague's draft": story("Черновик коллеги", other_reporter, published=False),
        "colleague's embargo": story(
            "Эмбарго коллеги", other_reporter, published_at=timezone.now() + timedelta(hours=5)
        ),
        "published": story("Вышедшая новость коллеги", other_reporter),
    }


def lookup(client, field):
    response = client.get(
        "/admin/autocomplete/",
        {"term": "", "app_label": "articles", "model_name": "article", "field_name": field},
    )
    assert response.status_code == 200
    return {result["text"] for result in response.json()["results"]}


def test_a_reporter_lists_and_opens_their_own_and_bylined_stories_only(client, reporter, stories):
    client.force_login(reporter)
    listing = client.get("/admin/articles/article/")
    assert {story.title for story in listing.context["cl"].result_list} == {
        "Мой черновик",
        "Совместный материал",
    }
    for name in ("mine", "bylined"):
        assert client.get(change_url(stories[name])).status_code == 200
    for name in ("colleague's draft", "colleague's embargo", "published"):
        assert client.get(change_url(stories[name])).status_code == 404


def test_a_reporter_reads_the_history_versions_and_comparison_of_their_own_story(
    client, reporter, stories
):
    mine = stories["mine"]
    with reversion.create_revision():
        mine.title = "Мой черновик, вторая редакция"
        mine.save()
    older, newer = sorted(Version.objects.get_for_object(mine), key=lambda v: v.pk)
    client.force_login(reporter)
    base = f"/admin/articles/article/{mine.pk}"
    assert client.get(f"{base}/history/").status_code == 200
    assert client.get(f"{base}/history/{older.pk}/").status_code == 200
    assert client.get(f"{base}/history/{older.pk}/preview/").status_code == 200
    compare = client.get(f"{base}/history/compare/", {"from": older.pk, "to": newer.pk})
    assert "вторая редакция" in compare.content.decode()
    # A version of a colleague's story, asked for under one's own story's address.
    theirs = Version.objects.get_for_object(stories["colleague's draft"]).get()
    assert client.get(f"{base}/history/{theirs.pk}/").status_code == 404
    assert client.get(f"{base}/history/{theirs.pk}/preview/").status_code == 404
    compare = client.get(f"{base}/history/compare/", {"from": theirs.pk})
    assert "Черновик коллеги" not in compare.content.decode()


def test_lookups_offer_a_reporter_their_own_and_published_stories_only(client, reporter, stories):
    client.force_login(reporter)
    assert lookup(client, "translation_of") == {
        "Мой черновик",
        "Совместный материал",
        "Вышедшая новость коллеги",
    }
    # «Read also» sends readers somewhere: to published stories only, whoever is asking.
    assert lookup(client, "related_stories") == {"Вышедшая новость коллеги"}


def test_a_crafted_link_to_a_colleagues_draft_is_refused_without_naming_it(
    client, reporter, stories
):
    client.force_login(reporter)
    mine = stories["mine"]
    form = edit_form(client, mine, related_stories=[stories["colleague's draft"].pk])
    response = client.post(change_url(mine), form)
    assert response.status_code == 200
    assert "related_stories" in response.context["adminform"].form.errors
    assert "Черновик коллеги" not in response.content.decode()
    form = edit_form(client, mine, related_stories=[stories["published"].pk])
    assert client.post(change_url(mine), form).status_code == 302
    assert list(Article.objects.get(pk=mine.pk).related_stories.all()) == [stories["published"]]


def test_an_editor_sees_and_links_every_story(client, editor, stories):
    client.force_login(editor)
    assert len(client.get("/admin/articles/article/").context["cl"].result_list) == len(stories)
    assert "Черновик коллеги" in lookup(client, "translation_of")
