"""Production is the default: no debugging, and no start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_django(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment |= {"DJANGO_SETTINGS_MODULE": "newsroom.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
         " print(settings.DEBUG, settings.TIME_ZONE, settings.LANGUAGE_CODE)"],
        cwd=ROOT, env=environment, capture_output=True, text=True,
    )  # fmt: skip


def test_site_refuses_to_start_without_a_secret_key():
    result = start_django()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert start_django(DJANGO_SECRET_KEY="x").stdout.split() == ["False", "Asia/Almaty", "ru"]
    assert start_django(DJANGO_DEBUG="1").stdout.split()[0] == "True"
