from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture(name):
    return (FIXTURES / name).read_bytes()


def upload(name, data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, fixture(name) if data is None else data, content_type)


@pytest.fixture
def stored_files(settings):
    """Every file in public and private storage, to check nothing is left behind."""

    def files():
        roots = [
            Path(settings.MEDIA_ROOT),
            Path(settings.STORAGES["originals"]["OPTIONS"]["location"]),
        ]
        return sorted(
            str(p) for root in roots if root.exists() for p in root.rglob("*") if p.is_file()
        )

    return files
