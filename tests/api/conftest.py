import pytest
from rest_framework.test import APIClient

from articles.caching import site_state


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def warm(db):
    """The site's state drawn (one query for the next scheduled story), as on a running site."""
    return site_state()


def get(api, path, **params):
    response = api.get(path, params)
    assert response.status_code == 200, (path, params, response.content[:500])
    return response.json()


def ids(page):
    return [story["id"] for story in page["results"]]
