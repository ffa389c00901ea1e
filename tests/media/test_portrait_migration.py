"""
Upgrading turns every author's portrait file into a library photo, linked as
their portrait, and readers see it where they saw the file; the old column
keeps its files for one release, so going back loses nothing.
"""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from media.imaging import drawn_portrait
from media.models import Photo
from media.specs import parse
from newsroom.models import Author
from tests.factories import make_article

BEFORE = [
    ("newsroom", "0007_photographers_without_author_records"),
    ("media", "0003_role_permissions"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_portrait_files_become_library_photos_that_readers_see(client):
    old = migrate(BEFORE)
    OldAuthor = old.get_model("newsroom", "Author")
    data = drawn_portrait(200, seed=5)
    pictured = OldAuthor.objects.create(
        name="Ирина Капитанова",
        slug="irina-kapitanova",
        portrait=ContentFile(data, "irina.jpg"),
    )
    broken = OldAuthor.objects.create(
        name="Данияр Сейітқали", slug="daniyar", portrait=ContentFile(b"not a picture", "d.jpg")
    )
    OldAuthor.objects.create(name="Без портрета", slug="bez-portreta")

    migrate(latest())

    author = Author.objects.get(pk=pictured.pk)
    photo = author.portrait
    with photo.original.open("rb") as file:
        assert file.read() == data  # kept as uploaded, in the originals storage
    assert photo.original.storage is Photo._meta.get_field("original").storage
    assert (photo.width, photo.height, photo.file_format) == (200, 200, "jpeg")
    assert photo.alt_text == "Фото Ирина Капитанова" and photo.credit_line == ""
    assert author.portrait_file.name == pictured.portrait.name  # kept for one release
    # A file that no longer decodes stays a file; nobody gets a photo by mistake.
    assert Photo.objects.count() == 1
    assert Author.objects.get(pk=broken.pk).portrait_file.name

    make_article(authors=[author])
    page = client.get(author.get_absolute_url()).content.decode()
    assert photo.rendition_url(parse("1x1-160.jpg")) in page  # made when first asked for
    assert 'alt="Фото Ирина Капитанова"' in page

    # Going back unlinks the photos and finds every file where it was.
    old = migrate(BEFORE)
    assert old.get_model("newsroom", "Author").objects.get(pk=pictured.pk).portrait.name
    migrate(latest())
