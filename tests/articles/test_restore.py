"""Restoring a version brings back what a story said, never whether readers see it."""

import pytest
from django.test import Client
from reversion.models import Version

from articles.models import Article
from tests.articles.test_admin import story_form
from tests.articles.test_workflow import ADD, change_url, edit_form, edit_form_from

pytestmark = pytest.mark.django_db


def versions(story):
    return sorted(Version.objects.get_for_object(story), key=lambda version: version.pk)


def restore(client, story, version):
    """What an editor does on the history page: open an old version and save it."""
    url = f"/admin/articles/article/{story.pk}/history/{version.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, edit_form_from(page))


def test_a_retracted_story_restored_to_a_published_version_stays_offline(client, editor):
    client.force_login(editor)
    client.post(ADD, story_form(title="Вышедшая новость"))
    story = Article.objects.get()
    assert story.is_published
    take_down = f"/admin/articles/article/{story.pk}/take-down/"
    assert client.post(take_down, {"reason": "Ошибка в фактах"}).status_code == 302
    client.post(change_url(story), edit_form(client, story, title="Снято с сайта"))
    published_version = versions(story)[0]

    response = restore(client, story, published_version)

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "Вышедшая новость", "the content came back"
    assert story.status == "unpublished", "and the story stays offline"
    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_live_storys_old_version_comes_back_in_its_working_copy_and_readers_see_no_change(
    client, editor
):
    client.force_login(editor)
    client.post(ADD, story_form(title="Черновой заголовок", status="draft"))
    story = Article.objects.get()
    client.post(
        change_url(story),
        edit_form(
            client,
            story,
            title="Окончательный заголовок",
            status="published",
            published_at_0="06.03.2026",
            published_at_1="14:00",
        ),
    )
    story.refresh_from_db()
    published_at = story.published_at
    assert story.is_published
    draft_version = versions(story)[0]

    url = f"/admin/articles/article/{story.pk}/history/{draft_version.pk}/"
    response = client.post(url)

    assert response.status_code == 302
    copy = Article.objects.get(copy_of=story)
    assert response["Location"] == change_url(copy)
    assert copy.title == "Черновой заголовок"
    story.refresh_from_db()
    assert story.title == "Окончательный заголовок"
    assert (story.status, story.published_at) == ("published", published_at)
    assert "Окончательный заголовок" in client.get(story.get_absolute_url()).content.decode()


def test_the_restore_page_shows_the_publication_as_it_is_now_and_a_crafted_post_cannot_change_it(
    client, editor
):
    client.force_login(editor)
    client.post(ADD, story_form(title="Первая", status="draft"))
    story = Article.objects.get()
    client.post(change_url(story), edit_form(client, story, title="Вторая", status="review"))
    story.refresh_from_db()
    published_at = story.published_at
    first = versions(story)[0]
    url = f"/admin/articles/article/{story.pk}/history/{first.pk}/"
    page = client.get(url)
    assert page.context["adminform"].form.initial.get("status") is None, "status is read-only"
    crafted = edit_form_from(page) | {
        "status": "published",
        "published_at_0": "07.03.2026",
        "published_at_1": "09:00",
    }
    assert client.post(url, crafted).status_code == 302
    story.refresh_from_db()
    assert (story.title, story.status, story.published_at) == ("Первая", "review", published_at)


def test_a_recovered_story_comes_back_as_a_draft_whatever_it_was(client, editor):
    client.force_login(editor)
    client.post(ADD, story_form(title="Удалённая по ошибке"))
    story = Article.objects.get()
    assert story.is_published
    client.post(f"/admin/articles/article/{story.pk}/delete/", {"post": "yes"})
    version = Version.objects.get_deleted(Article).get()
    url = f"/admin/articles/article/recover/{version.pk}/"

    assert client.post(url, edit_form_from(client.get(url))).status_code == 302

    recovered = Article.objects.get()
    assert recovered.title == "Удалённая по ошибке"
    assert recovered.status == "draft"
    assert client.get(recovered.get_absolute_url()).status_code == 404


def test_a_reporter_recovers_only_their_own_deleted_stories(
    client, reporter, other_reporter, editor
):
    for author, title in [(reporter, "Моя удалённая"), (other_reporter, "Чужая удалённая")]:
        client.force_login(author)
        client.post(
            ADD, story_form(title=title, status="draft", **{"bylines-0-author": author.author.pk})
        )
    client.force_login(editor)
    for story in Article.objects.all():
        client.post(f"/admin/articles/article/{story.pk}/delete/", {"post": "yes"})
    theirs, mine = (
        Version.objects.get_deleted(Article).get(object_repr=title)
        for title in ("Чужая удалённая", "Моя удалённая")
    )

    client = Client()  # without the editor's messages, which name both stories
    client.force_login(reporter)
    listing = client.get("/admin/articles/article/recover/").content.decode()
    assert "Моя удалённая" in listing and "Чужая удалённая" not in listing
    assert client.get(f"/admin/articles/article/recover/{theirs.pk}/").status_code == 404
    assert client.get(f"/admin/articles/article/recover/{mine.pk}/").status_code == 200
    # A version of something else than a story is not a story to recover.
    byline_version = Version.objects.exclude(content_type=mine.content_type).first()
    assert client.get(f"/admin/articles/article/recover/{byline_version.pk}/").status_code == 404
