"""
The API shows what readers may see and nothing else: a draft, a story in
review, a scheduled one before its moment and a taken-down one are unknown
stories, and a section, tag or author that only such stories stand behind is
unknown too. The one rule is Article.objects.published().
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from tests.api.conftest import get, ids
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


def unseen_stories():
    later = timezone.now() + timedelta(hours=2)
    return {
        "draft": {"status": Article.Status.DRAFT, "published_at": None},
        "review": {"status": Article.Status.REVIEW, "published_at": None},
        "scheduled": {"status": Article.Status.PUBLISHED, "published_at": later},
        "taken down": {
            "status": Article.Status.UNPUBLISHED,
            "published_at": timezone.now() - timedelta(days=1),
        },
    }


@pytest.fixture(params=list(unseen_stories()))
def unseen(request, db):
    """A story readers may not see, alone in its section, tag and author, with its photographer."""
    photographer = make_author("Фотограф Тайный")
    return make_article(
        "Секретная новость",
        section=make_section("Тайная рубрика"),
        authors=[make_author("Автор Тайный")],
        tags=["tayna"],
        lead_photo=make_photo(creator_author=photographer),
        **unseen_stories()[request.param],
    )


def everything_listed(api, edition="ru"):
    listed = []
    for path in ["stories", "sections", "tags", "authors"]:
        listed += get(api, f"/api/v1/{path}/", edition=edition)["results"]
    listed += get(api, "/api/v1/search/", q="Секретная", edition=edition)["results"]
    return str(listed)


def test_an_unseen_story_is_unknown_and_absent_from_every_list(api, unseen):
    make_article("Обычная новость")  # something to list
    assert api.get(f"/api/v1/stories/{unseen.pk}/").status_code == 404
    listed = everything_listed(api)
    for trace in ["Секретная", "Тайная рубрика", "tayna", "Автор Тайный", "Фотограф Тайный"]:
        assert trace not in listed
    for owner in [
        {"section": unseen.section.slug},
        {"tag": "tayna"},
        {"author": unseen.bylines.get().author.slug},
    ]:
        assert ids(get(api, "/api/v1/stories/", **owner)) == []


def test_a_scheduled_story_appears_at_its_moment(api, warm):
    moment = timezone.now() + timedelta(hours=1)
    story = make_article(status=Article.Status.PUBLISHED, published_at=moment)
    assert api.get(f"/api/v1/stories/{story.pk}/").status_code == 404
    with time_machine.travel(moment + timedelta(minutes=1)):
        assert api.get(f"/api/v1/stories/{story.pk}/").status_code == 200
        assert ids(get(api, "/api/v1/stories/")) == [story.pk]


def test_an_unpublished_translation_is_not_linked(api):
    original = make_article()
    make_article(language="en", translation_of=original, published=False)
    assert get(api, f"/api/v1/stories/{original.pk}/")["translations"] == []


def test_a_photo_in_the_text_since_deleted_is_left_out(api):
    photo = make_photo()
    story = make_article(body=f'<p>Текст</p><figure><img src="/x" data-file="{photo.pk}"></figure>')
    Article.objects.filter(pk=story.pk).update(body=story.body.replace(str(photo.pk), "999999"))
    data = get(api, f"/api/v1/stories/{story.pk}/")
    assert [block["type"] for block in data["blocks"]] == ["paragraph"]
