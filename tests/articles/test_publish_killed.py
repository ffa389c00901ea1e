"""
A web worker killed in the middle of publishing (out of memory, a deploy gone
wrong) leaves the story fully published or not at all: the admin saves a story,
its bylines and tags in one transaction, and a dead process never commits it.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from articles.models import Article, Byline, Tag, TaggedArticle
from tests.articles.test_admin import ADD_STORY, story_form
from tests.factories import make_editor
from tests.processes import database_url_for_processes

# Serialized: the rows the migrations made come back as they were, same ids, so a
# later test that restores them (tests/media/test_portrait_migration.py) finds no
# content types that a flush made again under other ids.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]
HEADLINE = "Токаев встретился с главой МККК"


def publish_in_a_process_killed_when(moment, editor, form):
    env = os.environ | {
        "DATABASE_URL": database_url_for_processes(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    return subprocess.run(
        [sys.executable, "-m", "tests.articles.publishing_process", moment, str(editor.pk)],
        input=json.dumps(form), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("moment", ["story row written", "byline written"])
def test_a_worker_killed_while_publishing_leaves_no_part_of_the_story(client, moment):
    editor = make_editor()
    form = story_form()
    done = publish_in_a_process_killed_when(moment, editor, form)
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr
    # Nothing of it was committed: no story, byline, tag or tag link; readers see nothing.
    assert not Article.objects.exists()
    assert not Byline.objects.exists()
    assert not TaggedArticle.objects.exists()
    assert not Tag.objects.filter(name="МККК").exists()
    assert HEADLINE not in client.get("/").content.decode()
    # The editor saves again, and the story is published whole.
    client.force_login(editor)
    assert client.post(ADD_STORY, form).status_code == 302
    story = Article.objects.get()
    assert story.is_published and story.bylines.count() == 1 and story.tags.count() == 2
    client.logout()
    assert HEADLINE in client.get("/").content.decode()
