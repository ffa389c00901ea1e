"""
Browser tests: Playwright's Python package drives Debian's Chromium.

Nothing is downloaded: the browser is the one at /usr/bin/chromium (or
NEWSROOM_CHROMIUM). Without it the tests skip and say why, except in CI,
where a skipped browser test would be a lie, so they fail instead.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
# Chromium reaching for Google's hosts at start fails on a closed network and
# slows every launch; these flags keep it to the page under test.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _unavailable():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright's Python package is not installed (pip install -r requirements-dev.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (on Debian: apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _unavailable()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests, but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the
    # tests make around it are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="ru-RU", timezone_id="Asia/Almaty", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """Save what the browser showed, for a person to look at (test-artifacts/)."""

    def take(name):
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{request.node.name}-{name}.png", full_page=True)

    return take


@pytest.fixture(autouse=True)
def newsroom_roles(transactional_db):
    """The groups the data migrations made: a transactional test's flush removes them."""
    from importlib import import_module

    from django.apps import apps

    for migration in ("newsroom.migrations.0002_roles", "newsroom.migrations.0003_reporters"):
        import_module(migration).create_roles(apps, None)
    for migration in (
        "articles.migrations.0007_role_permissions",
        "media.migrations.0003_role_permissions",
    ):
        import_module(migration).grant(apps, None)
