"""
A breaking story, in real browsers: an editor updates it three times while a
reader keeps reloading it. The reader only ever sees published versions, and a
scheduled correction appears at its moment without anyone saving anything.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.browser.test_photo_desk import sign_in
from tests.factories import make_article, make_section, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VERSIONS = [
    "Паводок в Петропавловске: вода подступила к мосту",
    "Паводок в Петропавловске: эвакуированы жители трёх улиц",
    "Паводок в Петропавловске: вода начала спадать",
    "Паводок в Петропавловске: вода спала, школы откроются в понедельник",
]
HALF_DONE = "Паводок в Петропавловске: ЧЕРНОВИК ПРАВКИ"
CORRECTION = "Уточнено число эвакуированных улиц: три, а не пять."


def test_an_editor_updates_a_live_story_while_a_reader_reloads_it(live_server, browser):
    from playwright.sync_api import expect

    make_staff("aigerim", "Editors", "Айгерим Нұрланқызы")
    story = make_article(
        VERSIONS[0],
        section=make_section("Происшествия", slug="proisshestviya"),
        lead="Уровень воды в Ишиме поднялся за ночь на полметра.",
        published_at=timezone.now() - timedelta(minutes=30),
    )

    def person(username=None):
        context = browser.new_context(
            locale="ru-RU", timezone_id="Asia/Almaty", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        if username:
            sign_in(page, live_server, username)
        return page

    editor, reader = person("aigerim"), person()
    story_url = live_server.url + story.get_absolute_url()
    seen = []

    def reader_reloads():
        assert reader.goto(story_url).status == 200
        headline = reader.locator("h1").inner_text()
        seen.append(headline)
        assert HALF_DONE not in reader.content()
        return headline

    def open_working_copy():
        editor.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        expect(editor.locator(".version-note.live")).to_contain_text("Это опубликованная версия")
        editor.get_by_role("button", name="Править в рабочей копии").click()
        expect(editor.locator(".version-note")).to_contain_text("Это рабочая копия")

    assert reader_reloads() == VERSIONS[0]

    # Updates one and two: saved half-done first, then published.
    for number in (1, 2):
        open_working_copy()
        editor.fill("#id_title", HALF_DONE)
        editor.locator("input[name=_continue]").click()
        expect(editor.locator(".messagelist .success")).to_be_visible()
        assert reader_reloads() == VERSIONS[number - 1]
        editor.fill("#id_title", VERSIONS[number])
        editor.locator("input[name=_publish_changes]").click()
        expect(editor.locator(".messagelist .success")).to_contain_text("Правки опубликованы")
        assert reader_reloads() == VERSIONS[number]
    editor.screenshot(path=str(_artifact("published-changes")), full_page=True)

    # Update three: a correction scheduled a few seconds ahead.
    open_working_copy()
    moment = timezone.localtime() + timedelta(seconds=10)
    editor.fill("#id_title", VERSIONS[3])
    editor.fill("#id_correction_note", CORRECTION)
    editor.fill("#id_changes_go_live_at_0", moment.strftime("%d.%m.%Y"))
    editor.fill("#id_changes_go_live_at_1", moment.strftime("%H:%M:%S"))
    editor.locator("input[name=_continue]").click()
    expect(editor.locator(".version-note")).to_contain_text("правки выйдут")
    editor.screenshot(path=str(_artifact("scheduled-correction")), full_page=True)
    assert reader_reloads() == VERSIONS[2]
    expect(reader.locator("main")).not_to_contain_text(CORRECTION)
    time.sleep(max(0.0, (moment - timezone.localtime()).total_seconds()) + 1)
    assert reader_reloads() == VERSIONS[3]
    expect(reader.locator("main")).to_contain_text(CORRECTION)
    reader.screenshot(path=str(_artifact("reader-after-correction")), full_page=True)

    # Only published versions, in the order they were published.
    assert [headline for i, headline in enumerate(seen) if i == 0 or seen[i - 1] != headline] == (
        VERSIONS
    )
    story.refresh_from_db()
    assert story.correction_note == CORRECTION
    assert abs((story.corrected_at - moment).total_seconds()) < 1
    assert not Article.objects.filter(copy_of=story).exists()

    # The history tells which version readers saw when.
    editor.goto(f"{live_server.url}/admin/articles/article/{story.pk}/history/")
    expect(editor.locator("#seen-versions tbody tr")).to_have_count(3)
    editor.screenshot(path=str(_artifact("history")), full_page=True)


def _artifact(name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / f"live-story-{name}.png"
