"""
A post's markup, classic or block editor, becomes a story's text: shortcodes and
blocks become our figures and links or go with a note, and whatever is hostile
is removed as from any story.
"""

import pytest

from articles.models import Article
from wordpress import content

pytestmark = pytest.mark.django_db


def body_of(wp_id):
    return Article.objects.get(old_addresses__path=f"?p={wp_id}").body


def test_hostile_markup_never_reaches_the_text(imported):
    body = body_of(10)
    for hostile in ("<script", "document.cookie", "onerror", "onclick", "javascript:", "<iframe"):
        assert hostile not in body, hostile
    assert "tracker.example" not in body  # an image from elsewhere is no library photo
    assert '<a href="https://akimat.example.kz/plan">в плане акимата</a>' in body


def test_classic_text_gets_paragraphs_and_line_breaks(imported):
    body = body_of(10)
    assert body.startswith("<p>Аким района провёл встречу с жителями в доме культуры.</p>")
    assert "<p>Жители спросили о дороге, школе и автобусе.<br>\nАким пообещал:" in body


def test_a_captioned_image_becomes_a_library_photo_in_a_figure(imported):
    story = Article.objects.get(old_addresses__path="?p=10")
    assert "<figcaption>Встреча в доме культуры</figcaption>" in story.body
    assert [use.photo for use in story.body_photos.all()] == [story.lead_photo]


def test_block_editor_images_become_library_photos_and_comments_go(imported):
    body = body_of(11)
    assert "<!--" not in body and "wp-block" not in body
    assert body.count('data-file="') == 2
    assert "<figcaption>Үстірттегі қызғалдақтар</figcaption>" in body
    assert "<h3>Һауа райы не дейді</h3>" in body


def test_embeds_become_links_and_unknown_shortcodes_go_with_a_note(imported):
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">' in body_of(11)
    assert '<a href="https://www.youtube.com/embed/dQw4w9WgXcQ">' in body_of(10)
    assert "contact-form-7" not in body_of(10)
    assert "shortcode [contact-form-7] dropped: 1 (posts 10)" in imported
    assert "embedded frame turned into a link: 1 (posts 10)" in imported
    assert "image without a file dropped: 2 (posts 10, 11)" in imported


def test_brackets_that_are_not_shortcodes_stay_text(imported):
    assert "[1] Цитата по стенограмме; [sic] — так в оригинале." in body_of(10)


def test_headings_take_our_two_levels():
    converted = content.convert("<h1>a</h1><h2>b</h2><h4>c</h4><h6>d</h6>", lambda *_: None)
    assert converted.html == "<h2>a</h2>\n<h2>b</h2>\n<h3>c</h3>\n<h3>d</h3>"


def test_an_escaped_shortcode_is_its_text():
    assert content.convert("[[gallery]]", lambda *_: None).html == "<p>[gallery]</p>"


def test_an_enclosing_unknown_shortcode_keeps_its_text():
    converted = content.convert('[highlight color="red"]Важно[/highlight]', lambda *_: None)
    assert converted.html == "<p>Важно</p>"
    assert converted.notes == ["shortcode [highlight] dropped"]


def test_a_caption_without_a_photo_leaves_no_empty_figure(db):
    converted = content.convert(
        '[caption id="attachment_9"]<img src="https://elsewhere.example/a.jpg"> Подпись[/caption]',
        lambda *_: None,
    )
    story = Article(body=converted.html)
    from articles.body import library_images

    assert "<figure" not in library_images(story.body)
    assert "image without a file dropped" in converted.notes


def test_a_javascript_embed_address_is_no_link():
    converted = content.convert('<iframe src="javascript:alert(1)"></iframe>', lambda *_: None)
    assert "javascript" not in converted.html
    assert converted.notes == ["embedded frame dropped"]
