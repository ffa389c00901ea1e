"""What a reader downloads: a story page under 60 KB of HTML, the stylesheet under 30 KB."""

import pytest
from django.contrib.staticfiles import finders

from articles.models import Byline
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db

STORY_HTML_LIMIT = 60 * 1024
CSS_LIMIT = 30 * 1024


def test_a_long_story_page_stays_under_60_kb_of_html(client):
    section = make_section("События")
    photos = [make_photo() for _ in range(3)]
    body = "".join(
        f"<p>{'Абзац длинного материала о переговорах в Акорде. ' * 8}</p>"
        + (
            f'<figure><img src="/x.jpg" alt="Снимок {n}" data-file="{photos[n].pk}">'
            f"<figcaption>Подпись {n}</figcaption></figure>"
            if n < 3
            else ""
        )
        + "<blockquote><p>Длинная цитата из заявления, как в исходном материале.</p></blockquote>"
        for n in range(12)
    )
    story = make_article(
        "Токаев: гуманитарная помощь не может быть предметом политического торга",
        section=section,
        body=body,
        lead_photo=photos[0],
        tags=[f"тег {n}" for n in range(8)],
    )
    for position in range(3):
        Byline.objects.create(article=story, author=make_author(), position=position + 1)
    story.related_stories.set(make_article(section=section) for _ in range(4))
    size = len(client.get(story.get_absolute_url()).content)
    assert size < STORY_HTML_LIMIT, f"{size} bytes"


def test_the_stylesheet_stays_under_30_kb():
    with open(finders.find("newsroom/site.css"), "rb") as file:
        assert len(file.read()) < CSS_LIMIT
