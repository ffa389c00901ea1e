"""The desk reads as a person wrote it, in Russian, Kazakh and English: cases, plurals, labels."""

from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from articles.models import Article, Section
from newsroom.models import Author
from project.admin import accusative, counted
from tests.articles.test_admin import ADD_STORY, errors_of, story_form
from tests.factories import make_article, make_author, make_editor, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


@pytest.mark.parametrize(
    ("count", "russian", "kazakh", "english"),
    [
        (1, "1\xa0автор", "1\xa0автор", "1\xa0author"),
        (3, "3\xa0автора", "3\xa0автор", "3\xa0authors"),
        (5, "5\xa0авторов", "5\xa0автор", "5\xa0authors"),
        (21, "21\xa0автор", "21\xa0автор", "21\xa0authors"),
    ],
)
def test_a_count_takes_the_plural_form_of_its_number(count, russian, kazakh, english):
    opts = Author._meta
    for language, expected in (("ru", russian), ("kk", kazakh), ("en", english)):
        with translation.override(language):
            assert counted(count, opts) == expected


def test_stories_are_counted_as_russian_counts_them():
    with translation.override("ru"):
        assert [counted(n, Article._meta) for n in (1, 3, 13, 22)] == [
            "1\xa0материал",
            "3\xa0материала",
            "13\xa0материалов",
            "22\xa0материала",
        ]


def test_whom_one_changes_is_in_the_accusative():
    with translation.override("ru"):
        assert accusative(Author._meta) == "автора"
        assert accusative(Section._meta) == "рубрику"
    with translation.override("kk"):
        assert accusative(Author._meta) == "авторды"
    with translation.override("en"):
        assert accusative(Author._meta) == "author"


@pytest.mark.parametrize("count", [1, 3, 5, 21])
def test_the_author_list_counts_in_words(editor_client, count):
    for number in range(count):
        make_author(f"Автор {number}", portrait=False)
    content = editor_client.get("/admin/newsroom/author/").content.decode()
    with translation.override("ru"):
        assert counted(count, Author._meta) in content
    assert "авторы</span>" not in content or count == 1
    assert "Добавить автора" in content
    assert "<h1>Авторы</h1>" in content


def test_an_author_page_says_whom_it_changes_and_names_the_name(editor_client):
    author = make_author("Ирина Капитанова", portrait=False)
    content = editor_client.get(f"/admin/newsroom/author/{author.pk}/change/").content.decode()
    assert "Изменить автора" in content
    assert "Изменить автор<" not in content
    assert ">Имя:<" in content and "Название" not in content


