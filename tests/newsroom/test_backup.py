"""
`manage.py backup DIR` and `manage.py restore DIR`, as an operator runs them:
the restore goes into a new, empty database and empty storage (a process of its
own, configured by the environment), and the restored site holds every story,
revision, photo, rendition and portrait, byte for byte. PostgreSQL when
DATABASE_URL is set (pg_dump, pg_restore), SQLite otherwise.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import reversion
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from articles.models import Article
from media.imaging import drawn_landscape
from media.specs import SHARE_SPEC, parse
from tests.factories import make_article, make_author, make_photo
from tests.newsroom.inventory import inventory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def site_tables(transactional_db):
    """
    The rows migrations make that a site needs: after the browser tests' flush
    the content types (which every revision names) are gone while Django's
    cache still holds their ids, and a revision saved then breaks a foreign key.
    """
    from django.apps import apps
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)


def make_site():
    """Stories with revisions (one deleted, recoverable), photos, renditions, a portrait."""
    author = make_author("Ирина Капитанова")
    photo = make_photo()
    big = make_photo(drawn_landscape(3000, 2000, seed=3), "big.jpg")
    big.make_renditions([SHARE_SPEC, parse("16x9-640.webp"), parse("original-320.jpg")])
    with reversion.create_revision():
        reversion.set_comment("Первая версия")
        story = make_article("Акимат ответил", authors=[author], lead_photo=big, tags=["город"])
    with reversion.create_revision():
        story.title = "Акимат ответил на вопросы"
        story.save()
    with reversion.create_revision():
        make_article("Черновик", published=False, lead_photo=photo)
    with reversion.create_revision():
        deleted = make_article("Удалю по ошибке")
    deleted.delete()


def site_process(var_dir, database_url, *args, storage_url=None):
    """manage.py in a process of its own, on the database and storage its environment names."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "NEWSROOM_", "REDIS_URL", "AWS_"))
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_SECRET_KEY": "only-for-tests",
        "NEWSROOM_VAR_DIR": str(var_dir),
    }
    if database_url:
        environment["DATABASE_URL"] = database_url
    if storage_url:
        environment["NEWSROOM_STORAGE_URL"] = storage_url
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


@pytest.fixture
def empty_database():
    """A new database with nothing in it: a PostgreSQL database, or no SQLite file yet."""
    if connection.vendor != "postgresql":
        yield None
        return
    import psycopg

    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored"
    address = {
        "host": settings["HOST"],
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **address) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    yield (f"postgres://{settings['USER']}{password}@{address['host']}:{address['port']}/{name}")
    with psycopg.connect(dbname="postgres", autocommit=True, **address) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_site_with_every_story_photo_rendition_and_revision(
    tmp_path, empty_database, site_tables
):
    make_site()
    before = json.loads(json.dumps(inventory()))
    assert len(before["revisions"]) >= 4 and before["renditions"] and before["portraits"]
    assert any(photo[4] for photo in before["photos"]), "a working copy is backed up too"

    backup = tmp_path / "backup"
    call_command("backup", str(backup))

    restored = tmp_path / "restored-var"
    result = site_process(restored, empty_database, "manage.py", "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert "Restored the backup" in result.stdout

    after = site_process(restored, empty_database, "-m", "tests.newsroom.inventory")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == before
    assert (restored / "uploads" / "renditions").is_dir(), "the new site's own storage"

    again = site_process(restored, empty_database, "manage.py", "restore", str(backup))
    assert again.returncode != 0
    assert "The database is not empty" in again.stderr, "a restore never lands on a site"

    # Unless told to: the same backup over the restored site leaves it as the backup.
    replaced = site_process(
        restored, empty_database, "manage.py", "restore", "--replace", str(backup)
    )
    assert replaced.returncode == 0, replaced.stderr
    after = site_process(restored, empty_database, "-m", "tests.newsroom.inventory")
    assert json.loads(after.stdout) == before


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_restores_nothing(tmp_path, empty_database, site_tables):
    make_site()
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    damaged = manifest["files"]["originals"][0]["name"]
    path = backup / "files" / "originals" / damaged
    path.write_bytes(path.read_bytes()[:-10])

    restored = tmp_path / "restored-var"
    result = site_process(restored, empty_database, "manage.py", "restore", str(backup))
    assert result.returncode != 0
    assert f"originals/{damaged}" in result.stderr
    assert not any((restored / "uploads").rglob("*")), "no file restored"
    assert not any((restored / "originals").rglob("*"))
    if empty_database is None:
        assert not (restored / "db.sqlite3").exists() or _tables(restored / "db.sqlite3") == []


def _tables(path):
    import sqlite3

    with sqlite3.connect(path) as database:
        return database.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()


@pytest.mark.django_db
def test_a_restore_onto_a_site_that_holds_stories_is_refused(tmp_path, settings):
    make_article("Уже на сайте")
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(backup))
    assert Article.objects.get().title == "Уже на сайте"


@pytest.mark.django_db
def test_a_backup_never_writes_into_a_folder_that_holds_files(tmp_path):
    (tmp_path / "old-backup.txt").write_text("an older backup")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path))
    assert [path.name for path in tmp_path.iterdir()] == ["old-backup.txt"]


@pytest.mark.django_db
def test_a_folder_without_a_manifest_is_not_restored(tmp_path):
    (tmp_path / "database.sqlite3").write_bytes(b"")
    with pytest.raises(CommandError, match="not a whole backup"):
        call_command("restore", str(tmp_path))


@pytest.mark.django_db(transaction=True)
def test_a_site_on_object_storage_is_restored_into_new_buckets_public_and_private_as_before(
    tmp_path, empty_database, object_storage, s3_server, site_tables
):
    make_site()
    before = json.loads(json.dumps(inventory()))
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    assert (backup / "files" / "originals" / before["photos"][0][3][0]).is_file()

    public, private = "restored-public", "restored-originals"
    for bucket in (public, private):
        object_storage["client"].create_bucket(Bucket=bucket)
    host = s3_server.removeprefix("http://")
    url = f"s3://test:test@{host}/{public}?originals={private}&secure=0&region=us-east-1"
    restored = tmp_path / "restored-var"
    result = site_process(
        restored, empty_database, "manage.py", "restore", str(backup), storage_url=url
    )
    assert result.returncode == 0, result.stderr
    after = site_process(
        restored, empty_database, "-m", "tests.newsroom.inventory", storage_url=url
    )
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == before
    assert not (restored / "uploads").exists(), "nothing went to local disk"

    rendition, original = before["renditions"][0][2][0], before["photos"][0][3][0]
    assert urlopen_status(f"{s3_server}/{public}/{rendition}") == 200
    assert urlopen_status(f"{s3_server}/{private}/{original}") == 403, "originals stay private"


def urlopen_status(url):
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db
def test_a_backup_of_the_other_kind_of_database_is_refused_even_with_replace(tmp_path):
    make_article("Уже на сайте")
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    manifest["database"]["engine"] = other
    (backup / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match=f"The backup holds a {other} database"):
        call_command("restore", str(backup), "--replace")
    assert Article.objects.get().title == "Уже на сайте"
