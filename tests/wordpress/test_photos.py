"""Attachments become library photos, through the photo desk's own pipeline."""

import pytest

from media.models import Photo
from media.specs import ADMIN_THUMBNAILS
from tests.wordpress.conftest import EXPORTS, UPLOADS, run_import
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db


def photo_of(wp_id):
    return ImportedItem.objects.get(kind="attachment", key=str(wp_id)).photo


def test_attachments_become_library_photos_with_their_thumbnails(imported):
    assert Photo.objects.count() == 3
    akorda = photo_of(101)
    assert akorda.file_name.startswith("akorda")  # the storage may add a suffix to a name it holds
    assert {spec.name for spec in ADMIN_THUMBNAILS} <= akorda.made_spec_names
    assert "Photos: 3 imported" in imported


def test_alt_text_and_caption_come_from_wordpress(imported):
    akorda = photo_of(101)
    assert akorda.alt_text == "Аким за столом перед жителями в зале дома культуры"
    # The caption's «Фото: …» is the credit, not part of what the photo shows.
    assert akorda.description == "Встреча в доме культуры."


def test_a_credit_in_the_caption_becomes_the_credit_line(imported):
    assert photo_of(101).credit_line == "пресс-служба акимата"
    assert photo_of(101).is_complete


def test_the_files_own_credit_is_read_from_its_xmp(imported):
    dala = photo_of(104)
    assert dala.credit_line == "Kazinform"
    assert dala.creator == "Ерлан Жұмабаев"
    assert dala.copyright_notice == "© Kazinform 2024"


def test_the_featured_image_is_the_lead_photo(imported):
    story = ImportedItem.objects.get(kind="post", key="10").article
    assert story.lead_photo == photo_of(101)


def test_a_photo_that_names_no_credit_is_reported_incomplete(imported):
    tulpan = photo_of(105)
    assert not tulpan.is_complete
    assert f"Photos without alt text or credit line: 1 (ids {tulpan.pk})" in imported


def test_a_default_credit_completes_photos_that_name_none(db):
    run_import(EXPORTS / "stepnye-vesti-1.2.xml", "--credit", "Степные вести")
    assert photo_of(105).credit_line == "Степные вести"
    assert photo_of(104).credit_line == "Kazinform"  # the file's own wins


def test_a_missing_file_is_reported_and_the_rest_goes_on(imported):
    assert (
        "Files not found: 1\n  2024/03/missing.jpg (attachment 106): not in --media-dir" in imported
    )
    assert ImportedItem.objects.get(kind="attachment", key="106").photo is None
    assert ImportedItem.objects.filter(kind="post").count() == 6


def test_without_a_media_folder_every_story_still_comes_in(db):
    report = run_import(media=False)
    assert not Photo.objects.exists()
    assert "Stories: 6 imported" in report
    assert "Files not found: 4" in report
    assert "no --media-dir given" in report


def test_a_document_is_not_a_photo(imported):
    assert "1 attachment: not a photo (application/pdf) (107)" in imported


def test_a_file_already_in_the_library_is_used_not_copied(db):
    from tests.factories import make_photo

    existing = make_photo((UPLOADS / "2024/03/akorda.jpg").read_bytes(), "akorda.jpg")
    report = run_import()
    assert photo_of(101) == existing
    assert "1 matched" in report
    assert Photo.objects.count() == 3


def test_a_file_the_photo_desk_refuses_is_reported(db, export_copy, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2024/03").mkdir(parents=True)
    (uploads / "2024/03/akorda.jpg").write_bytes(b"<html><script>alert(1)</script></html>")
    report = run_import(export_copy(), "--media-dir", str(uploads), media=False)
    # The photo desk's own refusal, in the site's language.
    assert "1 attachment: refused by the photo desk: Это не целое изображение" in report
    assert ImportedItem.objects.get(kind="post", key="10").article.lead_photo is None


def test_a_path_that_leads_out_of_the_media_folder_is_not_read(db, export_copy):
    path = export_copy(
        ("<![CDATA[2024/03/akorda.jpg]]>", "<![CDATA[../../../../../../etc/passwd]]>")
    )
    report = run_import(path)
    assert "the path leads out of --media-dir" in report


@pytest.fixture
def old_site(tmp_path):
    """The old site's uploads served over HTTP on this machine, as --media-base-url reads them."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(UPLOADS))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def test_files_are_fetched_from_the_old_site_only_when_asked(db, old_site):
    report = run_import(None, "--media-base-url", old_site, media=False)
    assert "Photos: 3 imported" in report
    assert "2024/03/missing.jpg (attachment 106): not fetched from" in report
    assert "HTTP Error 404" in report
