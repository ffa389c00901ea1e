"""
A live story keeps living while it is edited: its changes wait in a working copy
that readers never see, go live when an editor publishes them (now or at a
scheduled moment, with no background job), and a takedown is one action with a
reason. The history tells which version readers saw when.
"""

from datetime import timedelta

import lxml.html
import pytest
import time_machine
from django.utils import timezone
from reversion.models import Version

from articles import caching, revisions
from articles.models import Article, PreviewLink
from newsroom.models import AuditEvent
from tests.articles.test_reader_routes import list_addresses
from tests.articles.test_workflow import change_url, edit_form
from tests.factories import make_article, make_author, make_section
from tests.reader_routes import routes

pytestmark = pytest.mark.django_db

OLD = "Аким пообещал открыть мост через Есиль к зиме"
NEW = "Мост через Есиль откроют только весной"


@pytest.fixture
def live_story(db, reporter):
    story = make_article(
        OLD,
        slug="most-cherez-esil",
        section=make_section("Город", slug="gorod"),
        lead="Ремонт моста идёт по графику, сказал аким.",
        authors=[reporter.author],
        tags=["мосты"],
        published_at=timezone.now() - timedelta(hours=3),
    )
    story.created_by = reporter
    story.save()
    return story


def start_copy(client, story):
    response = client.post(f"/admin/articles/article/{story.pk}/working-copy/")
    assert response.status_code == 302, response
    return Article.objects.get(copy_of=story)


def reader_addresses(story):
    """Every reader page, feed, sitemap and search of the Russian edition that could show it."""
    owners = {
        "section": story.section.slug,
        "tag": story.tags.order_by("name").first().slug,
        "author": story.bylines.first().author.slug,
    }
    addresses = []
    # The site's pages; the read API has its own tests of the same rule (tests/api).
    for route in [route for route in routes("list") if not route.name.startswith("api:")]:
        if route.name == "articles:search":
            addresses += [f"{route.reverse('ru')}?q={word}" for word in ["Есиль", "весной"]]
        elif route.name == "sitemap":
            addresses += list_addresses(route, "ru", story)
        else:
            addresses.append(route.reverse("ru"))
    for route in [route for route in routes("owner") if not route.name.startswith("api:")]:
        owner = route.name.split(":")[1].split("-")[0]
        addresses.append(route.reverse("ru", slug=owners[owner]))
    story_route = next(route for route in routes("story") if route.name == "articles:article")
    addresses.append(
        story_route.reverse("ru", section=story.section.slug, pk=story.pk, slug=story.slug)
    )
    return addresses


def shown_anywhere(client, story, text):
    """The reader addresses that show ``text``."""
    return [
        url
        for url in reader_addresses(story)
        if text in client.get(url, follow=True).content.decode()
    ]


# Editing a live story


def test_editing_a_live_story_saves_a_working_copy_that_readers_never_see(
    client, editor, live_story
):
    client.force_login(editor)
    page = client.get(change_url(live_story)).content.decode()
    assert "Это опубликованная версия" in page
    copy = start_copy(client, live_story)
    assert (copy.title, copy.status, copy.language) == (OLD, "draft", "ru")
    assert [b.author_id for b in copy.bylines.all()] == [
        b.author_id for b in live_story.bylines.all()
    ]
    assert list(copy.tags.names()) == ["мосты"]
    # Asking again opens the same copy: one working copy per story.
    assert start_copy(client, live_story) == copy

    response = client.post(change_url(copy), edit_form(client, copy, title=NEW, _continue="1"))
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.title == NEW

    reader = client.__class__()
    assert shown_anywhere(reader, live_story, NEW) == []
    assert shown_anywhere(reader, live_story, OLD)
    live_story.refresh_from_db()
    assert (live_story.title, live_story.status) == (OLD, "published")


