"""
What a site holds, as plain data: the stories, photos, renditions, portraits and
revisions, with every file's bytes hashed as read back through its storage.
The backup test takes it of the site it backs up and of the one it restored.
"""

import hashlib


def digest(field_file):
    if not field_file:
        return None
    with field_file.open("rb") as file:
        return [field_file.name, hashlib.sha256(file.read()).hexdigest()]


def inventory():
    from reversion.models import Revision, Version

    from articles.models import Article
    from media.models import Photo, Rendition
    from newsroom.models import Author

    stories = Article.objects.order_by("pk")
    versions = Version.objects.order_by("pk").select_related("content_type")
    return {
        "stories": [
            [story.pk, story.title, story.status, story.lead_photo_id, sorted(story.tags.names())]
            for story in stories
        ],
        "revisions": [
            [version.revision_id, version.content_type.model, version.object_id,
             version.object_repr]
            for version in versions
        ],
        "revision_comments": list(Revision.objects.order_by("pk").values_list("comment")),
        "photos": [
            [photo.pk, photo.file_hash, photo.made_specs, digest(photo.original),
             digest(photo.working_copy)]
            for photo in Photo.objects.order_by("pk")
        ],
        "renditions": [
            [rendition.photo_id, rendition.spec, digest(rendition.file)]
            for rendition in Rendition.objects.order_by("pk")
        ],
        # A portrait is a library photo (its files are among the photos'); files
        # kept from before portraits were photos (Author.portrait_file) too.
        "portraits": [
            [author.pk, getattr(author, "portrait", None) and author.portrait.pk,
             digest(author.portrait_file)]
            for author in Author.objects.select_related("portrait").order_by("pk")
        ],
    }  # fmt: skip


if __name__ == "__main__":
    import json

    import django

    django.setup()
    print(json.dumps(inventory(), ensure_ascii=False))
