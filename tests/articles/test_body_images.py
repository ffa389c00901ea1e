"""
Only library photos appear in a story's text, and each is drawn from the
library: its address, alt text and credit come from the photo, never from the
markup that was submitted. Any other image is refused by the form and removed
by every other way of saving.
"""

import lxml.html
import pytest

from articles.models import Article
from media.specs import EDITOR_SPEC
from tests.articles.test_admin import ADD_STORY, errors_of, story_form
from tests.factories import make_article, make_editor, make_photo

pytestmark = pytest.mark.django_db

FOREIGN = "evil.example"
LIBRARY_ONLY = "Изображения в тексте берутся из фотобанка, вместе с авторством."

# Each with a library photo's id ({pk}): what the markup says of the image is a lie.
HOSTILE_WITH_AN_ID = {
    "foreign src in a figure": (
        '<figure><img src="https://evil.example/x.jpg" alt="Ложная подпись" data-file="{pk}">'
        "<figcaption>Подпись</figcaption></figure>"
    ),
    "outside a figure": '<p><img src="//evil.example/x.jpg" data-file="{pk}"></p>',
    "upper case": '<FIGURE><IMG SRC="https://evil.example/x.jpg" DATA-FILE="{pk}"></FIGURE>',
    "data: address": '<img src="data:image/svg+xml;base64,PHN2Zz4=" data-file="{pk}">',
    "foreign srcset": (
        '<img src="/uploads/x.jpg" srcset="https://evil.example/x.jpg 2x" data-file="{pk}">'
    ),
    "entities": '<img src="https&#58;&#47;&#47;evil.example/x.jpg" data-file="&#{digit};">',
    "two ids": '<img src="https://evil.example/x.jpg" data-file="{pk}" data-file="{pk}">',
    "event handler": '<img src="x" onerror="alert(1)" data-file="{pk}">',
}


def hostile(variant, photo):
    digit = ord(str(photo.pk)) if len(str(photo.pk)) == 1 else None
    if variant == "entities" and digit is None:
        # An id of several digits, each written as an entity.
        entity = "".join(f"&#{ord(c)};" for c in str(photo.pk))
        return HOSTILE_WITH_AN_ID[variant].replace("&#{digit};", entity)
    return HOSTILE_WITH_AN_ID[variant].format(pk=photo.pk, digit=digit)


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def images_of(body):
    return lxml.html.fragment_fromstring(body, create_parent="div").xpath("//img")


@pytest.mark.parametrize("variant", HOSTILE_WITH_AN_ID)
def test_an_image_with_a_library_id_is_stored_as_the_library_draws_it(variant):
    photo = make_photo(alt_text="Площадь в Астане")
    story = make_article(body=f"<p>Текст.</p>{hostile(variant, photo)}")
    story.refresh_from_db()
    for residue in (FOREIGN, "data:", "srcset", "Ложная подпись", "onerror", "&#"):
        assert residue not in story.body, (variant, story.body)
    [image] = images_of(story.body)
    assert dict(image.attrib) == {
        "src": photo.rendition_url(EDITOR_SPEC),
        "alt": "Площадь в Астане",
        "data-file": str(photo.pk),
    }


@pytest.mark.parametrize("variant", HOSTILE_WITH_AN_ID)
def test_readers_get_the_library_photo_whatever_the_markup_said(client, variant):
    photo = make_photo(alt_text="Площадь в Астане", credit_line="akorda.kz")
    story = make_article(body=f"<p>Текст.</p>{hostile(variant, photo)}")
    page = client.get(story.get_absolute_url()).content.decode()
    figure = lxml.html.fromstring(page).xpath("//figure[@class='body-photo']")
    assert len(figure) == 1, variant
    assert figure[0].xpath(".//img/@alt") == ["Площадь в Астане"]
    assert "akorda.kz" in figure[0].text_content()
    for residue in (FOREIGN, "data:image", "Ложная подпись"):
        assert residue not in page, (variant, residue)
    for feed in ["/rss/dzen/", "/rss/yandex/"]:
        assert FOREIGN not in client.get(feed).content.decode(), feed


@pytest.mark.parametrize(
    "image",
    [
        '<figure><img src="https://evil.example/x.jpg"><figcaption>Чужое</figcaption></figure>',
        '<img src="https://evil.example/x.jpg" data-file="999999999">',
        '<img src="https://evil.example/x.jpg" data-file="x1">',
        '<IMG SRC="https://evil.example/x.jpg">',
    ],
)
def test_an_image_that_is_not_a_library_photo_is_removed_when_saved_past_the_form(image):
    story = make_article(body=f"<p>Текст.</p>{image}<p>После.</p>")
    story.refresh_from_db()
    assert story.body == "<p>Текст.</p><p>После.</p>"


@pytest.mark.parametrize(
    "image",
    [
        '<img src="data:image/png;base64,iVBORw0KGgo=">',
        '<IMG SRC="https://evil.example/x.jpg">',
        '<img srcset="https://evil.example/x.jpg 2x" data-file="999999999">',
    ],
)
def test_the_form_refuses_an_image_that_is_not_a_library_photo(editor_client, image):
    response = editor_client.post(ADD_STORY, story_form(body=f"<p>Текст</p>{image}"))
    assert errors_of(response)["body"] == [LIBRARY_ONLY]
    assert Article.objects.count() == 0


def test_the_form_takes_a_library_photo_whatever_src_it_came_with(editor_client):
    photo = make_photo(alt_text="Площадь в Астане")
    body = (
        f'<p>Текст</p><figure><img src="https://evil.example/x.jpg" data-file="{photo.pk}">'
        "</figure>"
    )
    response = editor_client.post(ADD_STORY, story_form(body=body))
    assert response.status_code == 302
    stored = Article.objects.get().body
    assert FOREIGN not in stored and photo.rendition_url(EDITOR_SPEC) in stored
