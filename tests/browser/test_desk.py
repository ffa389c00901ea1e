"""An editor at a 1280-px screen: whole headlines, the whole library, a text editor in Russian."""

import pytest

from articles.models import Article
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_reader_and_editor import choose_in_autocomplete
from tests.factories import make_article, make_photo, make_section, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "Токаев высказался об атаке беспилотников на аэропорт Нахичевани"


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "x")
    page.get_by_role("button", name="Войти").click()


def test_the_headline_box_shows_a_62_character_headline_in_full(live_server, page, screenshot):
    assert len(HEADLINE) >= 62
    make_staff("aigerim", "Editors")
    sign_in(page, live_server, "aigerim")
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.fill("#id_title", HEADLINE)
    box = page.locator("#id_title")
    # Everything typed is in view: the box scrolls nothing sideways.
    assert box.evaluate("input => input.scrollWidth <= input.clientWidth")
    for field in ("slug", "lead_photo_caption", "source_name", "tags"):
        assert page.locator(f"#id_{field}").evaluate("box => box.clientWidth") >= 600, field
    screenshot("story-form")


def test_the_photo_library_fits_1280_px(live_server, page, screenshot):
    make_staff("aigerim", "Editors")
    for number in range(3):
        make_photo(description=f"Участники юношеского турнира по шахматам, снимок {number}")
    sign_in(page, live_server, "aigerim")
    page.goto(live_server.url + "/admin/media/photo/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # Every column's right edge inside the list's box: nothing hidden behind a scroll bar.
    assert page.evaluate(
        """() => {
            const box = document.querySelector('#changelist .results').getBoundingClientRect();
            return [...document.querySelectorAll('#result_list th, #result_list td')]
                .every(cell => cell.getBoundingClientRect().right <= box.right + 1);
        }"""
    )
    screenshot("photo-library")


def test_the_text_editor_speaks_russian_and_its_image_button_opens_the_library(
    live_server, page, screenshot
):
    from playwright.sync_api import Error, expect

    make_staff("aigerim", "Editors", "Айгерим Нұрланқызы")
    make_section("Общество")
    make_photo(description="Читальный зал после ремонта", alt_text="Читальный зал")
    make_article("Вчерашний выпуск")
    make_article("Кешегі шығарылым", language="kk")
    make_article("Черновик выпуска", published=False)
    sign_in(page, live_server, "aigerim")
    page.goto(live_server.url + "/admin/articles/article/add/")
    toolbar = page.locator(".field-body .prose-menubar").first
    expect(toolbar).to_be_visible()
    titles = toolbar.locator("button[title]").evaluate_all("buttons => buttons.map(b => b.title)")
    assert {
        "Цитата", "Вставить фото из фотобанка", "Полужирный", "Курсив",
        "Ссылка: сначала выделите слова", "Отменить", "Повторить",
        "Маркированный список", "Нумерованный список",
    } <= set(titles)  # fmt: skip
    # Nothing the package names in English is left, in titles or in spoken labels.
    labels = toolbar.locator("button").evaluate_all(
        "buttons => buttons.flatMap(b => [b.title, b.getAttribute('aria-label') || ''])"
    )
    assert not [label for label in labels if label.isascii() and label]
    # The block menu: paragraph and the two subheadings.
    toolbar.locator(".prose-menubar__selected").click()
    options = page.locator(".prose-menubar__picker:popover-open .prose-menubar__option")
    expect(options).to_have_text(["Подзаголовок", "Малый подзаголовок", "Абзац"])
    screenshot("block-menu")
    page.keyboard.press("Escape")

    choose_in_autocomplete(page, page.locator(".field-section"), "Общество")
    page.fill("#id_title", "Библиотека открыла читальный зал после ремонта")
    page.fill("#id_lead", "Зал открыт до полуночи.")
    editor = page.locator(".field-body [contenteditable=true]")
    editor.click()
    editor.press_sequentially("Ремонт шёл полгода.")
    # The image button asks for no address: it opens the library, and a photo chosen
    # there comes back as a figure carrying its id.
    with page.expect_popup() as lookup:
        toolbar.get_by_title("Вставить фото из фотобанка").click()
    library = lookup.value
    library.wait_for_load_state("load")
    assert "/admin/media/photo/" in library.url and "_popup=1" in library.url
    expect(page.locator("dialog[open]")).to_have_count(0)
    with library.expect_event("close"):
        try:
            library.locator("#result_list tbody a", has_text="Читальный зал").first.click()
        except Error as error:
            # Choosing closes the window, sometimes before Playwright's click returns.
            if not library.is_closed():
                raise error
    figure = editor.locator("figure")
    expect(figure.locator("img[data-file]")).to_have_count(1)
    expect(figure.locator("figcaption")).to_have_text("Читальный зал после ремонта")
    screenshot("photo-inserted")
    choose_in_autocomplete(page, page.locator("#bylines-0"), "Айгерим")

    # The lead photo is picked by sight: thumbnails in the answers and in the box.
    answers = page.locator(".select2-container--open .select2-results__option")
    page.locator(".field-lead_photo .select2-selection").click()
    expect(answers.filter(has_text="Читальный зал").locator("img")).to_be_visible()
    screenshot("lead-photo-picker")
    answers.filter(has_text="Читальный зал").click()
    expect(page.locator(".field-lead_photo .select2-selection__rendered img")).to_be_visible()
    page.locator(".field-lead_photo").screenshot(path=str(SCREENSHOTS / "lead-photo-chosen.png"))

    # «Read also» offers the published stories of the edition chosen in the form.
    page.locator(".field-related_stories .select2-selection").click()
    expect(answers).to_have_text(["Вчерашний выпуск"])
    page.keyboard.press("Escape")
    page.select_option("#id_language", "kk")
    page.locator(".field-related_stories .select2-selection").click()
    expect(answers).to_have_text(["Кешегі шығарылым"])
    page.keyboard.press("Escape")
    page.select_option("#id_language", "ru")
    choose_in_autocomplete(page, page.locator(".field-related_stories"), "Вчерашний")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    story = Article.objects.get(title="Библиотека открыла читальный зал после ремонта")
    assert story.body_photos.count() == 1
    assert 'data-file="' in story.body and "Ремонт шёл полгода." in story.body
    assert story.lead_photo.description == "Читальный зал после ремонта"
    assert [related.title for related in story.related_stories.all()] == ["Вчерашний выпуск"]
