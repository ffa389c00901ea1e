"""Security headers on readers' pages (fresh and cached), the admin, and under HTTPS."""

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def policy(response):
    return dict(
        (part.split()[0], part.split()[1:])
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )


def test_a_story_page_runs_no_inline_script_or_style(client):
    story = make_article()
    response = client.get(story.get_absolute_url())
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    html = response.content.decode()
    # The only script element is structured data, which is never run.
    assert re.findall(r"<script[^>]*>", html) == ['<script type="application/ld+json">']
    assert not re.search(r"\son[a-z]+\s*=", html), "no inline event handlers"
    assert not re.search(r"\sstyle\s*=", html), "no inline styles"


def test_every_reader_template_is_free_of_inline_script_and_style():
    for template in (ROOT / "templates").rglob("*.html"):
        if "admin" in template.parts:
            continue
        text = template.read_text()
        for script in re.findall(r"<script[^>]*>", text):
            assert "src=" in script or "ld+json" in script, template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert not re.search(r"\sstyle\s*=", text), template


def test_a_cached_page_carries_the_same_headers(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600
    make_article()
    fresh = client.get("/")
    cached = client.get("/")
    for header in ("Content-Security-Policy", "Permissions-Policy", "Referrer-Policy"):
        assert cached[header] == fresh[header]


def test_the_admin_allows_inline_styles_but_no_inline_scripts(client, editor):
    client.force_login(editor)
    response = client.get("/admin/articles/article/add/")
    csp = policy(response)
    assert "'unsafe-inline'" in csp["style-src"]
    assert "camera=()" in response["Permissions-Policy"]
    html = response.content.decode()
    for script in re.findall(r"<script[^>]*>", html):
        assert "src=" in script or "json" in script or "importmap" in script, script
    # The text editor's import map is allowed by its hash, and nothing else inline.
    (importmap,) = re.findall(r'<script type="importmap"[^>]*>(.*?)</script>', html, re.S)
    digest = base64.b64encode(hashlib.sha256(importmap.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp["script-src"]
    assert "'unsafe-inline'" not in csp["script-src"]


def production(**extra):
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_SECRET_KEY": "k" * 20 + "QpZx8-Lr2_Vt9sWm4Yc7Nb1Hj6Gf3Dk5Ae0Xu",
        "DJANGO_HTTPS": "1",
        "DJANGO_ALLOWED_HOSTS": "news.example.kz",
        "NEWSROOM_VAR_DIR": str(ROOT / "var"),
        **extra,
    }


def test_check_deploy_is_silent_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_hsts_and_secure_cookies_under_https():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE)"
    )
    env = production()
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True", "Lax"], result.stderr
