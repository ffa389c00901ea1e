"""
API answers carry the site's security headers; they are JSON only, and the
browsable pages exist only when debugging, where the CSP still runs no inline
script.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_json_answers_carry_the_security_headers(api):
    response = api.get("/api/v1/stories/", HTTP_ACCEPT=BROWSER)
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_browser_gets_json_when_not_debugging(api):
    response = api.get("/api/v1/", HTTP_ACCEPT=BROWSER)
    assert response["Content-Type"] == "application/json"
    json.loads(response.content)


def browsable_page(tmp_path):
    """The API's index as a browser asks for it, from a debugging site in another process."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "1",
        "NEWSROOM_VAR_DIR": str(tmp_path),
    }
    script = (
        "import django, json; django.setup(); from django.test import Client;"
        f" r = Client(HTTP_HOST='localhost').get('/api/v1/', HTTP_ACCEPT={BROWSER!r});"
        " print(json.dumps({'type': r['Content-Type'], 'csp': r['Content-Security-Policy'],"
        " 'body': r.content.decode()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_browsable_api_is_there_when_debugging_and_runs_no_inline_script(tmp_path):
    page = browsable_page(tmp_path)
    assert page["type"].startswith("text/html")
    assert "story-list" in page["body"]
    directives = dict(part.strip().split(" ", 1) for part in page["csp"].split(";"))
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" in directives["style-src"]
