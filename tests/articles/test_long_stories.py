"""
Long reads fit; a text over the limit is refused with a clear message in the
editor's language, on the form, never with a blank page.

Forms are posted as browsers post them, percent-encoded: a Cyrillic letter
takes six bytes on the way.
"""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client

from articles.models import Article
from tests.articles.test_admin import errors_of, story_form
from tests.articles.test_workflow import ADD, change_url, edit_form
from tests.factories import make_editor

pytestmark = pytest.mark.django_db


def body_of(characters, letter="ж"):
    return "<p>" + letter * (characters - len("<p></p>")) + "</p>"


def post_as_browser(client, url, form):
    return client.post(
        url, urlencode(form, doseq=True), content_type="application/x-www-form-urlencoded"
    )


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def test_the_form_limit_holds_the_longest_story_even_in_four_byte_characters():
    limit = settings.NEWSROOM_MAX_BODY_CHARS
    # The request limit holds the longest body in the widest characters, encoded.
    longest = len(urlencode({"body": body_of(limit, "😀")}))
    assert longest < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_a_story_just_under_the_limit_saves(editor_client):
    body = body_of(settings.NEWSROOM_MAX_BODY_CHARS)
    response = post_as_browser(editor_client, ADD, story_form(body=body))
    assert response.status_code == 302
    assert Article.objects.get().body == body


def test_a_story_over_the_limit_is_refused_on_its_body(editor_client):
    body = body_of(settings.NEWSROOM_MAX_BODY_CHARS + 1)
    response = post_as_browser(editor_client, ADD, story_form(body=body))
    errors = errors_of(response)
    assert "400 000" in errors["body"][0].replace("\xa0", " ")
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("prefix", "words"),
    [
        ("", "Ничего не сохранено"),
        ("/kk", "Ештеңе сақталмады"),
        ("/en", "Nothing was saved"),
    ],
)
def test_a_form_too_large_to_read_is_shown_again_as_stored_with_why(prefix, words):
    editor = make_editor()
    writer = Client()
    writer.force_login(editor)
    writer.post(ADD, story_form(title="Сохранённый заголовок"))
    story = Article.objects.get()
    form = edit_form(writer, story, title="Новый заголовок")
    client = Client(enforce_csrf_checks=True)  # the refusal comes before the CSRF check
    client.force_login(editor)
    form["body"] = body_of(settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 6 + 1)

    response = post_as_browser(client, prefix + change_url(story), form)

    assert response.status_code == 413
    page = response.content.decode()
    assert words in page
    assert "Сохранённый заголовок" in page, "the form, as stored"
    story.refresh_from_db()
    assert story.title == "Сохранённый заголовок"
