"""
A constraint the database enforces is a form error, whenever it is broken: also
when someone else takes the slug between the form's checks and its save.

The race is made deterministic: the competing row appears right after the
form's constraint checks have passed, as another editor's save would.
"""

import pytest
from django.db import IntegrityError

from articles.models import Article, Section
from tests.articles.test_admin import ADD_STORY, errors_of, story_form
from tests.factories import make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def race(monkeypatch, model, competitor):
    """Once a form of ``model`` passes its checks, the competitor is saved first."""
    checks = model.validate_constraints

    def validate_then_lose_the_race(instance, *args, **kwargs):
        checks(instance, *args, **kwargs)
        if instance.pk is None:
            competitor()

    monkeypatch.setattr(model, "validate_constraints", validate_then_lose_the_race)


def test_two_editors_adding_the_same_headline_at_once_get_a_slug_error_not_a_500(
    editor_client, monkeypatch
):
    def other_editor():
        if not Article.objects.filter(slug="odin-zagolovok").exists():
            Article.objects.create(
                title="Один заголовок",
                slug="odin-zagolovok",
                lead="Лид",
                section=Section.objects.get(slug="sobytiya"),
            )

    form = story_form(title="Один заголовок")  # makes the section
    race(monkeypatch, Article, other_editor)

    response = editor_client.post(ADD_STORY, form)

    assert "slug" in errors_of(response)
    assert Article.objects.count() == 1, "the other editor's story, and nothing of this one"
    assert Article.objects.get().lead == "Лид"


def test_a_section_losing_its_slug_to_a_concurrent_save_is_a_form_error(editor_client, monkeypatch):
    def other_editor():
        Section.objects.get_or_create(slug="ekonomika", defaults={"name": "Экономика"})

    race(monkeypatch, Section, other_editor)

    response = editor_client.post(
        "/admin/articles/section/add/", {"name": "Экономика", "slug": "", "position": 0}
    )

    assert "slug" in errors_of(response)
    assert Section.objects.filter(slug="ekonomika").count() == 1


def test_a_refusal_the_model_cannot_name_is_still_the_form_again_with_nothing_saved(
    editor_client, monkeypatch
):
    save = Article.save

    def refused_by_the_database(self, *args, **kwargs):
        save(self, *args, **kwargs)
        raise IntegrityError("a constraint the model does not declare")

    monkeypatch.setattr(Article, "save", refused_by_the_database)

    response = editor_client.post(ADD_STORY, story_form(title="Не сохранится"))

    errors = errors_of(response)
    assert "Ничего не сохранено" in errors["__all__"][0]
    assert not Article.objects.exists()
