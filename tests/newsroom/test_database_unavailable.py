"""While the database is away: a 503 page in the reader's language, fast, and never a 500."""

import json
import shutil
import sqlite3
import subprocess
import time
from contextlib import contextmanager
from unittest import mock

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError, connection
from django.test import Client

from project.middleware import DatabaseUnavailableMiddleware, database_unavailable
from tests.factories import make_article, make_editor

TITLES = {
    "": "Сайт ненадолго недоступен",
    "/kk": "Сайт уақытша қолжетімсіз",
    "/en": "The site is briefly unavailable",
}


@pytest.fixture(autouse=True)
def no_pause():
    # The pause is this process's memory of a failure: no test inherits another's.
    DatabaseUnavailableMiddleware.paused_until = 0.0
    yield
    DatabaseUnavailableMiddleware.paused_until = 0.0


def refused():
    """What Django raises when PostgreSQL is stopped: a psycopg error with no SQLSTATE."""
    try:
        raise psycopg.OperationalError("connection failed: Connection refused")
    except psycopg.Error as error:
        raise OperationalError(str(error)) from error


@contextmanager
def database_down():
    with mock.patch.object(connection, "cursor", side_effect=lambda *a, **k: refused()) as cursor:
        yield cursor


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/kk", "/en"])
def test_the_front_page_is_503_in_the_language_of_its_address(client, prefix):
    with database_down():
        response = client.get(f"{prefix}/")
    assert response.status_code == 503
    page = response.content.decode()
    assert TITLES[prefix] in page
    assert f'<html lang="{prefix.strip("/") or "ru"}">' in page
    assert f'<a href="{prefix}/">' in page
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/kk", "/en"])
def test_a_story_is_503_in_the_language_of_its_address(client, prefix):
    story = make_article(language=prefix.strip("/") or "ru")
    url = story.get_absolute_url()
    with database_down():
        response = client.get(url)
    assert response.status_code == 503
    assert TITLES[prefix] in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/kk", "/en"])
def test_the_admin_is_503_not_500(client, prefix):
    client.force_login(make_editor())
    with database_down():
        response = client.get(f"{prefix}/admin/articles/article/")
    assert response.status_code == 503
    assert TITLES[prefix] in response.content.decode()


@pytest.mark.django_db
def test_one_line_is_logged_without_the_share_links_token(caplog):
    # A forged token is refused without a query; the 404 page's navigation then
    # asks the database, outside the view: the 500 handler answers 503.
    token = "c2VjcmV0LXN0b3J5:1tQx9Z:abcDEF0123456789"
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get(f"/preview/{token}/")
    assert response.status_code == 503
    lines = [record for record in caplog.records if record.levelname != "DEBUG"]
    assert [record.name for record in lines] == ["project.middleware"]
    assert token not in caplog.text
    assert "/preview/<token>/" in caplog.text
    assert "Connection refused" in caplog.text


@pytest.mark.django_db
def test_after_a_failure_requests_are_answered_at_once_then_the_database_is_tried_again(
    client, monkeypatch
):
    monkeypatch.setattr(DatabaseUnavailableMiddleware, "PAUSE_SECONDS", 0.2)
    with database_down() as cursor:
        assert client.get("/").status_code == 503
        tried = cursor.call_count
        # Within the pause nothing waits on the database: no request touches it.
        assert client.get("/en/").status_code == 503
        assert cursor.call_count == tried
    time.sleep(0.25)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_page_cache_asking_for_the_site_state_gets_the_503_page_too(client, settings):
    # The page cache runs before any view: a missing site state is read from the
    # database there, where only the 500 handler sees the error.
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get("/kk/")
    assert response.status_code == 503
    assert TITLES["/kk"] in response.content.decode()


@pytest.mark.django_db
def test_a_query_the_database_refuses_is_still_a_server_error(client):
    # A missing table is a bug to fix, not an outage to wait out.
    def broken(*args, **kwargs):
        try:
            sqlite3.connect(":memory:").execute("SELECT * FROM missing")
        except sqlite3.Error as error:
            raise OperationalError(str(error)) from error

    client = Client(raise_request_exception=False)
    with mock.patch.object(connection, "cursor", side_effect=broken):
        response = client.get("/")
    assert response.status_code == 500
    assert DatabaseUnavailableMiddleware.paused_until == 0.0


def real_error(action):
    try:
        action()
    except Exception as error:
        try:
            raise OperationalError(str(error)) from error
        except OperationalError as wrapped:
            return wrapped


def test_a_stopped_postgresql_is_unavailable():
    # Nothing listens on this port of ours: the refusal psycopg raises for real.
    error = real_error(lambda: psycopg.connect("host=127.0.0.1 port=8349 connect_timeout=1"))
    assert isinstance(error.__cause__, psycopg.OperationalError)
    assert database_unavailable(error)


@pytest.mark.parametrize(
    ("sqlstate", "unavailable"),
    [
        ("57P01", True),  # admin_shutdown: the server is stopping
        ("57P03", True),  # cannot_connect_now: starting up
        ("08006", True),  # connection_failure
        ("57014", False),  # query_canceled: a statement timeout
        ("40P01", False),  # deadlock_detected
    ],
)
def test_postgresqls_own_errors_are_told_apart(sqlstate, unavailable):
    error = real_error(lambda: (_ for _ in ()).throw(psycopg.errors.lookup(sqlstate)("x")))
    assert database_unavailable(error) is unavailable


def test_sqlites_missing_file_is_unavailable_and_its_missing_table_is_not(tmp_path):
    missing_file = real_error(lambda: sqlite3.connect(tmp_path / "no" / "such" / "db.sqlite3"))
    assert database_unavailable(missing_file)
    missing_table = real_error(lambda: sqlite3.connect(":memory:").execute("SELECT * FROM x"))
    assert not database_unavailable(missing_table)


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (InterfaceError("connection already closed"), True),
        (OperationalError("server closed the connection unexpectedly"), True),
        (ProgrammingError("syntax error"), False),
        (ValueError("not a database error"), False),
        (None, False),
    ],
)
def test_other_errors_are_told_apart(error, unavailable):
    assert database_unavailable(error) is unavailable


@pytest.mark.django_db
def test_static_files_are_served_while_the_database_is_away(client):
    DatabaseUnavailableMiddleware.paused_until = time.monotonic() + 60
    with database_down():
        response = client.get("/static/newsroom/site.css")
        page = client.get("/")
    assert response.status_code == 200
    assert page.status_code == 503


@pytest.mark.django_db
def test_the_503_page_is_valid_html_in_every_edition(client, tmp_path):
    # The checker and its rules are the browser tests' (tests/browser/test_validators.py).
    from tests.browser.test_validators import VNU, require

    require(shutil.which("java"), "install a Java runtime")
    require(VNU, "run npm install")
    files = []
    for prefix in TITLES:
        DatabaseUnavailableMiddleware.paused_until = time.monotonic() + 60
        file = tmp_path / f"503{prefix.replace('/', '-')}.html"
        file.write_bytes(client.get(f"{prefix}/").content)
        files.append(str(file))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert json.loads(result.stderr)["messages"] == []
