import errno
import sys

from django.conf import settings
from django.http import Http404
from django.views import defaults
from django.views.static import serve

from project.middleware import database_unavailable, database_went_away


def server_error(request):
    """
    Django's 500 page, or the 503 page when the error was the database going
    away outside a view (the page cache asks it for the next scheduled story),
    where DatabaseUnavailableMiddleware does not see it.
    """
    error = sys.exc_info()[1]  # Django calls this while handling the error
    if database_unavailable(error):
        return database_went_away(request, error)
    return defaults.server_error(request)


def serve_upload(request, path):
    """Django's file view for uploads, where a name too long for the disk is a 404, not a 500."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            raise Http404("No such file.") from None
        raise
