from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNullCharactersMiddleware:
    """
    Answer 400 to a NUL character in the path or the query string.

    PostgreSQL refuses NUL in text, so one reaching a query (a slug, the admin's
    search box) would be a server error. Forms already refuse it field by field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            return HttpResponseBadRequest(
                _("The address contains a character that is not allowed.")
            )
        return self.get_response(request)
