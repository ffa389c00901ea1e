"""
Every API address (walked from the URLconf: a new one is in the walk by
itself), asked with hostile values for each of its parameters, answers JSON:
a result (perhaps empty) or a 4xx that names the parameter, never a 500.
The reader site's own walk (tests/newsroom/test_hostile_input.py) asks the
same addresses with hostile paths.
"""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import make_article, make_author
from tests.newsroom.hostile import numbers, percent_encoded, reader_routes, url_part

pytestmark = pytest.mark.django_db

API_ROUTES = [route for route in reader_routes() if route.startswith("api/")]
PARAMETERS = [
    "edition", "page_size", "cursor", "published_after", "published_before",
    "section", "tag", "author", "q",
]  # fmt: skip
SQLISH = ["' OR 1=1 --", "1; DROP TABLE articles_article", "%27%20OR%20%271%27=%271", "\\x00"]
WORDS = ["Қазақстан", "Тоқаевтың", "Алматы", "помощи", "🇰🇿", "ё" * 600]
DATES = ["2026-13-01", "0001-01-01T00:00", "9999-12-31T23:59:59", "06.03.2026 25:00", "-1"]
value = st.one_of(
    url_part,
    numbers.map(percent_encoded),
    st.sampled_from(SQLISH + WORDS + DATES).map(percent_encoded),
)


@pytest.fixture
def newsroom(db):
    return make_article("Наурыз в Алматы", authors=[make_author()], tags=["nauryz"])


def test_every_api_route_is_walked():
    assert len(API_ROUTES) >= 8


def assert_answers_json(response, address):
    # The test client raises whatever a view raises: a server error fails before this.
    assert response.status_code in {200, 304, 400, 401, 403, 404, 429}, address
    assert response["Content-Type"].startswith("application/"), address
    body = json.loads(response.content)
    if response.status_code == 400:
        assert isinstance(body, dict) and body, address
    return body


@pytest.mark.parametrize("route", API_ROUTES)
@given(data=st.data())
def test_an_api_address_with_hostile_parameters_answers_json(api, newsroom, route, data):
    names = data.draw(st.lists(st.sampled_from(PARAMETERS), max_size=4, unique=True))
    query = "&".join(f"{name}={data.draw(value, label=name)}" for name in names)
    path = route.replace("<int:pk>", str(newsroom.pk))
    address = f"/{path}?{query}"
    response = api.get(address)
    body = assert_answers_json(response, address)
    if response.status_code == 400 and "detail" not in body:
        # A 400 names the parameters it refuses, and only those asked about.
        assert set(body) <= set(names), (address, body)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"published_after": "2026-13-01"}, "published_after"),
        ({"published_before": "0001-01-01T00:00"}, "published_before"),
        ({"published_after": "9999-12-31T23:59"}, "published_after"),
        ({"page_size": "1000000"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "-5"}, "page_size"),
        ({"page_size": "1e309"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "W10"}, "cursor"),  # [] as a cursor
        ({"cursor": "WzEsMiwzXQ"}, "cursor"),  # [1,2,3]
        ({"cursor": "WzllOTksMV0"}, "cursor"),  # [9e99,1]
        ({"cursor": "Wzk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5LDFd"}, "cursor"),  # a time past all
        ({"cursor": "x" * 400}, "cursor"),
        ({"edition": "de"}, "edition"),
        ({"edition": "' OR 1=1 --"}, "edition"),
        ({"section": "рубрика"}, "section"),
        ({"section": "a", "tag": "b"}, "tag"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(api, newsroom, params, named):
    response = api.get("/api/v1/stories/", params)
    assert response.status_code == 400
    assert named in response.json()


@pytest.mark.parametrize("path", ["/api/v1/tags/", "/api/v1/authors/", "/api/v1/search/"])
def test_a_cursor_of_another_list_is_refused(api, newsroom, path):
    story_cursor = api.get("/api/v1/stories/", {"page_size": 1}).json()
    make_article()
    cursor = api.get("/api/v1/stories/", {"page_size": 1}).json()["next_cursor"] or "W10"
    assert story_cursor is not None
    assert api.get(path, {"cursor": cursor}).status_code == 400


@pytest.mark.parametrize("word", [*WORDS, *SQLISH, "<script>alert(1)</script>", ""])
def test_search_answers_any_words(api, newsroom, word):
    response = api.get("/api/v1/search/", {"q": word, "edition": "kk"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_a_nul_byte_anywhere_is_a_400_in_json(api, newsroom):
    for address in ["/api/v1/stories/?q=%00", "/api/v1/search/?q=a%00b", "/api/v1/tags/?x%00=1"]:
        response = api.get(address)
        assert response.status_code == 400
        assert response.json()["detail"]


def test_unknown_parameters_are_ignored(api, newsroom):
    assert api.get("/api/v1/stories/", {"utm_source": "x", "format": "xml"}).status_code == 200
