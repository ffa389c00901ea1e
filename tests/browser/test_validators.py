"""
Every kind of public page passes the standard validators: the Nu Html Checker
(no errors) and axe-core in Chromium (no WCAG 2.2 A/AA violations, target size included), in each
language edition.

The validators come from package.json (npm install); Java runs the checker.
Without them the tests skip and say why, except in CI, where they fail.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.translation import get_language_from_path

from articles.models import Article, Reading, Tag, author_pages, reading_hour
from newsroom.models import Author
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def require(path, how):
    if path and Path(path).exists():
        return
    reason = f"{path or 'java'} is missing ({how})"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the validators, but {reason}")
    pytest.skip(reason)


@pytest.fixture
def public_pages(live_server):
    """One page of every kind, in every edition, from the demo newsroom."""
    call_command("load_demo", "--no-editor", verbosity=0)
    # Readings, so that every rail shows its most read too.
    for rank, story in enumerate(Article.objects.published().order_by("-published_at")[:12]):
        Reading.add(story.pk, reading_hour(), 50 - rank)
    pages = []
    for language in ("ru", "kk", "en"):
        prefix = "" if language == "ru" else f"/{language}"
        story = Article.objects.published().filter(language=language, lead_photo__isnull=False)
        story = story.order_by("-published_at").first()
        tag = Tag.objects.filter(tagged_articles__content_object=story).first()
        pages += [
            f"{prefix}/",
            # Owners with a published story of this edition: only those have a page here.
            f"{prefix}/{story.section.slug}/",
            story.get_absolute_url(),
            f"{prefix}/tags/{tag.slug}/",
            f"{prefix}/authors/{author_pages(language).order_by('pk').first().slug}/",
            f"{prefix}/search/?q=" + ("помощи" if language == "ru" else "Тоқаев"),
            f"{prefix}/search/?q=",
            f"{prefix}/no-such-page/",
        ]
    pages.append(f"/authors/{Author.objects.get(name='Данияр Сейітқали').slug}/")
    return [(live_server.url, path) for path in dict.fromkeys(pages)]


def test_every_public_page_is_valid_html(public_pages, client, tmp_path):
    require(shutil.which("java"), "install a Java runtime")
    require(VNU, "run npm install")
    files = []
    for number, (_base, path) in enumerate(public_pages):
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        if path == "/":
            assert b"most-read-list" in response.content, "the rail's most read is checked too"
        file = tmp_path / f"page-{number}.html"
        file.write_bytes(response.content)
        files.append((file, path))
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *(str(f) for f, _ in files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # The checker reports as JSON even when it finds nothing; anything else is its failure.
    messages = json.loads(result.stderr)["messages"]
    names = {file.name: path for file, path in files}
    errors = [
        f"{names.get(message.get('url', '').rsplit('/', 1)[-1])}: {message['message']} "
        f"«{message.get('extract', '').strip()[:80]}»"
        for message in messages
    ]
    assert not errors, "\n".join(errors)


def test_every_public_page_has_no_accessibility_violations(public_pages, browser):
    require(AXE, "run npm install")
    # axe-core is added to each page as an inline script, which the site's
    # Content-Security-Policy rightly refuses: the checker, not the page, bypasses it.
    context = browser.new_context(bypass_csp=True, locale="ru-RU")
    page = context.new_page()
    problems = []
    for base, path in public_pages:
        for width in (390, 1280):  # a phone and a desktop
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(base + path)
            if not path.startswith(("/kk/", "/en/")):
                # Every page type of the Russian edition at both widths, for a person to see.
                SCREENSHOTS.mkdir(exist_ok=True)
                name = re.sub(r"\W+", "-", path).strip("-")[:60] or "front"
                page.screenshot(path=SCREENSHOTS / f"reader-{name}-{width}.png", full_page=True)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
            )
            for violation in result["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(
                    f"{path} at {width}px: {violation['id']}: {violation['help']} {targets}"
                )
    context.close()
    assert not problems, "\n".join(problems)


def test_every_public_page_works_without_javascript(public_pages, browser):
    sections = {
        code: Article.objects.published().in_language(code).owners().count()
        for code in ("ru", "kk", "en")
    }
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        for base, path in public_pages:
            response = page.goto(base + path)
            assert response.status in {200, 404}, path
            # Each edition's navigation lists its sections that have published stories.
            language = get_language_from_path(path) or "ru"
            assert page.locator("nav.sections a").count() == sections[language] >= 2, path
            assert page.locator("form[role=search] input[name=q]").count() >= 1, path
    finally:
        context.close()
