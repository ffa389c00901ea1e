"""
A share link shows a story readers have not seen yet (a draft, a story in
review, a scheduled one) to someone without an account, for a limited time:
it stops for good once the story is published, taken down or deleted.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, PreviewLink
from tests.articles.test_workflow import change_url, edit_form
from tests.factories import make_article

pytestmark = pytest.mark.django_db

FAR_FUTURE = "31.12.2099"


def opens(client, link):
    return client.get(link.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW])
def test_a_link_to_a_story_in_the_works_opens_it(client, status):
    link = PreviewLink.objects.create(article=make_article("В работе", status=status))
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    assert "В работе" in response.content.decode()


def test_a_link_to_a_scheduled_story_works_until_the_moment_then_stops_without_a_save(client):
    moment = timezone.now() + timedelta(hours=3)
    story = make_article("Материал к трём часам", published_at=moment)
    link = PreviewLink.objects.create(article=story)
    assert opens(client, link)
    with time_machine.travel(moment + timedelta(seconds=1)):
        assert not opens(client, link)
        assert client.get(story.get_absolute_url()).status_code == 200


def test_a_scheduled_storys_link_stays_stopped_when_the_story_goes_back_to_a_draft(client):
    moment = timezone.now() + timedelta(hours=3)
    story = make_article("Материал к трём часам", published_at=moment)
    link = PreviewLink.objects.create(article=story)
    with time_machine.travel(moment + timedelta(minutes=1)):
        story.status = Article.Status.DRAFT
        story.save()
        assert not opens(client, link)
        assert story.status == Article.Status.DRAFT


def test_a_link_stops_when_its_story_is_published_and_stays_stopped(client):
    story = make_article("Черновик", published=False)
    link = PreviewLink.objects.create(article=story)
    story.status, story.published_at = Article.Status.PUBLISHED, timezone.now()
    story.save()
    assert not opens(client, link)
    # Back to a draft: the link that was once stopped does not come back.
    story.status = Article.Status.DRAFT
    story.save()
    assert not opens(client, link)


def test_a_link_stops_when_its_story_is_taken_down(client):
    story = make_article("Снятый материал", published_at=timezone.now() + timedelta(hours=1))
    link = PreviewLink.objects.create(article=story)
    story.status = Article.Status.UNPUBLISHED
    story.save()
    assert not opens(client, link)
    # Even a taken-down story's status written without a save stops it.
    other = PreviewLink.objects.create(article=make_article(published=False))
    Article.objects.filter(pk=other.article_id).update(status=Article.Status.UNPUBLISHED)
    assert not opens(client, other)


def test_a_link_stops_when_its_story_is_deleted(client):
    story = make_article(published=False)
    link = PreviewLink.objects.create(article=story)
    url = link.get_absolute_url()
    story.delete()
    assert client.get(url).status_code == 404


def test_a_link_made_before_the_cap_is_held_to_it(client, settings):
    link = PreviewLink.objects.create(article=make_article(published=False))
    far = timezone.now() + timedelta(days=365 * 70)
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=far)  # as rows made before the cap
    assert opens(client, link)
    with time_machine.travel(timezone.now() + timedelta(hours=167)):
        assert opens(client, link)
    with time_machine.travel(timezone.now() + timedelta(hours=169)):
        assert not opens(client, link)
    settings.NEWSROOM_PREVIEW_LINK_MAX_HOURS = 24
    assert opens(client, link)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert not opens(client, link)


def share_link_form(client, story, day, time="12:00"):
    return edit_form(client, story) | {
        "preview_links-TOTAL_FORMS": "1",
        "preview_links-0-expires_at_0": day,
        "preview_links-0-expires_at_1": time,
    }


@pytest.mark.parametrize("who", ["editor", "reporter"])
def test_asking_for_a_link_valid_until_2099_is_a_form_error_naming_the_field(client, request, who):
    user = request.getfixturevalue(who)
    story = make_article("Черновик для ссылки", published=False, created_by=user)
    client.force_login(user)
    response = client.post(change_url(story), share_link_form(client, story, FAR_FUTURE))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][-1].formset
    assert "expires_at" in formset.forms[0].errors
    message = formset.forms[0].errors["expires_at"][0]
    assert "Ссылка для предпросмотра действует не дольше 168 часов" in message, message
    assert not story.preview_links.exists()


def test_a_link_for_up_to_a_week_is_accepted(client, editor):
    story = make_article("Черновик на неделю", published=False)
    client.force_login(editor)
    day = (timezone.localtime() + timedelta(days=6)).strftime("%d.%m.%Y")
    response = client.post(change_url(story), share_link_form(client, story, day))
    assert response.status_code == 302
    assert (
        story.preview_links.get().expires_at.date()
        == (timezone.localtime() + timedelta(days=6)).date()
    )


def test_the_default_expiry_never_passes_the_cap(settings):
    settings.NEWSROOM_PREVIEW_LINK_HOURS = 24 * 30
    link = PreviewLink.objects.create(article=make_article(published=False))
    assert link.expires_at <= timezone.now() + timedelta(hours=168)
