"""An editor at a 1280-px screen reads back a whole headline and sees the whole library."""

import pytest

from tests.factories import make_photo, make_staff

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
    assert page.get_by_text("Вставить фото из фотобанка").is_visible()
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
