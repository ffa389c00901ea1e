"""
Every author's portrait file becomes a library photo, linked as their portrait.

The file is read from where the old field kept it, checked as an upload is,
and stored as a photo's original in the originals storage; its credit comes
from the file's own metadata where it has any (portraits written by the old
pipeline carry none: the library's «credit and alt text: missing» filter
lists them for editors to complete). Renditions are made on demand, as for
any photo. A file that is missing or no longer decodes is left where it is,
and said so.

Going back leaves the photos in the library and unlinks them (0004 removes
the link): the old column was never emptied, so the previous release finds
every portrait it had. Portraits set after the upgrade are not carried back:
their originals may hold a location, and readers never fetch an original.
"""

import hashlib
import posixpath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext


def portraits_to_photos(apps, schema_editor):
    from media import credits, imaging
    from media.models import new_token

    Author = apps.get_model("newsroom", "Author")
    Photo = apps.get_model("media", "Photo")
    authors = Author.objects.exclude(portrait_file="").exclude(portrait_file__isnull=True)
    for author in authors.filter(portrait__isnull=True).order_by("pk").iterator():
        name = author.portrait_file.name
        try:
            with author.portrait_file.open("rb") as file:
                data = file.read()
            inspection = imaging.inspect(data, max_pixels=settings.NEWSROOM_MAX_IMAGE_PIXELS)
        except (OSError, imaging.RefusedImage) as error:
            print(f"\n  The portrait of author {author.pk} ({name}) stays a file: {error}")
            continue
        file_hash = hashlib.sha256(data).hexdigest()
        photo = Photo.objects.filter(file_hash=file_hash).first()
        if photo is not None and photo.portrait_of_id is not None:
            print(f"\n  The portrait of author {author.pk} is another author's: not linked.")
            continue
        if photo is None:
            photo = Photo(
                file_hash=file_hash,
                file_format=inspection.file_format,
                file_size=len(data),
                width=inspection.width,
                height=inspection.height,
                token=new_token(),
            )
            for field, value in inspection.metadata.items():
                if field in credits.NAMES:
                    limit = Photo._meta.get_field(field).max_length
                    setattr(photo, field, value[:limit] if limit else value)
            with translation.override(settings.LANGUAGE_CODE):
                photo.alt_text = photo.alt_text or gettext("Photo %(name)s") % {
                    "name": author.name
                }
            stem = posixpath.splitext(posixpath.basename(name))[0] or "portrait"
            photo.original = ContentFile(data, name=f"{stem}.{imaging.EXTENSIONS[photo.file_format]}")
            copy = imaging.working_copy(data)
            if copy:
                photo.working_copy = ContentFile(copy, name=f"{file_hash}-working.jpg")
        photo.portrait_of = author
        try:
            photo.save()
        except BaseException:
            # The row is not there: its files may not stay either.
            for file in (photo.original, photo.working_copy):
                if file and file.name and file._committed:
                    file.storage.delete(file.name)
            raise


class Migration(migrations.Migration):
    dependencies = [("media", "0004_photo_portrait_of")]

    operations = [migrations.RunPython(portraits_to_photos, migrations.RunPython.noop)]
