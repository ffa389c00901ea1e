import sys

from django.views import defaults

from newsroom.middleware import database_unavailable, database_went_away


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
