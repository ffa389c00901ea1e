"""
The API costs what the reader pages cost: a few queries a page, as many at
five stories a page as at fifty, and as many on page 100 as on page 1.
"""

import pytest

from articles.models import Byline
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(db):
    section, author = make_section(), make_author()
    photo = make_photo(creator_author=make_author())
    stories = [
        make_article(
            section=section, authors=[author], tags=["общий", f"тег {n}"], lead_photo=photo
        )
        for n in range(60)
    ]
    for story in stories[:10]:
        Byline.objects.create(article=story, author=make_author(), role="photo", position=1)
    return {"section": section, "author": author, "story": stories[0], "photo": photo}


@pytest.mark.parametrize("page_size", [5, 50])
def test_list_queries_do_not_grow_with_the_page_size(
    api, warm, archive, django_assert_num_queries, page_size
):
    cases = [
        # the page's ids and times from the index + the stories (section, lead photo and its
        # photographer joined) + their bylines with authors + their tags = 4
        ({}, 4),
        # + the section, tag or author, found among those with a published story = 5
        ({"section": archive["section"].slug}, 5),
        ({"tag": "obshchiy"}, 5),
        ({"author": archive["author"].slug}, 5),
    ]
    for params, budget in cases:
        with django_assert_num_queries(budget):
            response = api.get("/api/v1/stories/", {"page_size": page_size, **params})
        assert response.status_code == 200
        assert len(response.json()["results"]) == page_size
        # A page deep in the list costs the same: the cursor starts it in the index.
        with django_assert_num_queries(budget):
            api.get(
                "/api/v1/stories/",
                {"page_size": page_size, "cursor": response.json()["next_cursor"], **params},
            )


@pytest.mark.parametrize("page_size", [5, 50])
def test_owner_and_search_queries_do_not_grow_with_the_page_size(
    api, warm, archive, django_assert_num_queries, page_size
):
    # the sections with a published story = 1
    with django_assert_num_queries(1):
        api.get("/api/v1/sections/", {"page_size": page_size})
    # the page of tags (or authors) with a published story = 1
    for path in ["/api/v1/tags/", "/api/v1/authors/"]:
        with django_assert_num_queries(1):
            assert api.get(path, {"page_size": page_size}).status_code == 200
    # the ranked ids of the newest matches + the page's stories + bylines + tags = 4
    with django_assert_num_queries(4):
        response = api.get("/api/v1/search/", {"q": "новость", "page_size": page_size})
    assert len(response.json()["results"]) == page_size


def test_a_story_costs_the_same_with_more_photos_authors_tags_and_translations(
    api, warm, archive, django_assert_num_queries
):
    story = archive["story"]
    photos = [make_photo() for _ in range(5)]
    story.body = "".join(
        f'<figure><img data-file="{photo.pk}" src="/x"></figure>' for photo in photos
    )
    story.save()
    for language in ["kk", "en"]:
        make_article(language=language, translation_of=story)
    # the story (section, lead photo, photographer) + bylines + tags + the photos in
    # its text with their photographers + its published translations = 5
    with django_assert_num_queries(5):
        assert api.get(f"/api/v1/stories/{story.pk}/").status_code == 200
