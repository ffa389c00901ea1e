"""Reporters write, editors publish; every rule holds against a crafted request."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.utils import timezone

from articles.models import Article, PreviewLink
from tests.articles.test_admin import story_form
from tests.factories import make_article, make_photo, make_staff

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/article/add/"


def change_url(story):
    return f"/admin/articles/article/{story.pk}/change/"


def edit_form(client, story, **changes):
    """What the admin's change form would post back, as the browser got it, with changes."""
    page = lxml.html.fromstring(client.get(change_url(story)).content.decode())
    form = page.xpath("//form[@id='article_form']")[0]
    data = {}
    for field in form.xpath(".//input[@name] | .//textarea[@name] | .//select[@name]"):
        name = field.get("name")
        if field.tag == "select":
            selected = field.xpath(".//option[@selected]/@value")
            values = selected or []
            if field.get("multiple") is None:
                data[name] = values[0] if values else ""
            else:
                data[name] = values
        elif field.get("type") in {"checkbox", "radio"}:
            if field.get("checked") is not None:
                data[name] = field.get("value", "on")
        elif field.get("type") not in {"submit", "file"}:
            data[name] = field.text or "" if field.tag == "textarea" else field.get("value", "")
    return data | changes


def test_reporter_writes_a_draft_and_submits_it_for_review(client, reporter):
    client.force_login(reporter)
    response = client.post(ADD, story_form(status="draft"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Article.objects.get()
    assert story.created_by == reporter
    response = client.post(change_url(story), edit_form(client, story, status="review"))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == "review"
    # In review, the story is the editors' now.
    assert client.post(change_url(story), edit_form(client, story, title="x")).status_code == 403


@pytest.mark.parametrize("status", ["published", "unpublished"])
def test_a_reporter_cannot_publish_even_with_a_crafted_post(client, reporter, status):
    client.force_login(reporter)
    response = client.post(ADD, story_form(status=status))
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_a_reporter_cannot_schedule_by_posting_a_publication_time(client, reporter):
    client.force_login(reporter)
    client.post(
        ADD, story_form(status="draft", published_at_0="01.01.2030", published_at_1="10:00")
    )
    assert Article.objects.get().published_at is None


def test_a_reporter_cannot_touch_someone_elses_story_or_delete_one(
    client, reporter, other_reporter
):
    client.force_login(other_reporter)
    client.post(ADD, story_form(status="draft", **{"bylines-0-author": other_reporter.author.pk}))
    theirs = Article.objects.get()
    client.force_login(reporter)
    # Not theirs to see either: the story answers as one that does not exist.
    assert client.post(change_url(theirs), story_form(title="Моё")).status_code == 404
    assert (
        client.post(f"/admin/articles/article/{theirs.pk}/delete/", {"post": "yes"}).status_code
        == 404
    )
    assert Article.objects.get().title != "Моё"


def test_editor_publishes_schedules_and_unpublishes(client, editor):
    story = make_article("Новость дня", published=False)
    client.force_login(editor)
    later = timezone.localtime() + timedelta(days=1)
    response = client.post(
        change_url(story),
        edit_form(
            client, story, status="published",
            published_at_0=later.strftime("%d.%m.%Y"), published_at_1=later.strftime("%H:%M"),
        ),
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    story.refresh_from_db()
    assert story.is_scheduled and story.updated_by == editor
    listing = client.get("/admin/articles/article/").content.decode()
    assert 'class="state-badge state-scheduled"' in listing

    client.post(change_url(story), edit_form(client, story, status="unpublished"))
    story.refresh_from_db()
    assert story.status == "unpublished"
    assert client.get(story.get_absolute_url()).status_code == 404


def test_list_filters_by_state_and_mine_and_counts_waiting_reviews(client, reporter, editor):
    make_article("Ждёт проверки", status="review", published_at=None)
    make_article("Уже вышла")
    mine = make_article("Моя заметка", published=False)
    mine.created_by = reporter
    mine.save()
    client.force_login(editor)
    listing = client.get("/admin/articles/article/")
    assert "1 материал ждёт проверки" in listing.content.decode()

    def titles(**query):
        response = client.get("/admin/articles/article/", query)
        return {story.title for story in response.context["cl"].result_list}

    assert titles(state="review") == {"Ждёт проверки"}
    assert titles(state="live") == {"Уже вышла"}
    client.force_login(reporter)
    assert titles(mine="yes") == {"Моя заметка"}
    # A reporter's list is their own work: colleagues' stories, even published ones, are not in it.
    assert titles() == {"Моя заметка"}
    assert "ждёт проверки" not in client.get("/admin/articles/article/").content.decode()


def test_second_editors_stale_save_is_refused_and_the_first_ones_work_kept(client, editor):
    from django.test import Client

    # A draft, or a live story's working copy: the same form, the same lock.
    story = make_article("Первый вариант", published=False)
    first, second = client, Client()
    first.force_login(editor)
    second.force_login(make_staff("dana", "Editors"))
    first_form = edit_form(first, story, title="Правка первого редактора")
    second_form = edit_form(second, story, title="Правка второго редактора")

    assert first.post(change_url(story), first_form).status_code == 302
    response = second.post(change_url(story), second_form)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "aigerim" in errors[0] and "/history/compare/?since=" in errors[0]
    assert Article.objects.get().title == "Правка первого редактора"


def test_every_save_is_a_revision_that_can_be_compared_previewed_and_restored(client, editor):
    client.force_login(editor)
    # A draft is its own working version (a live story's: tests/articles/test_working_copies.py).
    client.post(ADD, story_form(title="Заголовок один", tags="первый", status="draft"))
    story = Article.objects.get()
    client.post(change_url(story), edit_form(client, story, title="Заголовок два", tags="второй"))
    from reversion.models import Version

    older, newer = sorted(Version.objects.get_for_object(story), key=lambda v: v.pk)
    compare = client.get(
        f"/admin/articles/article/{story.pk}/history/compare/", {"from": older.pk, "to": newer.pk}
    ).content.decode()
    text = lxml.html.fromstring(compare).text_content().replace("\xa0", " ")
    assert "Заголовок один" in text and "Заголовок два" in text
    assert "первый" in text and "второй" in text
    assert "Лид" not in text, "unchanged fields are not listed"

    preview = client.get(f"/admin/articles/article/{story.pk}/history/{older.pk}/preview/")
    assert "Заголовок один" in preview.content.decode()
    assert preview["X-Robots-Tag"] == "noindex, nofollow"

    restore = edit_form(client, story)
    restore_page = client.get(f"/admin/articles/article/{story.pk}/history/{older.pk}/")
    assert "Заголовок один" in restore_page.content.decode()
    restore = {**restore, "title": "Заголовок один", "tags": "первый"}
    response = client.post(f"/admin/articles/article/{story.pk}/history/{older.pk}/", restore)
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "Заголовок один"
    assert list(story.tags.names()) == ["первый"]


def test_a_deleted_story_is_recoverable_from_the_history(client, editor):
    client.force_login(editor)
    client.post(ADD, story_form(title="Удалю по ошибке"))
    story = Article.objects.get()
    client.post(f"/admin/articles/article/{story.pk}/delete/", {"post": "yes"})
    assert not Article.objects.exists()
    recover_list = client.get("/admin/articles/article/recover/").content.decode()
    assert "Удалю по ошибке" in recover_list
    from reversion.models import Version

    version = Version.objects.get_deleted(Article).get()
    page = client.get(f"/admin/articles/article/recover/{version.pk}/")
    data = {name: value for name, value in edit_form_from(page).items()}
    assert client.post(f"/admin/articles/article/recover/{version.pk}/", data).status_code == 302
    assert Article.objects.get().title == "Удалю по ошибке"


def edit_form_from(response):
    page = lxml.html.fromstring(response.content.decode())
    data = {}
    for field in page.xpath("//form[@id='article_form']//*[@name]"):
        name = field.get("name")
        if field.tag == "select":
            selected = field.xpath(".//option[@selected]/@value")
            data[name] = selected if field.get("multiple") is not None else (selected or [""])[0]
        elif field.tag == "textarea":
            data[name] = field.text or ""
        elif field.get("type") not in {"submit", "file", "checkbox"}:
            data[name] = field.get("value", "")
    return data


# Previews


def test_staff_preview_a_draft_as_readers_would_see_it_and_it_is_never_cached(client, reporter):
    story = make_article("Черновик репортёра", published=False)
    story.created_by = reporter
    story.save()
    client.force_login(reporter)
    response = client.get(f"/admin/articles/article/{story.pk}/preview/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Черновик репортёра" in content and 'content="noindex, nofollow"' in content
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_reporter_cannot_preview_someone_elses_story(client, reporter):
    story = make_article("Чужой черновик", published=False)
    client.force_login(reporter)
    assert client.get(f"/admin/articles/article/{story.pk}/preview/").status_code == 404


def test_share_link_works_without_an_account_until_it_expires_or_is_revoked(client, editor):
    from articles.models import PreviewLink

    story = make_article("Материал под эмбарго", published=False)
    link = PreviewLink.objects.create(article=story, created_by=editor)
    url = link.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    assert "Материал под эмбарго" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]

    # The signature's first character carries six significant bits (its last may not).
    # The token is the one in the address: signed again a second later, it differs.
    token = url.rstrip("/").rsplit("/", 1)[1]
    start = token.rindex(":") + 1
    changed = "B" if token[start] != "B" else "C"
    tampered = url.replace(token, token[:start] + changed + token[start + 1 :])
    assert tampered != url
    assert client.get(tampered).status_code == 404
    forged = url.replace(token, "MQ:1vQ:forged")
    assert client.get(forged).status_code == 404

    import time_machine

    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        assert client.get(url).status_code == 404, "expired after 48 hours"
    link.delete()
    assert client.get(url).status_code == 404, "revoked"


def test_share_links_are_made_and_revoked_in_the_story_form(client, editor):
    story = make_article(published=False)
    client.force_login(editor)
    data = edit_form(client, story)
    data |= {
        "preview_links-TOTAL_FORMS": "1",
        "preview_links-0-expires_at_0": "",
        "preview_links-0-expires_at_1": "",
    }
    data |= {
        "preview_links-0-expires_at_0": (timezone.localtime() + timedelta(hours=48)).strftime(
            "%d.%m.%Y"
        ),
        "preview_links-0-expires_at_1": "12:00",
    }
    assert client.post(change_url(story), data).status_code == 302
    link = story.preview_links.get()
    assert link.created_by == editor
    page = client.get(change_url(story)).content.decode()
    # The token carries the moment it was signed, so compare what it opens, not its text.
    tokens = re.findall(r'/preview/([^/"]+)/', page)
    assert tokens and {PreviewLink.find(token) for token in tokens} == {link}


# Corrections


def test_a_corrected_story_shows_when_and_what_was_corrected():
    from django.test import Client

    story = make_article(
        corrected_at=datetime(2026, 3, 7, 10, 0, tzinfo=ZoneInfo("Asia/Almaty")),
        correction_note="Исправлено имя главы МККК.",
    )
    content = Client().get(story.get_absolute_url()).content.decode()
    assert "Обновлено" in content and "07.03.2026 10:00" in content
    assert "Исправлено имя главы МККК." in content
    assert '<meta property="article:modified_time" content="2026-03-07T10:00:00+05:00">' in content


# Scheduling


def test_a_scheduled_story_is_nowhere_before_its_moment_and_everywhere_after(client):
    import time_machine

    from tests.factories import make_author, make_section

    moment = timezone.now() + timedelta(hours=2)
    section, author = make_section("События"), make_author("Ирина Капитанова")
    earlier = make_article("Ранний материал", section=section)
    scheduled = make_article(
        "Материал по расписанию", section=section, authors=[author], tags=["эмбарго"],
        published_at=moment, lead_photo=make_photo(),
    )  # fmt: skip
    earlier.related_stories.add(scheduled)
    pages = ["/", section.get_absolute_url(), "/tags/embargo/", author.get_absolute_url(),
             earlier.get_absolute_url(), "/rss/", "/rss/atom/", "/rss/sections/sobytiya/",
             "/rss/tags/embargo/atom/", "/rss/authors/irina-kapitanova/"]  # fmt: skip

    with time_machine.travel(moment - timedelta(seconds=1), tick=False):
        assert client.get(scheduled.get_absolute_url()).status_code == 404
        for url in pages:
            assert "Материал по расписанию" not in client.get(url).content.decode(), url
    with time_machine.travel(moment, tick=False):
        assert client.get(scheduled.get_absolute_url()).status_code == 200
        for url in pages:
            assert "Материал по расписанию" in client.get(url).content.decode(), url


# Writing


def test_text_pasted_from_a_word_processor_is_cleaned_on_save(client, editor):
    word = (
        '<p class="MsoNormal" style="margin:0cm;font-family:Calibri"><span lang="RU" '
        'style="font-size:12pt">Текст из <b>Word</b></span><o:p></o:p></p>'
        "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->"
    )
    client.force_login(editor)
    client.post(ADD, story_form(body=word))
    body = Article.objects.get().body
    # The editor turns <b> into <strong> as it pastes; the server's allow-list keeps the text.
    assert body == "<p>Текст из Word</p>"
    for residue in ("Mso", "style=", "<span", "<o:p", "w:WordDocument", "<!--"):
        assert residue not in body


# Photos in the text


def body_with(photo, caption="Подпись к снимку"):
    return (
        "<p>До снимка.</p>"
        f'<figure class="figure"><img src="/x.jpg" alt="Шеру на площади" data-file="{photo.pk}">'
        f"<figcaption>{caption}</figcaption></figure><p>После снимка.</p>"
    )


def test_a_library_photo_in_the_text_is_drawn_responsive_with_its_credit(
    client, django_assert_max_num_queries
):
    # The alt text is the photo's own: the markup's is never shown.
    photo = make_photo(credit_line="Данияр Сейітқали", alt_text="Шеру на площади")
    story = make_article(body=body_with(photo))
    # the story page's eight, and the text's photos with their renditions
    with django_assert_max_num_queries(10):
        response = client.get(story.get_absolute_url())
    figure = lxml.html.fromstring(response.content.decode()).xpath("//figure[@class='body-photo']")[
        0
    ]
    assert figure.xpath(".//source/@type") == ["image/webp"]
    assert figure.xpath(".//img/@alt") == ["Шеру на площади"]
    caption = " ".join(figure.xpath(".//figcaption")[0].text_content().split())
    assert caption == "Подпись к снимку Фото: Данияр Сейітқали"
    assert "/x.jpg" not in response.content.decode()


def test_a_photo_in_the_text_counts_as_used(client, editor):
    photo = make_photo()
    story = make_article("Материал со снимком в тексте", body=body_with(photo))
    from media.models import Photo

    assert list(Photo.objects.used()) == [photo]
    client.force_login(editor)
    page = client.get(f"/admin/media/photo/{photo.pk}/change/").content.decode()
    assert "Материал со снимком в тексте" in page
    assert f"/admin/articles/article/{story.pk}/change/" in page
    client.post(f"/admin/media/photo/{photo.pk}/delete/", {"post": "yes"})
    assert Photo.objects.filter(pk=photo.pk).exists()
    story.body = "<p>Без снимка.</p>"
    story.save()
    assert not Photo.objects.used().exists()


def test_a_story_with_an_uncredited_photo_in_its_text_cannot_be_published(client, editor):
    photo = make_photo(description="Снимок без подписи", alt_text="")
    client.force_login(editor)
    response = client.post(ADD, story_form(body=body_with(photo)))
    errors = response.context["adminform"].form.errors
    assert "Снимок без подписи" in errors["body"][0]
    assert not Article.objects.exists()


def editor_toolbar(page):
    """The desk's toolbar options the story editor is configured with, as the page sends them."""
    (body,) = lxml.html.fromstring(page).xpath("//textarea[@name='body']")
    config = json.loads(body.get("data-django-prose-editor-configurable"))
    assert any(module.endswith("desk-editor.js") for module in config["js_modules"])
    return config["extensions"]["DeskToolbar"]


def test_the_editor_offers_the_library_photo_button_and_its_lookup(client, editor):
    photo = make_photo(description="Зал", alt_text="Читальный зал", credit_line="akorda.kz")
    client.force_login(editor)
    toolbar = editor_toolbar(client.get(ADD).content.decode())
    # The image button opens the library's lookup; no address is asked for.
    assert toolbar["library"] == {
        "lookupUrl": "/admin/media/photo/",
        "embedUrl": "/admin/media/photo/0/embed/",
    }
    assert toolbar["titles"]["figure"] == "Вставить фото из фотобанка"
    data = client.get(f"/admin/media/photo/{photo.pk}/embed/").json()
    assert data | {"src": None} == {
        "id": photo.pk, "src": None, "alt": "Читальный зал", "caption": "Зал",
        "credit": "akorda.kz", "complete": True,
    }  # fmt: skip
    assert data["src"].startswith(f"/img/{photo.pk}-")
    client.logout()
    assert client.get(f"/admin/media/photo/{photo.pk}/embed/").status_code == 302


@pytest.mark.parametrize(
    ("prefix", "bold", "subheading", "figure"),
    [
        ("", "Полужирный", "Подзаголовок", "Вставить фото из фотобанка"),
        ("/kk", "Қалың", "Тақырыпша", "Кітапханадан фото қою"),
        ("/en", "Bold", "Subheading", "Insert a photo from the library"),
    ],
)
def test_the_text_editor_is_titled_in_the_admins_language(
    client, editor, prefix, bold, subheading, figure
):
    client.force_login(editor)
    toolbar = editor_toolbar(client.get(prefix + ADD).content.decode())
    titles = toolbar["titles"]
    assert (titles["bold"], titles["heading2"], titles["figure"]) == (bold, subheading, figure)
    # Every button the package titles in English has a title of ours.
    assert set(toolbar["titles"]) >= {
        "paragraph", "heading2", "heading3", "bulletList", "orderedList", "blockquote",
        "figure", "bold", "italic", "link", "unlink", "history:undo", "history:redo",
    }  # fmt: skip
    # The library's lookup opens in the same language.
    assert toolbar["library"]["lookupUrl"] == f"{prefix}/admin/media/photo/"


def test_the_desk_toolbar_adds_nothing_a_text_may_hold(client, editor):
    # The toolbar is configuration: markup it does not know is still cleaned away.
    client.force_login(editor)
    response = client.post(
        ADD,
        story_form(
            body='<p data-desk="1" onclick="alert(1)">Текст</p><desktoolbar>x</desktoolbar>'
        ),
    )
    assert response.status_code == 302
    assert Article.objects.get().body == "<p>Текст</p>x"
