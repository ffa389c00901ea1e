"""PostgreSQL connections: pooled in each process, checked before use, and quick to give up."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_settings(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "NEWSROOM_DB_"))
    }
    environment |= {"DJANGO_SETTINGS_MODULE": "newsroom.settings", "DJANGO_SECRET_KEY": "x"}
    result = subprocess.run(
        [sys.executable, "-c", "import django, json; django.setup(); from django.conf import"
         " settings; print(json.dumps(settings.DATABASES['default'], default=str))"],
        cwd=ROOT, env=environment | env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


POSTGRES = "postgres://newsroom@db.internal:5432/newsroom"


def test_postgresql_connections_are_pooled_and_checked():
    database = database_settings(DATABASE_URL=POSTGRES)
    assert database["OPTIONS"]["pool"] == {
        "min_size": 1,
        "max_size": 2,
        "timeout": 2.0,
        "reconnect_timeout": 2.0,
    }
    # Django refuses a pool with persistent connections.
    assert database["CONN_MAX_AGE"] == 0
    # The pool checks a connection before lending it (Django passes this on).
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["connect_timeout"] == 2


def test_the_pool_size_and_wait_come_from_the_environment():
    database = database_settings(
        DATABASE_URL=POSTGRES, NEWSROOM_DB_POOL_SIZE="5", NEWSROOM_DB_POOL_TIMEOUT="0.5"
    )
    assert database["OPTIONS"]["pool"]["max_size"] == 5
    assert database["OPTIONS"]["pool"]["timeout"] == 0.5


def test_a_pool_size_of_zero_keeps_persistent_connections_instead():
    database = database_settings(DATABASE_URL=POSTGRES, NEWSROOM_DB_POOL_SIZE="0")
    assert "pool" not in database["OPTIONS"]
    assert database["CONN_MAX_AGE"] == 60


def test_a_connect_timeout_in_the_address_is_kept():
    database = database_settings(DATABASE_URL=POSTGRES + "?connect_timeout=7")
    assert database["OPTIONS"]["connect_timeout"] == 7


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEWSROOM_DB_POOL_SIZE", "two"),
        ("NEWSROOM_DB_POOL_SIZE", "2.5"),
        ("NEWSROOM_DB_POOL_SIZE", "-1"),
        ("NEWSROOM_DB_POOL_TIMEOUT", "soon"),
        ("NEWSROOM_DB_POOL_TIMEOUT", "-2"),
        ("NEWSROOM_DB_POOL_TIMEOUT", "nan"),
        ("NEWSROOM_DB_POOL_TIMEOUT", "inf"),
        ("NEWSROOM_DB_POOL_TIMEOUT", ""),
    ],
)
def test_a_pool_setting_that_is_not_a_number_stops_the_site_and_says_which(name, value):
    with pytest.raises(subprocess.CalledProcessError) as failure:
        database_settings(DATABASE_URL=POSTGRES, **{name: value})
    assert f"{name} must be" in failure.value.stderr


def test_sqlite_is_left_as_it_was():
    database = database_settings(NEWSROOM_VAR_DIR="/tmp/newsroom-settings-test")
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert "pool" not in database["OPTIONS"]
    assert "connect_timeout" not in database["OPTIONS"]


@pytest.mark.django_db
def test_the_running_suite_on_postgresql_uses_the_pool():
    if connection.vendor != "postgresql":
        pytest.skip("the pool is PostgreSQL's; this run is on SQLite")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert connection.pool is not None
    # tests/settings.py: one for each of the live server's threads
    assert connection.pool.max_size == 8
