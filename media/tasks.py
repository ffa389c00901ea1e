"""Photo work that takes longer than an editor should wait for."""

from django.conf import settings
from django_tasks import task

from media import decoding
from media.models import Photo, Rendition
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
    # A worker has time: it waits for a decoding slot as long as a task may run.
    with decoding.slot(wait=settings.NEWSROOM_TASK_TIMEOUT_SECONDS / 2, background=True):
        made = photo.make_renditions(standard_specs())
    current = Photo.objects.filter(pk=photo_id).first()
    if current is not None and current.token != token:
        # The editor moved the focal point or replaced the file while these were
        # being made: they show the old picture. Their rows would stop the new
        # picture's task from making those specs, and the list of made ones was
        # written for the old address. (Ones not made by then come on request.)
        for rendition in current.renditions.filter(file__contains=f"/{token}/"):
            rendition.delete()
        current.record_made_specs()
        return 0
    return len(made)


@task()
def delete_rendition_files(names):
    """
    The files of renditions that showed an old picture or credit, once no page
    links them any more. Queued by Photo.forget_renditions(); safe to run twice.
    """
    storage = Rendition._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
    return len(names)
