import pytest

from tests.factories import make_staff


@pytest.fixture(autouse=True)
def russian_site(settings):
    # The site's language, whatever the machine running the tests speaks.
    settings.LANGUAGE_CODE = "ru"


@pytest.fixture(autouse=True)
def fresh_cache():
    # The cache holds the site's state (articles/caching.py): each test's
    # database starts empty, so its cache does too.
    from django.core.cache import cache

    from articles import caching

    cache.clear()
    caching._last_state[:] = [None, 0.0]


# The newsroom's people, one in each role (and a second where two must differ).


@pytest.fixture
def editor(db):
    return make_staff("aigerim", "Editors", "Айгерим Нұрланқызы")


@pytest.fixture
def reporter(db):
    return make_staff("irina", "Reporters", "Ирина Капитанова")


@pytest.fixture
def other_reporter(db):
    return make_staff("daniyar", "Reporters", "Данияр Сейітқали")


@pytest.fixture
def photographer(db):
    return make_staff("daniyar", "Photographers", "Данияр Сейітқали")


@pytest.fixture
def other_photographer(db):
    return make_staff("aigul", "Photographers", "Айгүл Қасымова")
