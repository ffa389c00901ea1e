"""A day in the newsroom, in real browsers: a reporter files, editors schedule, a reader waits."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from tests.browser.test_photo_desk import sign_in
from tests.browser.test_reader_and_editor import choose_in_autocomplete
from tests.factories import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "Библиотека продлит часы работы в дни сессии"


def test_reporter_files_editors_schedule_and_a_reader_sees_it_at_its_moment(live_server, browser):
    from playwright.sync_api import Error, expect

    call_command("load_demo", "--no-editor", verbosity=0)
    make_staff("irina", "Reporters", "Ирина Тестова")
    make_staff("aigerim", "Editors")
    make_staff("dana", "Editors")

    def person(username=None):
        context = browser.new_context(
            locale="ru-RU", timezone_id="Asia/Almaty", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        if username:
            sign_in(page, live_server, username)
        return page

    # The reporter writes a draft with a photo from the library and submits it.
    reporter = person("irina")
    reporter.goto(live_server.url + "/admin/articles/article/add/")
    choose_in_autocomplete(reporter, reporter.locator(".field-section"), "Общество")
    reporter.fill("#id_title", HEADLINE)
    reporter.fill("#id_lead", "Читальные залы будут открыты до полуночи.")
    editor_box = reporter.locator(".field-body [contenteditable=true]")
    editor_box.click()
    editor_box.press_sequentially("Для студентов откроют ещё один зал.")
    with reporter.expect_popup() as lookup:
        reporter.locator(".field-body .prose-menubar").get_by_title(
            "Вставить фото из фотобанка"
        ).click()
    # The admin hands the choice back to the story only once the popup's scripts
    # have run; a click before that would open the photo inside the popup.
    lookup.value.wait_for_load_state("load")
    # Choosing a photo closes the popup, sometimes before Playwright has finished
    # its click: the popup closing is the outcome we want, and the next line
    # checks that the photo reached the story.
    with lookup.value.expect_event("close"):
        try:
            lookup.value.locator("#result_list tbody a", has_text="Читальный зал").first.click()
        except Error as error:
            if not lookup.value.is_closed():
                raise error
    expect(reporter.locator(".field-body [contenteditable=true] figure img")).to_have_count(1)
    choose_in_autocomplete(reporter, reporter.locator("#bylines-0"), "Ирина Тестова")
    # Publishing is not among a reporter's choices.
    options = reporter.locator("#id_status option").all_inner_texts()
    assert options == ["Черновик", "На проверке"]
    reporter.select_option("#id_status", "review")
    reporter.locator("input[name=_save]").click()
    reporter.screenshot(path=str(_artifact("reporter-saved")), full_page=True)
    expect(reporter.locator(".messagelist .success")).to_be_visible()
    story = Article.objects.get(title=HEADLINE)
    assert story.status == "review" and story.body_photos.count() == 1

    # Two editors open it; the first schedules it a few seconds ahead.
    first, second = person("aigerim"), person("dana")
    change = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    first.goto(change)
    second.goto(change)
    moment = timezone.localtime() + timedelta(seconds=12)
    first.select_option("#id_status", "published")
    first.fill("#id_published_at_0", moment.strftime("%d.%m.%Y"))
    first.fill("#id_published_at_1", moment.strftime("%H:%M:%S"))
    first.locator("input[name=_save]").click()
    expect(first.locator(".messagelist .success")).to_be_visible()

    # The second editor's save, made on what is now an old version, is refused.
    second.fill("#id_title", "Заголовок второго редактора")
    second.locator("input[name=_save]").click()
    refusal = second.locator(".errornote, .errorlist.nonfield")
    expect(refusal.first).to_be_visible()
    expect(second.get_by_role("link", name="Посмотрите, что изменилось")).to_be_visible()
    second.screenshot(path=str(_artifact("stale-save")), full_page=True)
    assert Article.objects.get(pk=story.pk).title == HEADLINE

    # A reader sees nothing before the moment, and the story after it.
    reader = person()
    story.refresh_from_db()
    url = live_server.url + story.get_absolute_url()
    assert reader.goto(url).status == 404
    reader.goto(live_server.url + "/")
    expect(reader.locator("body")).not_to_contain_text(HEADLINE)
    time.sleep(max(0.0, (moment - timezone.localtime()).total_seconds()) + 1)
    assert reader.goto(url).status == 200
    expect(reader.locator("figure.body-photo figcaption")).to_contain_text("Фото:")
    reader.goto(live_server.url + "/")
    # The editors' top story stays on top; the new one leads the latest news.
    expect(reader.locator("aside.rail .latest-list li").first).to_contain_text(HEADLINE)
    reader.screenshot(path=str(_artifact("reader-front-page")), full_page=True)


def _artifact(name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / f"newsroom-day-{name}.png"
