"""The demo newsroom: shaped like the reference story, and loading it twice changes nothing."""

import io

import pytest
from django.core.management import call_command

from articles.models import Article, Byline, Section, Tag
from media.models import Photo
from newsroom.models import Author, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", verbosity=0)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Section, Author, Photo, Article, Byline, Tag, User)
    }


def test_loading_the_demo_twice_changes_nothing(demo, settings):
    before = counts()
    password = (settings.VAR_DIR / "demo-editor-password.txt").read_text()
    call_command("load_demo", verbosity=0)
    assert counts() == before
    assert (settings.VAR_DIR / "demo-editor-password.txt").read_text() == password


def test_the_printed_admin_address_is_where_the_site_is_served(demo, settings):
    out = io.StringIO()
    call_command("load_demo", "--address", "127.0.0.1:8140", stdout=out)
    password = (settings.VAR_DIR / "demo-editor-password.txt").read_text().strip()
    assert f"http://127.0.0.1:8140/admin/  login: editor  password: {password}" in out.getvalue()


def test_demo_editor_can_sign_in_with_the_printed_password(demo, settings, client):
    password = (settings.VAR_DIR / "demo-editor-password.txt").read_text().strip()
    assert len(password) >= 12
    response = client.post("/admin/login/", {"username": "editor", "password": password})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_demo_fills_the_front_page_with_the_reference_shaped_story_on_top(demo, client):
    response = client.get("/")
    stories = [response.context["top"], *response.context["latest"]]
    assert len(stories) >= 6
    top = stories[0]
    assert top.title.startswith("Токаев:")
    assert top.lead_photo.credit_line == "akorda.kz"
    assert top.source_name == "Акорда"
    assert top.related_stories.published().count() == 1
    assert top.bylines.get().author.portrait
    assert top.tags.count() >= 2
    assert top.body.count("<blockquote>") == 2
    assert Article.objects.exclude(pk__in=Article.objects.published()).exists(), "a draft"
