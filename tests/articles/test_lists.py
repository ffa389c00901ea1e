"""Front, section, tag and author pages: newest first, and a fixed number of queries."""

import pytest
from django.utils import timezone

from media.models import Photo
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


def fill(count, **fields):
    authors = [make_author() for _ in range(3)]  # with portraits: their pages show them
    stories = []
    for n in range(count):
        stories.append(
            make_article(
                published_at=timezone.now() - timezone.timedelta(minutes=n + 1),
                lead_photo=make_photo() if n % 2 else None,
                authors=authors[: 1 + n % 3],
                tags=[f"тег {n}", "общий"],
                **fields,
            )
        )
    return stories


def titles(response):
    if "top" in response.context:  # the front page
        return [story.title for story in [response.context["top"], *response.context["latest"]]]
    return [story.title for story in response.context["articles"]]


def test_front_page_shows_the_latest_story_first(client):
    older, newer = fill(2)[::-1]
    response = client.get("/")
    assert titles(response)[:2] == [newer.title, older.title]
    assert response.content.decode().index(newer.title) < response.content.decode().index(
        older.title
    )


def test_section_page_lists_only_its_own_stories(client):
    events, sport = make_section("События"), make_section("Спорт")
    ours = make_article("Наша новость", section=events)
    make_article("Чужая новость", section=sport)
    response = client.get(events.get_absolute_url())
    assert titles(response) == [ours.title]
    assert 'aria-current="page"' in response.content.decode()


def test_tag_and_author_pages_list_their_stories(client):
    author = make_author("Ирина Капитанова")
    story = make_article(authors=[author], tags=["Қазақстан"])
    make_article("Без автора")
    assert titles(client.get(author.get_absolute_url())) == [story.title]
    tag = story.tags.get()
    assert tag.slug == "qazaqstan"
    assert titles(client.get(f"/tags/{tag.slug}/")) == [story.title]


def test_author_with_two_roles_on_one_story_lists_it_once(client):
    from articles.models import Byline

    author = make_author()
    story = make_article(authors=[author])
    Byline.objects.create(article=story, author=author, role=Byline.Role.PHOTO, position=1)
    assert titles(client.get(author.get_absolute_url())) == [story.title]


def test_list_pages_paginate_and_refuse_bad_page_numbers(client):
    section = make_section()
    fill(21, section=section)
    assert len(titles(client.get(section.get_absolute_url()))) == 20
    assert len(titles(client.get(section.get_absolute_url() + "?page=2"))) == 1
    for bad in ["3", "0", "-1", "abc", "1e9", "99999999999999999999"]:
        assert client.get(section.get_absolute_url(), {"page": bad}).status_code == 404


# Query budgets. Each page's queries, named:
#   sections for the navigation; the listed stories' edit tokens; the rows of
#   those whose cards are not kept (with section, lead photo and its
#   photographer joined) and their bylines with authors (no renditions: a photo
#   knows which it has); plus, on paginated pages, the owner (section, tag or
#   author) and the page's story ids (never a count); on an author's page,
#   their photos. A story's card is kept from the second page that shows it.
@pytest.mark.parametrize("count", [1, 15])
def test_front_page_query_budget_does_not_grow_with_stories(
    client, django_assert_max_num_queries, count
):
    fill(count, section=make_section())
    fill(count, section=make_section())
    # navigation + the top story's id (the newest marked one and the newest, in
    # one query) + the latest ids + each section's latest ids (one query of one
    # part a section) + the stories' edit tokens + their rows + bylines + the
    # rail's most read (the day's readings ranked; none read, no rows) = 8
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200
    client.get("/")
    # every card kept: the ids, the edit tokens, the navigation = 5
    with django_assert_max_num_queries(5):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("count", [1, 15])
def test_list_pages_query_budget_does_not_grow_with_stories(
    client, django_assert_max_num_queries, count
):
    section = make_section()
    stories = fill(count, section=section)
    author = stories[0].bylines.first().author
    # The author took the stories' photos, so their page lists them too.
    Photo.objects.filter(lead_for__in=stories).update(creator_author=author)
    for url, budget in [
        # owner + the page's ids + edit tokens + stories + bylines + navigation
        # + the rail's latest stories (their ids a subquery of the query for
        # their rows) + the rail's most read (the edition's, or on a section's
        # page the section's; none read, no rows) = 8; navigation and rail are
        # read once per site state
        (section.get_absolute_url(), 8),
        ("/tags/obshchiy/", 8),
        # the same (the owner with their portrait and its photographer, joined)
        # + the author's photos = 9
        (author.get_absolute_url(), 9),
    ]:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url
        client.get(url)
        # every card kept, navigation and rail kept for this site state: no
        # stories' rows, no bylines, no sections, no rail
        with django_assert_max_num_queries(budget - 5):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("extras", [1, 10])
def test_story_page_query_budget_does_not_grow_with_tags_authors_or_related(
    client, django_assert_max_num_queries, extras
):
    story = make_article(
        lead_photo=make_photo(creator_author=make_author()),
        authors=[make_author() for _ in range(extras)],
        tags=[f"тег {n}" for n in range(extras)],
    )
    story.related_stories.set(make_article() for _ in range(extras))
    # the story's narrow row (is its page kept?); drawn for the first time:
    # story with section and photo and photographer; bylines with authors and
    # their portraits (with the portraits' photographers, joined);
    # tags; related stories with sections; the ids of recent stories completing
    # «read also» and of translations (one query); their rows; navigation;
    # the rail's most read (none read, no rows) = 9
    with django_assert_max_num_queries(9):
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('rel="author"') == extras
