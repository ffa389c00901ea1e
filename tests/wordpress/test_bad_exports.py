"""A file that is not a whole WordPress export imports nothing, and says where it goes wrong."""

import pytest
from django.core.management import CommandError

from articles.models import Article
from media.models import Photo
from newsroom.models import Author
from tests.wordpress.conftest import SITE_EXPORT, run_import
from wordpress.models import ImportedItem, OldAddress

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version><item><title>&lol4;</title></item></channel></rss>
"""

LOCAL_FILE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version><item><title>&secret;</title></item></channel></rss>
"""

# An internal subset without a DOCTYPE's entities is refused all the same.
DOCTYPE_ONLY = '<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://evil.example/wxr.dtd"><rss/>'

PLAIN_RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Лента</title>
<item><title>Новость</title><link>https://example.kz/1</link></item></channel></rss>"""


def nothing_imported():
    return not any(
        model.objects.exists() for model in (Article, Photo, Author, ImportedItem, OldAddress)
    )


@pytest.fixture
def write(tmp_path):
    def write(content, name="export.xml"):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return path

    return write


def test_a_file_cut_short_imports_nothing_and_names_the_line(write):
    text = SITE_EXPORT.read_text()
    cut = text[: text.index("<wp:post_id>104</wp:post_id>")]
    with pytest.raises(CommandError) as refused:
        run_import(write(cut))
    assert "The export cannot be read: line" in str(refused.value)
    assert "Nothing was imported." in str(refused.value)
    assert nothing_imported()


def test_a_broken_tag_in_the_middle_imports_nothing(write):
    text = SITE_EXPORT.read_text().replace(
        "<wp:post_id>12</wp:post_id>", "<wp:post_id>12</wp:post>"
    )
    line = text[: text.index("<wp:post_id>12")].count("\n") + 1
    with pytest.raises(CommandError, match=rf"line {line}, column \d+: mismatched tag"):
        run_import(write(text))
    assert nothing_imported()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (BILLION_LAUGHS, "declares a document type"),
        (LOCAL_FILE, "declares a document type"),
        (DOCTYPE_ONLY, "declares a document type"),
        (PLAIN_RSS, "an RSS feed, not a WordPress export"),
        ('<?xml version="1.0"?><html><body>Hello</body></html>', "not an RSS export"),
        (b"\xff\xd8\xff\xe0 a JPEG, not XML", "not well-formed"),
        (b"", "no element found"),
        (SITE_EXPORT.read_text().replace(">1.2</wp:wxr_version>", ">2.0</wp:wxr_version>"), "2.0"),
    ],
)
def test_what_is_not_a_wordpress_export_is_refused(write, content, reason):
    with pytest.raises(CommandError, match=reason):
        run_import(write(content))
    assert nothing_imported()


def test_a_missing_export_is_named(tmp_path):
    with pytest.raises(CommandError, match="export: no file at"):
        run_import(tmp_path / "nowhere.xml")


def test_a_missing_media_folder_is_named(tmp_path):
    with pytest.raises(CommandError, match="--media-dir: no folder at"):
        run_import(SITE_EXPORT, "--media-dir", str(tmp_path / "nowhere"), media=False)


def test_a_media_address_must_be_http(db):
    with pytest.raises(CommandError, match="--media-base-url 'file:///etc/'"):
        run_import(SITE_EXPORT, "--media-base-url", "file:///etc/")


def test_a_second_site_is_not_mixed_into_the_first(imported, export_copy):
    other = export_copy(*[("https://old.example.kz", "https://other.example.kz")])
    with pytest.raises(CommandError, match="already holds the import of https://old.example.kz"):
        run_import(other)
    assert not OldAddress.objects.filter(path__contains="other").exists()


def test_an_interrupted_import_says_where_it_stopped_and_keeps_what_came_before(db, monkeypatch):
    from wordpress.management.commands.import_wordpress import Command

    real, calls = Command.import_post, []

    def interrupted(self, element):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(self, element)

    monkeypatch.setattr(Command, "import_post", interrupted)
    with pytest.raises(CommandError, match=r"Stopped while reading stories, after line \d+"):
        run_import()
    assert Article.objects.count() == 2
    monkeypatch.undo()
    # The two before the interruption: one unchanged, one waiting for a missing file.
    assert "Stories: 4 imported, 1 updated, 1 unchanged" in run_import()