def test_the_date_drill_down_puts_the_day_in_the_genitive(editor_client):
    make_article(published_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    content = editor_client.get(
        "/admin/articles/article/?published_at__year=2026&published_at__month=3"
    ).content.decode()
    assert "2 марта" in content
    assert "2 Март" not in content


def test_a_saved_author_is_confirmed_without_gender_or_stray_quotes(editor_client):
    author = make_author("Ирина Капитанова", portrait=False)
    response = editor_client.post(
        f"/admin/newsroom/author/{author.pk}/change/",
        {"name": "Ирина Капитанова", "slug": author.slug, "job_title": "редактор", "bio": ""},
        follow=True,
    )
    content = response.content.decode()
    assert "Изменения сохранены: автор «<a" in content
    assert "Ирина Капитанова</a>»." in content
    assert "был изменен" not in content and "“" not in content


def test_history_names_fields_by_their_labels_and_never_the_forms_bookkeeping(editor_client):
    response = editor_client.post(
        ADD_STORY, story_form(status="draft", published_at_0="", published_at_1="")
    )
    assert response.status_code == 302, errors_of(response)
    story = Article.objects.get()
    form = story_form(title="Новый заголовок", slug=story.slug, status="draft")
    form |= {"published_at_0": "", "published_at_1": ""}
    form |= {"edit_lock": story.edit_token, "opened_at": "2026-03-06T09:00:00+00:00"}
    form |= {"bylines-INITIAL_FORMS": "1", "bylines-0-id": story.bylines.get().pk}
    form["bylines-0-article"] = story.pk
    response = editor_client.post(f"/admin/articles/article/{story.pk}/change/", form)
    assert response.status_code == 302, errors_of(response)
    entry = LogEntry.objects.filter(object_id=str(story.pk)).order_by("-pk").first()
    with translation.override("ru"):
        message = entry.get_change_message()
    assert "заголовок" in message.lower()
    assert "opened_at" not in message and "edit_lock" not in message


def test_an_empty_headline_is_refused_in_words(editor_client):
    response = editor_client.post(ADD_STORY, story_form(title="", slug=""))
    errors = errors_of(response)
    assert errors["title"] == ["Обязательное поле."]
    shown = " ".join(message for messages in errors.values() for message in messages)
    assert "article_slug_not_empty" not in shown
    assert "Ограничение" not in shown


def test_every_constraint_has_a_message_an_editor_can_read():
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.app_label not in {"articles", "media", "newsroom"}:
            continue
        for constraint in model._meta.constraints:
            # A unique constraint on plain fields is reported on its field, in Django's words.
            if getattr(constraint, "fields", None) and not getattr(constraint, "condition", None):
                continue
            message = str(constraint.violation_error_message)
            assert constraint.name not in message, (model, constraint.name)


def test_an_empty_section_address_is_said_in_words():
    section = Section(name="!!!", slug="")
    with pytest.raises(ValidationError) as refused, translation.override("ru"):
        section.validate_constraints()
    assert "Адрес пуст" in str(refused.value)


@pytest.mark.parametrize("typed", ["14:00", "14.00", "14:00:00"])
def test_a_time_is_accepted_as_editors_type_it(editor_client, typed):
    response = editor_client.post(ADD_STORY, story_form(published_at_1=typed))
    assert response.status_code == 302, errors_of(response)
    assert Article.objects.get().published_at == datetime(2026, 3, 6, 9, 0, tzinfo=UTC)


def test_a_time_it_cannot_read_is_refused_naming_the_format(editor_client):
    response = editor_client.post(ADD_STORY, story_form(published_at_1="14-00"))
    assert "Введите время в виде 14:00 или 14.00." in errors_of(response)["published_at"]


def test_the_date_and_time_boxes_show_the_format(editor_client):
    content = editor_client.get(ADD_STORY).content.decode()
    assert 'placeholder="06.03.2026"' in content and 'placeholder="14:00"' in content


def test_a_working_copys_schedule_accepts_a_time_typed_with_a_dot(editor_client):
    story = make_article(section=make_section("События"))
    copy = story.start_working_copy(make_editor("other-editor"))
    form = {
        field: value
        for field, value in story_form(
            title=copy.title, slug=copy.slug, section=copy.section_id, status="draft"
        ).items()
        if not field.startswith(("language", "translation_of", "published_at", "preview_links"))
    }
    form |= {"changes_go_live_at_0": "06.03.2036", "changes_go_live_at_1": "14.00"}
    form |= {"edit_lock": copy.edit_token, "opened_at": "", "bylines-TOTAL_FORMS": "0"}
    for key in ("preview_links-TOTAL_FORMS", "preview_links-INITIAL_FORMS"):
        form[key] = "0"
    form |= {"preview_links-MIN_NUM_FORMS": "0", "preview_links-MAX_NUM_FORMS": "1000"}
    response = editor_client.post(f"/admin/articles/article/{copy.pk}/change/", form)
    assert response.status_code == 302, errors_of(response)
    copy.refresh_from_db()
    assert copy.changes_go_live_at == datetime(2036, 3, 6, 9, 0, tzinfo=UTC)


def test_borrowed_apps_are_named_in_russian(editor_client):
    content = editor_client.get("/admin/").content.decode()
    assert "Попытки входа" in content and "Фоновые задачи" in content
    assert "Аутентификаторы" in content
    assert "TOTP devices" not in content and "Tasks Database Backend" not in content


def test_the_audit_log_dates_by_the_minute(editor_client):
    from newsroom import audit
    from newsroom.models import AuditEvent

    audit.record(AuditEvent.Action.PUBLISH, make_article())
    at = timezone.localtime(AuditEvent.objects.filter(action="publish").latest("at").at)
    content = editor_client.get("/admin/newsroom/auditevent/").content.decode()
    assert at.strftime("%d.%m.%Y %H:%M") in content


def test_the_admin_tab_carries_the_sites_icon(editor_client):
    content = editor_client.get("/admin/").content.decode()
    assert 'rel="icon"' in content and "newsroom/favicon" in content


def test_tags_come_back_as_typed_without_quotes(editor_client):
    response = editor_client.post(
        ADD_STORY, story_form(tags="Касым-Жомарт Токаев, МККК, касым-жомарт токаев")
    )
    assert response.status_code == 302, errors_of(response)
    story = Article.objects.get()
    content = editor_client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert sorted(story.tags.names()) == ["Касым-Жомарт Токаев", "МККК"]
    assert (
        '"Касым-Жомарт Токаев"' not in content and "&quot;Касым-Жомарт Токаев&quot;" not in content
    )


def test_a_tag_string_is_read_by_commas_only():
    from articles.models import string_from_tags, tags_from_string

    assert tags_from_string(' "Ұлы дала", Астана ,, астана ') == ["Ұлы дала", "Астана"]
    assert tags_from_string("Новый год Астана") == ["Новый год Астана"]

    class Named:
        def __init__(self, name):
            self.name = name

    assert string_from_tags([Named("Касым-Жомарт Токаев"), Named("Азербайджан")]) == (
        "Касым-Жомарт Токаев, Азербайджан"
    )
