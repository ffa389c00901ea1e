"""A reader sees the demo story whole; an editor publishes a story from the admin."""

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.factories import make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The image's width once it has arrived (decode() waits for it); 0 if it is broken.
LOADED_WIDTH = "img => img.decode().then(() => img.naturalWidth, () => 0)"
DEMO_STORY_SLUG = "tokaev-gumanitarnaya-pomoshch-ne-mozhet-byt-predmetom-politicheskogo-torga"


def test_reader_sees_caption_credit_and_author_of_the_demo_story(live_server, page, screenshot):
    from playwright.sync_api import expect

    call_command("load_demo", "--no-editor", verbosity=0)
    story = Article.objects.get(slug=DEMO_STORY_SLUG)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name=story.title).first.click()
    expect(page).to_have_url(live_server.url + story.get_absolute_url())

    caption = page.locator("figure.lead-photo figcaption")
    expect(caption).to_be_visible()
    expect(caption).to_contain_text("Президент Казахстана Касым-Жомарт Токаев")
    expect(caption.locator(".credit")).to_have_text("Фото: akorda.kz")
    photo = page.locator("figure.lead-photo img")
    expect(photo).to_be_visible()
    # A rendition not made yet is made on its first request: wait for it to arrive.
    assert photo.evaluate(LOADED_WIDTH) > 0, "the lead photo did not load"

    portrait = page.get_by_alt_text("Фото Ирина Капитанова")
    # A lazy image far below the fold is not fetched (and its decode() never ends) until near.
    portrait.scroll_into_view_if_needed()
    expect(portrait).to_be_visible()
    assert portrait.evaluate(LOADED_WIDTH) > 0, "the portrait did not load"
    author_link = page.locator("footer.authors a[rel=author]")
    expect(author_link).to_have_text("Ирина Капитанова")
    expect(page.locator(".dateline time").first).to_have_text("06.03.2026 14:00")
    screenshot("story")

    author_link.click()
    expect(page.locator("h1")).to_have_text("Ирина Капитанова")


def choose_in_autocomplete(page, container, text):
    """Pick an option in one of the admin's select2 autocomplete boxes."""
    container.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_editor_signs_in_publishes_a_story_and_readers_see_it(live_server, page, screenshot):
    from playwright.sync_api import expect

    call_command("load_demo", "--no-editor", verbosity=0)
    make_editor("editor", "correct horse battery")

    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery")
    page.get_by_role("button", name="Войти").click()
    expect(page.locator("#site-name")).to_contain_text("Редакция")

    page.goto(live_server.url + "/admin/articles/article/add/")
    choose_in_autocomplete(page, page.locator(".field-section"), "Общество")
    page.locator("#id_title").press_sequentially("Жаңа кітапхана ашылды в Алматы")
    page.locator("#id_title").blur()
    # The slug box is filled in the browser with the server's transliteration.
    expect(page.locator("#id_slug")).to_have_value("zhana-kitapkhana-ashyldy-v-almaty")
    page.fill("#id_lead", "В микрорайоне открылась библиотека с детским залом.")
    editor = page.locator(".field-body [contenteditable=true]")
    editor.click()
    editor.press_sequentially("Библиотека работает без выходных.")
    choose_in_autocomplete(page, page.locator(".field-lead_photo"), "Читальный зал")
    page.fill("#id_lead_photo_caption", "Новый читальный зал")
    page.fill("#id_tags", "Алматы, библиотеки")
    choose_in_autocomplete(page, page.locator("#bylines-0"), "Айгерим")
    page.select_option("#id_status", "published")
    page.locator(".field-published_at .datetimeshortcuts a", has_text="Сегодня").click()
    page.locator(".field-published_at .datetimeshortcuts a", has_text="Сейчас").click()
    # It replaces the demo's top story at the head of the front page.
    page.get_by_label("Главная новость").check()
    screenshot("admin-form")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    story = Article.objects.get(slug="zhana-kitapkhana-ashyldy-v-almaty")
    assert story.is_published
    assert story.body == "<p>Библиотека работает без выходных.</p>"

    page.goto(live_server.url + "/")
    top_story = page.locator(".top-story")
    expect(top_story).to_contain_text("Жаңа кітапхана ашылды в Алматы")
    top_story.get_by_role("link", name="Жаңа кітапхана ашылды в Алматы").click()
    expect(page.locator("figure.lead-photo figcaption")).to_contain_text("Фото: Данияр Сейітқали")
    expect(page.locator("footer.authors")).to_contain_text("Айгерим Нұрланқызы")
    screenshot("published-story")
