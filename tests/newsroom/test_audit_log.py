"""The audit log: who published, unpublished, scheduled, deleted, restored, changed
permissions or was refused, when and from where; readable by editors, changed by nobody."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import DatabaseError, transaction
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from newsroom.models import AuditEvent
from tests.articles.test_admin import story_form
from tests.articles.test_workflow import ADD, change_url, edit_form, edit_form_from
from tests.factories import make_article, make_editor, make_staff

pytestmark = pytest.mark.django_db

OFFICE = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}


def actions():
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def last(action):
    return AuditEvent.objects.filter(action=action).latest("pk")


def test_publishing_from_the_admin_is_logged_with_who_and_from_where(client, editor):
    client.force_login(editor)
    before = AuditEvent.objects.count()
    client.post(ADD, story_form(title="Новость для журнала"), **OFFICE)
    event = last("publish")
    assert AuditEvent.objects.count() == before + 1
    assert (event.actor, event.ip_address) == ("aigerim", "203.0.113.7")
    assert event.object_repr == "Новость для журнала"
    assert event.object_id == str(Article.objects.get().pk)
    assert event.get_action_display() == "Опубликован"


def test_a_future_time_is_logged_as_scheduling_and_taking_down_as_unpublishing(client, editor):
    client.force_login(editor)
    data = story_form(title="Завтрашняя", published_at_0="06.03.2099")
    client.post(ADD, data)
    assert last("schedule").detail == "06.03.2099 14:00"
    story = Article.objects.get()
    client.post(change_url(story), edit_form(client, story, status="unpublished"))
    assert last("unpublish").object_repr == "Завтрашняя"
    assert "publish" not in actions()


def test_an_edit_that_leaves_the_state_alone_is_not_logged(client, editor):
    client.force_login(editor)
    client.post(ADD, story_form())
    story = Article.objects.get()
    count = AuditEvent.objects.count()
    client.post(change_url(story), edit_form(client, story, lead="Другой лид."))
    assert AuditEvent.objects.count() == count


def test_saves_outside_the_admin_are_logged_as_the_system(db):
    story = make_article(published=False)
    story.status = Article.Status.PUBLISHED
    story.published_at = timezone.now() - timedelta(minutes=1)
    story.save()
    event = last("publish")
    assert (event.actor, event.ip_address) == ("", None)


def test_deleting_and_recovering_are_logged(client, editor):
    client.force_login(editor)
    client.post(ADD, story_form(title="Удалю по ошибке"))
    story = Article.objects.get()
    client.post(f"/admin/articles/article/{story.pk}/delete/", {"post": "yes"}, **OFFICE)
    assert (last("delete").object_repr, last("delete").ip_address) == (
        "Удалю по ошибке",
        "203.0.113.7",
    )
    version = Version.objects.get_deleted(Article).get()
    page = client.get(f"/admin/articles/article/recover/{version.pk}/")
    client.post(f"/admin/articles/article/recover/{version.pk}/", edit_form_from(page))
    assert last("recover").object_repr == "Удалю по ошибке"
    assert actions().count("recover") == 1


def test_bulk_deletion_logs_each_story(client, editor):
    stories = [make_article(f"Лишняя {n}") for n in range(3)]
    client.force_login(editor)
    client.post(
        "/admin/articles/article/",
        {"action": "delete_selected", "_selected_action": [s.pk for s in stories], "post": "yes"},
    )
    assert sorted(
        AuditEvent.objects.filter(action="delete").values_list("object_repr", flat=True)
    ) == [
        "Лишняя 0",
        "Лишняя 1",
        "Лишняя 2",
    ]


def test_restoring_a_version_is_logged_once(client, editor):
    client.force_login(editor)
    client.post(ADD, story_form(title="Заголовок один"))
    story = Article.objects.get()
    client.post(change_url(story), edit_form(client, story, title="Заголовок два"))
    older = min(Version.objects.get_for_object(story), key=lambda v: v.pk)
    client.get(f"/admin/articles/article/{story.pk}/history/{older.pk}/")
    assert "restore" not in actions(), "looking at a version restores nothing"
    restore = {**edit_form(client, story), "title": "Заголовок один"}
    client.post(f"/admin/articles/article/{story.pk}/history/{older.pk}/", restore)
    assert actions().count("restore") == 1
    assert last("restore").actor == "aigerim"


def test_permission_changes_are_logged(client):
    chief = make_editor("chief")
    user = make_staff("irina", "Reporters")
    editors = Group.objects.get(name="Editors")
    client.force_login(chief)
    user.groups.add(editors)
    assert last("permissions").detail == "groups: +Editors"
    user.groups.remove(editors)
    assert last("permissions").detail == "groups: −Editors"
    user.is_superuser = True
    user.save()
    assert last("permissions").detail == "is_superuser +"
    permission = Permission.objects.get(codename="delete_article")
    user.user_permissions.add(permission)
    assert last("permissions").detail.startswith("user_permissions: +")
    Group.objects.get(name="Reporters").permissions.add(permission)
    event = last("permissions")
    assert (event.object_repr, event.object_type) == ("Reporters", "auth.group")
    editors.user_set.add(user)
    assert last("permissions").object_repr == "irina"


def test_permission_changes_in_the_admin_carry_the_editor_and_address(client):
    chief = make_editor("chief")
    user = make_staff("irina", "Reporters")
    client.force_login(chief)
    data = {
        "username": "irina",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [Group.objects.get(name="Reporters").pk],
        "date_joined_0": "06.03.2026",
        "date_joined_1": "10:00",
    }
    assert client.post(f"/admin/newsroom/user/{user.pk}/change/", data, **OFFICE).status_code == 302
    event = last("permissions")
    assert (event.actor, event.ip_address, event.detail) == (
        "chief",
        "203.0.113.7",
        "is_superuser +",
    )


def test_refusals_failed_sign_ins_and_lock_outs_are_logged(client, settings, photographer):
    client.force_login(photographer)
    assert client.get("/admin/articles/article/add/", **OFFICE).status_code == 403
    event = last("denied")
    assert (event.actor, event.ip_address) == ("daniyar", "203.0.113.7")
    assert event.detail == "GET /admin/articles/article/add/"
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "daniyar", "password": "wrong"}, **OFFICE)
    assert actions().count("login-failed") == settings.AXES_FAILURE_LIMIT
    event = last("locked-out")
    assert (event.object_repr, event.ip_address) == ("daniyar", "203.0.113.7")


def test_editors_read_the_log_and_nobody_can_change_it(client, editor, reporter):
    make_article("Видна в журнале")
    client.force_login(editor)
    listing = client.get("/admin/newsroom/auditevent/")
    assert listing.status_code == 200
    assert "Видна в журнале" in listing.content.decode()
    event = last("publish")
    assert client.get(f"/admin/newsroom/auditevent/{event.pk}/change/").status_code == 200
    assert (
        client.post(f"/admin/newsroom/auditevent/{event.pk}/change/", {"actor": "x"}).status_code
        == 403
    )
    assert client.get("/admin/newsroom/auditevent/add/").status_code == 403
    assert (
        client.post(f"/admin/newsroom/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    client.force_login(make_editor("chief"))
    assert client.get("/admin/newsroom/auditevent/add/").status_code == 403
    assert (
        client.post(f"/admin/newsroom/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    client.force_login(reporter)
    assert client.get("/admin/newsroom/auditevent/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, actor="").exists()


def test_the_database_refuses_to_change_an_entry(db):
    make_article()
    event = last("publish")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor="someone else")
    event.refresh_from_db()
    assert event.actor == ""


def test_the_log_lists_any_number_of_entries_in_a_fixed_number_of_queries(
    client, editor, django_assert_num_queries
):
    for n in range(40):
        make_article(f"Новость {n}")
    client.force_login(editor)
    client.get("/admin/newsroom/auditevent/")  # the session's first page renews it
    # session, user, the user's permissions (own and groups'), the count for the
    # paginator, the page of entries
    with django_assert_num_queries(6):
        response = client.get("/admin/newsroom/auditevent/")
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == AuditEvent.objects.count() > 40
