"""Tags come back in the order the editor typed them: in the form, on the page, in the API."""

import lxml.html
import pytest

from articles.models import Article, Tag
from tests.articles.test_admin import story_form
from tests.articles.test_workflow import change_url, edit_form
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/article/add/"
TITLE = "Токаев встретился с главой МККК"


@pytest.fixture
def older_tags(db):
    # Tags that exist already come first in the table and by name: neither may decide.
    for name in ("Экономика", "Астана", "Алматы"):
        Tag.objects.create(name=name)


def tags_box(client, story):
    page = lxml.html.fromstring(client.get(change_url(story)).content.decode())
    return page.xpath("//input[@name='tags']/@value")[0]


def test_tags_come_back_in_the_form_as_typed(client, editor, older_tags):
    client.force_login(editor)
    response = client.post(
        ADD,
        story_form(
            status="draft", tags="Токаев, Астана, Экономика", published_at_0="", published_at_1=""
        ),
    )
    assert response.status_code == 302
    story = Article.objects.get(title=TITLE)
    assert tags_box(client, story) == "Токаев, Астана, Экономика"
    assert [tag.name for tag in story.tags.all()] == ["Токаев", "Астана", "Экономика"]


@pytest.mark.parametrize(
    "typed",
    [
        "Экономика, Токаев, Астана",  # reordered
        "Токаев, Алматы, Астана, Экономика",  # one put in between
        "Экономика",  # all but one gone
        "Астана, Экономика, Новый тег",  # one gone, one new at the end
    ],
)
def test_a_changed_order_is_kept(client, editor, older_tags, typed):
    story = make_article(TITLE, published=False, tags=["Токаев", "Астана", "Экономика"])
    client.force_login(editor)
    response = client.post(change_url(story), edit_form(client, story, tags=typed))
    assert response.status_code == 302
    assert tags_box(client, story) == typed


def test_hostile_or_repeated_tags_keep_their_order_and_stay_text(client, editor, older_tags):
    story = make_article(TITLE, published=False)
    client.force_login(editor)
    typed = '<script>alert(1)</script>, "Токаев", токаев, Астана,, ,Экономика'
    assert client.post(change_url(story), edit_form(client, story, tags=typed)).status_code == 302
    assert [tag.name for tag in story.tags.all()] == [
        "<script>alert(1)</script>",
        "Токаев",
        "Астана",
        "Экономика",
    ]
    page = client.get(change_url(story)).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_readers_see_the_tags_in_the_editors_order(client, older_tags):
    story = make_article(TITLE, tags=["Токаев", "Экономика", "Астана"])
    page = lxml.html.fromstring(client.get(story.get_absolute_url()).content.decode())
    assert page.xpath("//nav[@class='tags']//a/text()") == ["Токаев", "Экономика", "Астана"]
    api = client.get(f"/api/v1/stories/{story.pk}/").json()
    assert [tag["name"] for tag in api["tags"]] == ["Токаев", "Экономика", "Астана"]


def test_lists_read_many_stories_tags_each_in_its_order(older_tags):
    first = make_article(tags=["Экономика", "Токаев"])
    second = make_article(tags=["Токаев", "Алматы", "Экономика"])
    stories = Article.objects.filter(pk__in=[first.pk, second.pk]).prefetch_related("tags")
    assert {story.pk: [tag.name for tag in story.tags.all()] for story in stories} == {
        first.pk: ["Экономика", "Токаев"],
        second.pk: ["Токаев", "Алматы", "Экономика"],
    }


def test_publishing_a_working_copy_brings_its_order(editor, older_tags):
    story = make_article(TITLE, tags=["Токаев", "Астана"])
    copy = story.start_working_copy(editor)
    copy.tags.set(["Астана", "Экономика", "Токаев"])
    copy.publish_changes(editor)
    assert [tag.name for tag in story.tags.all()] == ["Астана", "Экономика", "Токаев"]
