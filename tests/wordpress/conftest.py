import io
from pathlib import Path

import pytest
from django.core.management import call_command

EXPORTS = Path(__file__).resolve().parent / "exports"
UPLOADS = EXPORTS / "uploads"
SITE_EXPORT = EXPORTS / "stepnye-vesti-1.2.xml"


def run_import(export=None, *options, media=True):
    """Run the command as an operator would; its report (stdout) is returned."""
    out, err = io.StringIO(), io.StringIO()
    media_options = ["--media-dir", str(UPLOADS)] if media else []
    export = export or SITE_EXPORT
    call_command("import_wordpress", str(export), *media_options, *options, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def imported(db):
    """The shipped export of «Степные вести», imported once with its uploads folder."""
    return run_import()


@pytest.fixture
def export_copy(tmp_path):
    """A copy of the shipped export, changed by ``replace`` pairs: the site a day later."""

    def copy(*replacements, name="export.xml"):
        text = SITE_EXPORT.read_text()
        for old, new in replacements:
            assert old in text, old
            text = text.replace(old, new)
        path = tmp_path / name
        path.write_text(text)
        return path

    return copy