def test_publishing_the_copy_puts_its_changes_before_readers_and_ends_the_copy(
    client, editor, live_story
):
    client.force_login(editor)
    copy = start_copy(client, live_story)
    form = edit_form(client, copy, title=NEW, tags="мосты, весна", _publish_changes="1")
    response = client.post(change_url(copy), form)
    assert response.status_code == 302
    assert response["Location"] == change_url(live_story)
    live_story.refresh_from_db()
    assert live_story.title == NEW
    assert sorted(live_story.tags.names()) == ["весна", "мосты"]
    assert live_story.corrected_at is not None  # dateModified: when the changes went live
    assert not Article.objects.filter(pk=copy.pk).exists()

    reader = client.__class__()
    story_page = reader.get(live_story.get_absolute_url()).content.decode()
    assert NEW in story_page and OLD not in story_page
    assert shown_anywhere(reader, live_story, OLD) == []
    event = AuditEvent.objects.filter(action="publish").first()
    assert event.object_id == str(live_story.pk) and "рабочей копии" in event.detail


def test_the_live_storys_own_form_changes_only_the_top_story_mark(client, editor, live_story):
    client.force_login(editor)
    form = edit_form(client, live_story, is_top="on", status="draft")
    assert client.post(change_url(live_story), form).status_code == 302
    live_story.refresh_from_db()
    assert (live_story.title, live_story.status, live_story.is_top) == (OLD, "published", True)


def test_a_form_opened_before_the_story_went_live_saves_nothing_and_says_why(
    client, editor, live_story
):
    client.force_login(editor)
    form = edit_form(client, live_story) | {"title": "Правка из старой вкладки", "lead": "Л."}
    response = client.post(change_url(live_story), form)
    assert response.status_code == 200
    assert "рабочей копии" in str(response.context["adminform"].form.non_field_errors())
    live_story.refresh_from_db()
    assert live_story.title == OLD


def test_the_working_copy_is_checked_as_published_content_before_it_goes_live(
    client, editor, live_story
):
    client.force_login(editor)
    copy = start_copy(client, live_story)
    other = make_article("Другой материал", slug="zanyatyy-adres")
    form = edit_form(client, copy, slug=other.slug, _publish_changes="1")
    response = client.post(change_url(copy), form)
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    live_story.refresh_from_db()
    assert live_story.slug == "most-cherez-esil"
    past = edit_form(client, copy, changes_go_live_at_0="01.01.2020", changes_go_live_at_1="10:00")
    response = client.post(change_url(copy), past)
    assert "changes_go_live_at" in response.context["adminform"].form.errors


def test_a_reporter_prepares_changes_to_their_live_story_and_only_an_editor_publishes(
    client, reporter, editor, live_story
):
    client.force_login(reporter)
    copy = start_copy(client, live_story)
    form = edit_form(client, copy, title=NEW, status="review", _publish_changes="1")
    form |= {"changes_go_live_at_0": "01.01.2030", "changes_go_live_at_1": "10:00"}
    assert client.post(change_url(copy), form).status_code == 302
    copy.refresh_from_db()
    live_story.refresh_from_db()
    assert (copy.title, copy.status, copy.changes_go_live_at) == (NEW, "review", None)
    assert live_story.title == OLD
    # The editors' list shows the story with its changes waiting for review.
    client.force_login(editor)
    listing = client.get("/admin/articles/article/?state=review").content.decode()
    assert OLD in listing and "правки на проверке" in listing


def test_a_reporter_cannot_start_a_copy_of_a_colleagues_story(client, other_reporter, live_story):
    client.force_login(other_reporter)
    assert client.post(f"/admin/articles/article/{live_story.pk}/working-copy/").status_code == 404
    assert not Article.objects.filter(copy_of=live_story).exists()


def test_a_copy_is_made_by_post_only(client, editor, live_story):
    client.force_login(editor)
    assert client.get(f"/admin/articles/article/{live_story.pk}/working-copy/").status_code == 405


def test_a_reporter_saving_a_scheduled_copy_cancels_the_schedule(
    client, reporter, editor, live_story
):
    copy = live_story.start_working_copy(reporter)
    copy.changes_go_live_at = timezone.now() + timedelta(hours=2)
    copy.changes_scheduled_by = editor
    copy.save()
    client.force_login(reporter)
    assert client.post(change_url(copy), edit_form(client, copy, title=NEW)).status_code == 302
    copy.refresh_from_db()
    assert copy.changes_go_live_at is None


