"""A photographer uploads a batch, describes it, and sets a focal point, in a real browser."""

import pytest

from media.models import Photo
from tests.factories import make_staff
from tests.media.conftest import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "x")
    page.get_by_role("button", name="Войти").click()


def test_photographer_uploads_a_batch_describes_it_and_sets_the_focal_point(
    live_server, page, screenshot, tmp_path
):
    from playwright.sync_api import expect

    make_staff("daniyar", "Photographers", "Данияр Сейітқали")
    fake = tmp_path / "not-a-photo.jpg"
    fake.write_text("<svg onload=alert(1)></svg>")
    sign_in(page, live_server, "daniyar")

    page.goto(live_server.url + "/admin/media/photo/")
    page.get_by_role("link", name="Добавить фото").click()
    expect(page.locator("h1")).to_have_text("Загрузить фото")
    page.set_input_files(
        "input[type=file]",
        [FIXTURES / "staff-gps-rotated.jpg", FIXTURES / "plain.png", fake],
    )
    expect(page.locator("[data-drop-zone-files]")).to_contain_text("plain.png")
    screenshot("upload")
    page.get_by_role("button", name="Загрузить").click()

    # The bad file is named; the two good ones wait for their descriptions.
    expect(page.locator(".refused-files")).to_contain_text("not-a-photo.jpg")
    expect(page.locator("fieldset.photo-description")).to_have_count(2)
    alt_fields = page.locator("input[name$='-alt_text']")
    expect(alt_fields.nth(0)).to_have_value("Люди в национальных костюмах идут по площади")
    assert all(
        img.evaluate("i => i.naturalWidth") > 0
        for img in page.locator(".photo-description img").all()
    )
    alt_fields.nth(1).fill("Поле под голубым небом")
    screenshot("describe")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert not Photo.objects.incomplete().exists()

    # The library shows thumbnails; clicking on a photo's preview sets its focal point.
    thumbnails = page.locator("#result_list .field-thumbnail img")
    expect(thumbnails).to_have_count(2)
    page.get_by_role("link", name="Наурыз мейрамы: Алматыдағы мерекелік шеру").first.click()
    picker = page.locator(".focal-point-picker")
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert abs(float(page.input_value("#id_focal_x")) - 0.25) < 0.02
    assert abs(float(page.input_value("#id_focal_y")) - 0.75) < 0.02
    screenshot("focal-point")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    photo = Photo.objects.get(original__contains="staff-gps-rotated")
    assert abs(photo.focal_x - 0.25) < 0.02 and abs(photo.focal_y - 0.75) < 0.02
