"""Photo work that takes longer than an editor should wait for."""

from django_tasks import task

from media.models import Photo
from media.specs import standard_specs


@task()
def make_renditions(photo_id, token):
    """
    Every rendition a page can ask for, AVIF included, so that readers never wait
    for one. Queued by Photo.make_renditions_later(); safe to run twice.
    """
    photo = Photo.objects.filter(pk=photo_id, token=token).first()
    if photo is None:
        # Deleted, or its picture changed since: that change queued a task of its own.
        return 0
    return len(photo.make_renditions(standard_specs()))