def test_previews_and_share_links_show_the_working_copy_until_it_is_published(
    client, editor, live_story
):
    client.force_login(editor)
    copy = start_copy(client, live_story)
    copy.title = NEW
    copy.save()
    preview = client.get(f"/admin/articles/article/{live_story.pk}/preview/").content.decode()
    assert NEW in preview
    link = PreviewLink.objects.create(article=copy, created_by=editor)
    reader = client.__class__()
    assert NEW in reader.get(link.get_absolute_url()).content.decode()
    copy.publish_changes(editor)
    assert reader.get(link.get_absolute_url()).status_code == 404


def test_the_published_version_and_the_copy_side_by_side(client, editor, live_story):
    client.force_login(editor)
    copy = start_copy(client, live_story)
    copy.title = NEW
    copy.save()
    page = client.get(f"/admin/articles/article/{live_story.pk}/changes/").content.decode()
    assert "<del>" in page and "<ins>" in page and "весной" in page


def test_search_reads_only_the_published_version(client, editor, live_story):
    copy = live_story.start_working_copy(editor)
    copy.title = NEW
    copy.save()

    def found(words):
        page = lxml.html.fromstring(client.get(f"/search/?q={words}").content.decode())
        return page.xpath("//ol[@class='search-results']//h2/a/@href")

    assert found("весной") == []
    copy.publish_changes(editor)
    assert found("весной") == [live_story.get_absolute_url()]


# Scheduled updates


def test_scheduled_changes_reach_every_reader_surface_at_their_moment_and_not_before(
    client, editor, live_story
):
    moment = timezone.now() + timedelta(hours=2)
    copy = live_story.start_working_copy(editor)
    copy.title = NEW
    copy.correction_note = "Сроки открытия моста перенесены на весну."
    copy.changes_go_live_at = moment
    copy.changes_scheduled_by = editor
    copy.save()

    with time_machine.travel(moment - timedelta(minutes=1)):
        assert shown_anywhere(client, live_story, NEW) == []
        before = shown_anywhere(client, live_story, OLD)
    assert before
    with time_machine.travel(moment + timedelta(minutes=1)):
        # No one saved anything: the first request after the moment puts it live.
        assert shown_anywhere(client, live_story, OLD) == []
        after = shown_anywhere(client, live_story, NEW)
        page = client.get(live_story.get_absolute_url()).content.decode()
    assert set(before) - {url for url in before if "q=" in url} <= set(after) | {
        url for url in before if "q=" in url
    }
    assert "Сроки открытия моста перенесены на весну." in page
    live_story.refresh_from_db()
    assert live_story.corrected_at == moment  # dateModified from that moment, not from the visit
    assert live_story.updated_by == editor
    assert not Article.objects.filter(copy_of=live_story).exists()


@time_machine.travel("2026-03-06 12:00 +0500", tick=False)
def test_the_cache_keeps_no_page_past_a_scheduled_change(editor, live_story):
    # At noon in Almaty: the state's next moment is not the coming midnight.
    moment = timezone.now() + timedelta(minutes=30)
    caching.site_state()
    copy = live_story.start_working_copy(editor)
    copy.changes_go_live_at = moment
    copy.save()
    assert caching.site_state().next_publication == moment


def test_scheduled_changes_go_live_once_however_many_workers_see_the_moment(editor, live_story):
    copy = live_story.start_working_copy(editor)
    copy.title = NEW
    copy.changes_go_live_at = timezone.now() + timedelta(minutes=5)
    copy.save()
    stale = Article.objects.get(pk=copy.pk)  # another worker read it too
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert copy.publish_scheduled_changes() is not None
        assert stale.publish_scheduled_changes() is None
        published = [v for v in revisions.history(live_story).seen if v.until is None]
    assert len(published) == 1


def test_scheduled_changes_that_cannot_go_live_never_break_a_readers_page(
    client, editor, live_story
):
    copy = live_story.start_working_copy(editor)
    copy.slug = "zanyatyy-adres"
    copy.changes_go_live_at = timezone.now() + timedelta(minutes=5)
    copy.save()
    make_article("Другой материал", slug="zanyatyy-adres")  # took the address meanwhile
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert client.get("/").status_code == 200
    copy.refresh_from_db()
    live_story.refresh_from_db()
    assert (copy.changes_go_live_at, live_story.slug) == (None, "most-cherez-esil")


