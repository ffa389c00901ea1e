"""
«Read also» offers, and accepts, only what a reader of the story may be sent to:
published stories of the story's own edition, never a working copy, never a draft
or an embargoed story, never the story itself.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.articles.test_admin import errors_of, story_form
from tests.articles.test_workflow import change_url, edit_form
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/article/add/"
REFUSED = (
    "Читайте также: выберите опубликованные материалы на языке этого материала, кроме него самого."
)


@pytest.fixture
def stories(editor):
    live = make_article("Вышедший материал")
    copy = live.start_working_copy(editor)
    copy.title = "Рабочая копия вышедшего"
    copy.save()
    return {
        "live": live,
        "copy": copy,
        "published": make_article("Другой вышедший"),
        "kazakh": make_article("Қазақша материал", language="kk"),
        "draft": make_article("Черновик", published=False),
        "embargoed": make_article("Эмбарго", published_at=timezone.now() + timedelta(hours=3)),
    }


def lookup(client, **params):
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "related_stories",
        }
        | params,
    )
    assert response.status_code == 200
    return {result["text"] for result in response.json()["results"]}


def test_the_lookup_offers_published_stories_of_the_edition_but_not_the_story_itself(
    client, editor, stories
):
    client.force_login(editor)
    live = stories["live"]
    assert lookup(client, language="ru", story=str(live.pk)) == {"Другой вышедший"}
    assert lookup(client, language="kk", story=str(live.pk)) == {"Қазақша материал"}
    # Without the edition (an old page's script): published stories all the same.
    assert lookup(client) == {"Вышедший материал", "Другой вышедший", "Қазақша материал"}


@pytest.mark.parametrize(
    "params",
    [
        {"story": "99999999999999999999999999", "language": "ru"},
        {"story": "1 OR 1=1", "language": "ru"},
        {"story": "-1", "language": "ru"},
        {"story": "", "language": "'; DROP TABLE articles_article; --"},
        {"story": "１２", "language": "ру"},
    ],
)
def test_a_crafted_lookup_address_offers_nothing_more(client, editor, stories, params):
    client.force_login(editor)
    assert lookup(client, **params) <= {"Вышедший материал", "Другой вышедший"}


def test_the_form_tells_the_lookup_which_story_and_edition(client, editor, stories):
    client.force_login(editor)
    page = client.get(change_url(stories["copy"])).content.decode()
    live = stories["live"]
    # A working copy looks up on its story's behalf: the story is not offered.
    assert f'data-story="{live.pk}"' in page and 'data-language="ru"' in page
    assert "read-also.js" in page


@pytest.mark.parametrize("chosen", ["kazakh", "draft", "embargoed", "copy"])
def test_a_new_story_may_not_read_also_outside_its_edition_or_unpublished(
    client, editor, stories, chosen
):
    client.force_login(editor)
    response = client.post(ADD, story_form(related_stories=[stories[chosen].pk]))
    assert errors_of(response)["related_stories"] == [REFUSED]
    assert not Article.objects.filter(title="Токаев встретился с главой МККК").exists()


def test_a_new_story_reads_also_a_published_story_of_its_edition(client, editor, stories):
    client.force_login(editor)
    response = client.post(ADD, story_form(related_stories=[stories["published"].pk]))
    assert response.status_code == 302
    story = Article.objects.get(title="Токаев встретился с главой МККК")
    assert list(story.related_stories.all()) == [stories["published"]]


def test_the_edition_is_the_one_posted_with_the_form(client, editor, stories):
    client.force_login(editor)
    data = story_form(language="kk", related_stories=[stories["published"].pk])
    assert errors_of(client.post(ADD, data))["related_stories"] == [REFUSED]
    data = story_form(language="kk", related_stories=[stories["kazakh"].pk])
    assert client.post(ADD, data).status_code == 302


def test_a_working_copy_may_not_read_also_its_own_story(client, editor, stories):
    client.force_login(editor)
    copy = stories["copy"]
    form = edit_form(client, copy, related_stories=[stories["live"].pk])
    assert errors_of(client.post(change_url(copy), form))["related_stories"] == [REFUSED]
    form = edit_form(client, copy, related_stories=[stories["published"].pk])
    assert client.post(change_url(copy), form).status_code == 302
    assert list(copy.related_stories.all()) == [stories["published"]]


@pytest.mark.parametrize("value", ["x", "99999999999999999999999", "1; DROP TABLE x"])
def test_a_value_that_is_no_id_is_refused_on_the_field(client, editor, stories, value):
    client.force_login(editor)
    response = client.post(ADD, story_form(related_stories=[value]))
    assert "related_stories" in errors_of(response)
