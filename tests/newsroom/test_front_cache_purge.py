"""
The app empties nginx's cache folder (NEWSROOM_FRONT_CACHE_DIR) on every change
readers could see, and touches nothing there that nginx did not write.
"""

import logging
import os
import time
from datetime import timedelta

import pytest
from django.test.signals import template_rendered
from django.utils import timezone

from articles import caching
from newsroom import frontcache
from tests.factories import make_article, make_section
from tests.processes import wait_for

KEY = "0123456789abcdef0123456789abcdef"


def nginx_entry(folder, key=KEY):
    """A page as nginx keeps it with levels=1:2: <last digit>/<two before it>/<key>."""
    path = folder / key[-1] / key[-3:-1] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"KEY: http127.0.0.1/\n...")
    return path


@pytest.fixture
def folder(tmp_path, settings, monkeypatch):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    settings.NEWSROOM_FRONT_CACHE_DIR = str(cache_dir)
    # The second sweep is the subject of one test only.
    monkeypatch.setattr(frontcache, "SETTLE_SECONDS", 0.2)
    return cache_dir


def leftovers(folder):
    try:
        return sorted(
            str(path.relative_to(folder))
            for path in folder.rglob("*")
            if path.is_file() and not path.is_symlink() and path.name != frontcache.MARKER
        )
    except FileNotFoundError:
        return None  # the background deletion is still going; look again


def test_a_purge_makes_every_kept_page_unreachable_at_once_and_then_deletes_it(folder):
    nginx_entry(folder)
    nginx_entry(folder, "fedcba9876543210fedcba9876543210")
    (folder / KEY).write_bytes(b"a cache without levels")

    assert frontcache.purge(str(folder))

    # Renamed away before the call returns: nginx finds no page under its key.
    assert not any(
        frontcache.LEVEL.fullmatch(path.name) for path in folder.iterdir() if path.is_dir()
    )
    assert not (folder / KEY).exists()
    assert wait_for(lambda: not list(folder.iterdir()))


def test_a_purge_leaves_alone_what_nginx_did_not_write(folder, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me")
    # A link named like a level folder, to a folder that is not the cache's.
    (folder / "a").symlink_to(outside, target_is_directory=True)
    (folder / "0b.txt").symlink_to(outside / "precious.txt")
    (folder / "notes.txt").write_text("an operator's note")
    (folder / "abc").mkdir()  # three digits: not a level folder
    (folder / "abc" / KEY).write_text("not ours to delete")
    nginx_entry(folder)

    frontcache.purge(str(folder))

    assert wait_for(lambda: leftovers(folder) == ["abc/" + KEY, "notes.txt"])
    assert (folder / "a").is_symlink() and (folder / "0b.txt").is_symlink()
    assert (outside / "precious.txt").read_text() == "keep me"


def test_a_purge_finishes_what_an_interrupted_one_left(folder):
    trash = folder / f"{frontcache.TRASH}left-by-a-killed-worker"
    (trash / "3" / "21").mkdir(parents=True)
    (trash / "3" / "21" / KEY).write_text("old page")

    frontcache.purge(str(folder))

    assert wait_for(lambda: not trash.exists())


def test_old_pages_that_cannot_be_deleted_are_logged(folder, monkeypatch, caplog):
    # As when nginx made its folders for a user the app does not run as.
    monkeypatch.setattr(frontcache.shutil, "rmtree", lambda path, ignore_errors: None)
    nginx_entry(folder)
    with caplog.at_level(logging.WARNING, logger="newsroom.frontcache"):
        frontcache.purge(str(folder))
        assert wait_for(lambda: "cannot be deleted" in caplog.text)


def test_a_missing_folder_is_logged_not_raised(tmp_path, caplog):
    with caplog.at_level(logging.ERROR, logger="newsroom.frontcache"):
        assert frontcache.purge(str(tmp_path / "no-such-folder")) is False
    assert "cannot be emptied" in caplog.text


def test_each_state_empties_the_folder_once_however_many_workers_hear_it(folder):
    first = nginx_entry(folder)
    assert frontcache.purge_for("state-1")
    assert not first.exists()

    again = nginx_entry(folder)
    # Another worker on the machine hears the same state: the folder is already empty of it.
    assert frontcache.purge_for("state-1") is False
    assert again.exists()

    assert frontcache.purge_for("state-2")
    assert not again.exists()


def test_a_page_that_reaches_nginx_just_after_the_purge_is_swept_a_moment_later(folder):
    frontcache.purge_for("state-1")
    late = nginx_entry(folder)  # made under the old state, stored after the purge
    assert wait_for(lambda: not late.exists(), seconds=2)


def test_without_a_front_cache_nothing_is_touched(folder, settings):
    entry = nginx_entry(folder)
    settings.NEWSROOM_FRONT_CACHE_DIR = ""
    assert frontcache.purge_for("state-1") is False
    assert frontcache.purge_for(None) is False
    assert entry.exists()


@pytest.mark.django_db
def test_a_change_readers_can_see_empties_the_front_cache(folder):
    section = make_section()
    make_article("Опубликованный материал", section=section)
    time.sleep(frontcache.SETTLE_SECONDS + 0.1)  # the second sweep of that change is over
    entry = nginx_entry(folder)
    make_article("Черновик", section=section, published=False)
    time.sleep(frontcache.SETTLE_SECONDS + 0.1)
    assert entry.exists(), "a draft changes nothing readers see"

    make_article("Ещё один опубликованный материал", section=section)
    assert not entry.exists()


@pytest.mark.django_db
def test_a_story_scheduled_sooner_than_the_kept_pages_expire_empties_the_front_cache(folder):
    section = make_section()
    make_article("Опубликованный материал", section=section)
    caching.site_state()
    time.sleep(frontcache.SETTLE_SECONDS + 0.1)
    entry = nginx_entry(folder)
    # nginx keeps pages for their s-maxage, and would serve them past the story's moment.
    make_article(
        "Запланированный", section=section, published_at=timezone.now() + timedelta(minutes=2)
    )
    assert not entry.exists()


@pytest.mark.django_db
def test_a_page_made_while_the_site_changed_tells_a_front_cache_not_to_keep_it(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    make_article("Материал")
    client.get("/")  # the site's state is drawn

    def change_meanwhile(**kwargs):
        template_rendered.disconnect(change_meanwhile)
        caching._new_state()  # another worker publishes while this page is made

    template_rendered.connect(change_meanwhile)
    try:
        response = client.get("/?page=1")
    finally:
        template_rendered.disconnect(change_meanwhile)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]

    settled = client.get("/?page=1")
    assert "no-cache" not in settled["Cache-Control"]
    assert "s-maxage=" in settled["Cache-Control"]


def test_the_marker_is_written_whole(folder):
    frontcache.purge_for("state-1")
    assert (folder / frontcache.MARKER).read_text() == "state-1"
    assert [name for name in os.listdir(folder) if name.startswith(frontcache.MARKER + ".")] == []
