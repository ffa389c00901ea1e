"""
API answers carry the reader pages' validators: an ETag named by the site's
state, so a client that holds the answer gets an empty 304, and the pages'
Cache-Control. An answer is kept until the site changes, under every query
parameter, after the client's key and rate limit are checked.
"""

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600


def test_an_answer_has_an_etag_and_a_client_that_holds_it_gets_304(api, page_cache):
    make_article()
    first = api.get("/api/v1/stories/")
    assert first.status_code == 200
    etag = first["ETag"]
    assert first["Cache-Control"] == ("public, max-age=0, s-maxage=600, stale-while-revalidate=60")
    again = api.get("/api/v1/stories/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag


def test_every_filter_is_another_answer_with_its_own_etag(api, page_cache):
    make_article()
    one = api.get("/api/v1/stories/", {"edition": "ru"})["ETag"]
    two = api.get("/api/v1/stories/", {"edition": "kk"})["ETag"]
    assert one != two
    # The same parameters in another order are the same answer.
    a = api.get("/api/v1/stories/?edition=ru&page_size=5")["ETag"]
    b = api.get("/api/v1/stories/?page_size=5&edition=ru")["ETag"]
    assert a == b


def test_a_change_readers_see_changes_the_etag_and_the_answer(api, page_cache):
    make_article("Первая")
    etag = api.get("/api/v1/stories/")["ETag"]
    make_article("Вторая")
    response = api.get("/api/v1/stories/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert [s["title"] for s in response.json()["results"]] == ["Вторая", "Первая"]


def test_a_kept_answer_costs_no_query(api, page_cache, warm, django_assert_num_queries):
    make_article()
    api.get("/api/v1/stories/")
    with django_assert_num_queries(0):
        assert api.get("/api/v1/stories/").status_code == 200


def test_a_draft_saved_keeps_the_answers(api, page_cache):
    story = make_article()
    etag = api.get("/api/v1/stories/")["ETag"]
    make_article(section=story.section, published=False)
    assert api.get("/api/v1/stories/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_without_the_page_cache_answers_are_fresh_and_say_so(api):
    make_article()
    response = api.get("/api/v1/stories/")
    assert response["Cache-Control"] == "public, no-cache"
    assert response["ETag"]


def test_errors_are_never_kept(api, page_cache):
    response = api.get("/api/v1/stories/", {"page_size": "0"})
    assert response.status_code == 400
    assert "ETag" not in response
    assert api.get("/api/v1/stories/999999/").status_code == 404
