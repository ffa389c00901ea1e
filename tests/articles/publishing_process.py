"""
An editor's request to publish a story, in a process of its own that is killed
(SIGKILL: no goodbye, no rollback of its own) at a chosen moment of the save.
Run by tests/articles/test_publish_killed.py on the test database.
"""

import json
import os
import signal
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from django.db.models.signals import post_save  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from articles.models import Article, Byline  # noqa: E402
from newsroom.models import User  # noqa: E402

MOMENTS = {"story row written": Article, "byline written": Byline}


def die(sender, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def main(moment, editor_id, form):
    setup_test_environment()  # the test client's host name, as in the tests
    post_save.connect(die, sender=MOMENTS[moment], weak=False)
    client = Client()
    client.force_login(User.objects.get(pk=editor_id))
    client.post("/admin/articles/article/add/", form)
    sys.exit("the process was not killed: the moment never came")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), json.loads(sys.stdin.read()))
