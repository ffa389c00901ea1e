import pytest


@pytest.fixture(autouse=True)
def russian_site(settings):
    # The site's language, whatever the machine running the tests speaks.
    settings.LANGUAGE_CODE = "ru"