# Takedown


def test_taking_down_is_one_editors_action_with_a_reason(
    client, editor, live_story, django_capture_on_commit_callbacks
):
    copy = live_story.start_working_copy(editor)
    link = PreviewLink.objects.create(article=copy)
    retired = []

    def purge(sender, changed, **kwargs):
        retired.append(changed)

    client.force_login(editor)
    url = f"/admin/articles/article/{live_story.pk}/take-down/"
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert client.__class__().get(live_story.get_absolute_url()).status_code == 200
    caching.pages_retired.connect(purge)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"reason": "Требование юристов"})
    finally:
        caching.pages_retired.disconnect(purge)
    assert response.status_code == 302
    live_story.refresh_from_db()
    assert live_story.status == "unpublished"
    reader = client.__class__()
    assert reader.get(live_story.get_absolute_url()).status_code == 404
    assert shown_anywhere(reader, live_story, OLD) == []
    assert reader.get(link.get_absolute_url()).status_code == 404
    assert live_story in retired, "a front cache is told to purge"
    event = AuditEvent.objects.filter(action="unpublish").get()
    assert "Требование юристов" in event.detail and event.actor == editor.username
    history = client.get(f"/admin/articles/article/{live_story.pk}/history/").content.decode()
    assert "Требование юристов" in history


def test_only_editors_take_stories_down(client, reporter, live_story):
    client.force_login(reporter)
    url = f"/admin/articles/article/{live_story.pk}/take-down/"
    assert client.post(url, {"reason": "Хочу"}).status_code == 403
    live_story.refresh_from_db()
    assert live_story.status == "published"


# History


def test_history_tells_what_readers_saw_apart_from_working_saves(client, editor, live_story):
    client.force_login(editor)
    copy = start_copy(client, live_story)
    client.post(change_url(copy), edit_form(client, copy, title="Промежуточный", _continue="1"))
    form = edit_form(client, copy, title=NEW, _publish_changes="1")
    assert client.post(change_url(copy), form).status_code == 302
    history = revisions.history(live_story)
    seen_titles = [seen.version.field_dict["title"] for seen in history.seen]
    assert seen_titles == [NEW]  # the factory's first save was not kept as a version
    assert seen_titles[0] == NEW and history.seen[0].until is None
    working_titles = [version.field_dict["title"] for version in history.working]
    assert "Промежуточный" in working_titles
    page = client.get(f"/admin/articles/article/{live_story.pk}/history/").content.decode()
    assert "Что видели читатели" in page and "Промежуточный" not in page  # titles not listed
    assert "рабочая копия" in page


def test_restoring_a_version_of_a_live_story_goes_into_the_working_copy_only(
    client, editor, live_story
):
    client.force_login(editor)
    copy = start_copy(client, live_story)
    form = edit_form(client, copy, title=NEW, _publish_changes="1")
    assert client.post(change_url(copy), form).status_code == 302
    copy = start_copy(client, live_story)
    client.post(change_url(copy), edit_form(client, copy, title="Черновая правка", _continue="1"))
    working = Version.objects.get_for_model(Article).filter(object_id=str(copy.pk)).first()
    copy.delete()  # discarded

    url = f"/admin/articles/article/{live_story.pk}/history/{working.pk}/"
    assert "рабочую копию" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    restored = Article.objects.get(copy_of=live_story)
    assert restored.title == "Черновая правка"
    live_story.refresh_from_db()
    assert (live_story.title, live_story.status) == (NEW, "published")
    # A discarded copy is nothing to recover.
    assert all(v.field_dict.get("copy_of_id") is None for v in revisions.deleted_stories(editor))


def test_the_story_list_shows_stories_not_their_copies(client, editor, live_story):
    make_author("Кто-то")
    live_story.start_working_copy(editor)
    client.force_login(editor)
    response = client.get("/admin/articles/article/")
    assert response.context["cl"].result_count == 1
    assert "правки готовятся" in response.content.decode()
