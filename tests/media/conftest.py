from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from newsroom.models import Author, User

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture(name):
    return (FIXTURES / name).read_bytes()


def upload(name, data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, fixture(name) if data is None else data, content_type)


def make_staff(username, group, author_name=None):
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    if author_name:
        Author.objects.create(name=author_name, user=user)
    return user


@pytest.fixture
def photographer(db):
    return make_staff("daniyar", "Photographers", "Данияр Сейітқали")


@pytest.fixture
def other_photographer(db):
    return make_staff("aigul", "Photographers", "Айгүл Қасымова")


@pytest.fixture
def editor(db):
    return make_staff("aigerim", "Editors", "Айгерим Нұрланқызы")


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
