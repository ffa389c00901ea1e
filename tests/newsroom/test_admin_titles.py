"""
Every model of the admin, ours and the borrowed apps', is named as a person
writes: «Добавить автора» in the title and the last crumb, lists titled by what
they list, a row's link saying whom it adds. Built from the admin's registry, so
that a new model cannot be forgotten.
"""

import json

import lxml.html
import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from project.admin import DeskWordsAdmin, accusative
from tests.factories import make_article, make_editor

pytestmark = pytest.mark.django_db

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def has_entry(language, context, message):
    with translation.override(language):
        catalog = translation.trans_real.translation(language)._catalog
        return f"{context}\x04{message}" in catalog or (f"{context}\x04{message}", 0) in catalog


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_model_has_the_desks_words(model):
    opts = model._meta
    assert isinstance(admin.site.get_model_admin(model), DeskWordsAdmin)
    for language in ("ru", "kk"):
        assert has_entry(language, "accusative", opts.verbose_name_raw), (language, opts.label)
        assert has_entry(language, "count", opts.verbose_name_raw), (language, opts.label)
        with translation.override(language):
            # A name is lower case in the middle of a phrase: «Добавить попытку входа»,
            # unless it begins with an abbreviation («API кілті»).
            first = str(opts.verbose_name).split()[0]
            assert first[:1].islower() or first.isupper(), (language, opts.label)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


def crumbs(tree):
    texts = tree.xpath("//div[@class='breadcrumbs']//text()")
    return [text.strip() for text in " ".join(texts).split("›") if text.strip()]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_each_models_pages_are_titled_in_russian(client, model):
    client.force_login(make_editor())
    opts = model._meta
    with translation.override("ru"):
        name, plural = accusative(opts), capfirst(opts.verbose_name_plural)
    listing = page(client, reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert listing.xpath("string(//h1)") == plural
    assert crumbs(listing)[-1] == plural
    model_admin = admin.site.get_model_admin(model)
    if not model_admin.has_add_permission(type("Request", (), {"user": make_editor("x")})()):
        return
    if opts.label == "media.Photo":
        return  # photos arrive through the upload page (tests/media/test_upload.py)
    adding = page(client, reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert adding.xpath("string(//h1)") == f"Добавить {name}"
    assert crumbs(adding)[-1] == f"Добавить {name}"


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/admin/newsroom/author/add/", "Добавить автора"),
        ("/admin/auth/group/add/", "Добавить группу"),
        ("/admin/newsroom/user/add/", "Добавить пользователя"),
        ("/admin/articles/section/add/", "Добавить рубрику"),
        ("/kk/admin/newsroom/author/add/", "Авторды қосу"),
        ("/en/admin/newsroom/author/add/", "Add author"),
    ],
)
def test_the_add_page_says_whom_it_adds(client, url, title):
    client.force_login(make_editor())
    tree = page(client, url)
    assert tree.xpath("string(//h1)") == title
    assert crumbs(tree)[-1] == title


def test_a_borrowed_apps_page_is_changed_in_the_accusative(client):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Корректоры")
    client.force_login(make_editor())
    tree = page(client, f"/admin/auth/group/{group.pk}/change/")
    assert tree.xpath("string(//h1)") == "Изменить группу"
    assert crumbs(tree)[-1] == "Корректоры"


def test_a_storys_rows_say_whom_they_add(client):
    story = make_article(published=False)
    client.force_login(make_editor())
    tree = page(client, f"/admin/articles/article/{story.pk}/change/")
    links = {
        json.loads(group.get("data-inline-formset"))["options"]["addText"]
        for group in tree.xpath("//*[@data-inline-formset]")
    }
    assert links == {"Добавить автора материала", "Добавить ссылку для предпросмотра"}


def test_the_buttons_beside_a_lookup_quote_nothing(client):
    client.force_login(make_editor())
    tree = page(client, "/admin/articles/article/add/")
    titles = tree.xpath("//div[@class='related-widget-wrapper']//a/@title")
    assert "Добавить ещё: рубрика" in titles
    assert titles and not [title for title in titles if '"' in title or "объект типа" in title]


def test_a_deletion_is_confirmed_in_words(client):
    story = make_article("Материал к удалению", published=False)
    client.force_login(make_editor())
    content = client.get(f"/admin/articles/article/{story.pk}/delete/").content.decode()
    assert "Удаление: материал «Материал к удалению»." in content
    assert "удалить материал" not in content
