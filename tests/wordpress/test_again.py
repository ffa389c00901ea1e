"""Run it again: nothing doubles, what changed on WordPress is updated, editors' work is kept."""

import shutil

import pytest

from articles.models import Article, Byline, Section
from media.models import Photo
from newsroom.models import Author
from tests.wordpress.conftest import UPLOADS, run_import
from wordpress.models import ImportedItem, OldAddress

pytestmark = pytest.mark.django_db

MODELS = (Article, Photo, Author, Section, Byline, OldAddress, ImportedItem)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_a_second_run_makes_nothing_twice(imported):
    before = counts()
    again = run_import()
    assert counts() == before
    # The spring story shows a photo whose file was missing: it is tried again.
    assert "Stories: 1 updated, 5 unchanged" in again
    assert "Photos: 3 unchanged" in again
    assert "Old addresses" not in again  # none new


def test_a_post_changed_on_wordpress_is_updated_in_place(imported, export_copy):
    meeting = ImportedItem.objects.get(kind="post", key="10").article
    changed = export_copy(
        ("Аким встретился с жителями: «Дорогу", "Аким встретился с жителями снова: «Дорогу"),
        ("<p>Избирательная комиссия", "<p>Центральная избирательная комиссия"),
    )
    report = run_import(changed)
    assert "Stories: 3 updated, 3 unchanged" in report  # the two, and one waiting for a file
    meeting.refresh_from_db()
    assert meeting.title == "Аким встретился с жителями снова: «Дорогу достроят к осени»"
    assert meeting.slug == "vstrecha-s-zhitelyami"  # its address here stays
    assert Article.objects.count() == 6
    assert meeting.bylines.count() == 1


def test_a_story_edited_here_since_is_not_overwritten(imported, export_copy):
    meeting = ImportedItem.objects.get(kind="post", key="10").article
    meeting.lead = "Лид, исправленный редактором."
    meeting.save()
    report = run_import(export_copy(("Аким встретился", "Аким снова встретился")))
    meeting.refresh_from_db()
    assert meeting.lead == "Лид, исправленный редактором."
    assert "1 post: edited here since it was imported; not overwritten (10)" in report


def test_a_story_deleted_here_is_not_made_again(imported):
    ImportedItem.objects.get(kind="post", key="13").article.delete()
    report = run_import()
    assert Article.objects.count() == 5
    assert "1 post: deleted here since it was imported; not made again (13)" in report


def test_a_post_trashed_on_wordpress_since_is_unpublished_here(imported, export_copy, client):
    name = "<wp:post_name><![CDATA[vstrecha-s-zhitelyami]]></wp:post_name>\n\t\t"
    report = run_import(
        export_copy(
            (f"{name}<wp:status><![CDATA[publish]]>", f"{name}<wp:status><![CDATA[trash]]>")
        )
    )
    meeting = ImportedItem.objects.get(kind="post", key="10").article
    assert meeting.status == Article.Status.UNPUBLISHED
    assert "1 unpublished" in report
    assert client.get("/?p=10").status_code == 200  # the front page, no redirect


def test_a_file_found_later_is_imported_on_the_next_run(imported, tmp_path):
    uploads = tmp_path / "uploads"
    shutil.copytree(UPLOADS, uploads)
    shutil.copy(uploads / "2024/03/tulpan.jpg", uploads / "2024/03/missing.jpg")
    report = run_import(None, "--media-dir", str(uploads), media=False)
    # The same bytes as tulpan.jpg: the library's photo, not a copy.
    assert "Photos: 1 matched, 3 unchanged" in report
    assert ImportedItem.objects.get(kind="attachment", key="106").photo is not None
    spring = ImportedItem.objects.get(kind="post", key="11").article
    assert spring.body.count('data-file="') == 3  # the gallery's photo is in the text now
    assert "Stories: 1 updated, 5 unchanged" in report
    assert "Stories: 6 unchanged" in run_import(None, "--media-dir", str(uploads), media=False)
