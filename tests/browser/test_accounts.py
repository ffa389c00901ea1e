"""In the browser: the security policy breaks nothing; an editor sets up two-step sign-in."""

import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import Article
from tests.factories import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_for_violations(page):
    """Every message Chromium prints about a blocked script, style or image."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def sign_in(page, url, username, password="x"):
    page.goto(url + "/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Войти").click()


def test_the_admin_and_the_text_editor_work_under_the_policy(live_server, page, settings):
    from playwright.sync_api import expect

    settings.NEWSROOM_EDITORS_NEED_2FA = False
    call_command("load_demo", "--no-editor", verbosity=0)
    aigerim = make_staff("aigerim", "Editors", password="x")
    violations = watch_for_violations(page)
    sign_in(page, live_server.url, "aigerim")
    story = Article.objects.published().first()
    # A live story's text is edited in its working copy (its own form is read-only).
    copy = story.start_working_copy(aigerim)
    page.goto(f"{live_server.url}/admin/articles/article/{copy.pk}/change/")
    editor = page.locator(".field-body [contenteditable=true]")
    expect(editor).to_be_visible()
    editor.click()
    editor.press("End")
    editor.press_sequentially(" Дополнение.")
    expect(editor).to_contain_text("Дополнение.")
    page.goto(live_server.url + story.get_absolute_url())
    expect(page.locator("h1")).to_contain_text(story.title)
    assert violations == []


def test_an_editor_sets_up_the_authenticator_at_the_first_sign_in(live_server, page, settings):
    from playwright.sync_api import expect

    settings.NEWSROOM_EDITORS_NEED_2FA = True
    editor = make_staff("aigerim", "Editors", password="x")
    violations = watch_for_violations(page)
    sign_in(page, live_server.url, "aigerim")
    expect(page).to_have_url(re.compile(r"/admin/two-factor/"))
    expect(page.locator(".two-factor-qr svg")).to_be_visible()
    device = TOTPDevice.objects.get(user=editor)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.fill("#id_otp_token", code)
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.locator("#site-name")).to_contain_text("Редакция")
    assert violations == []
