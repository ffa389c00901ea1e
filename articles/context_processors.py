from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from articles.models import Article

# The sections of each edition as of a state of the site (articles/caching.py):
# a change to a section, and a story that appears or goes (scheduled ones at
# their moment too), draws a new state, so this process reads them again only then.
_SECTIONS_BY_STATE = {}


def edition_sections():
    """The sections with a published story in this edition: only those have a page."""
    return list(Article.objects.published().in_language().owners())


def sections_of(request):
    """The edition's sections, read once a request by whoever asks first: view or navigation."""
    if not hasattr(request, "_navigation_sections"):
        state = getattr(request, "site_state", None)
        if state is None:
            request._navigation_sections = edition_sections()
        else:
            key = (state.token, get_language())
            sections = _SECTIONS_BY_STATE.get(key)
            if sections is None:
                if not any(token == state.token for token, _language in list(_SECTIONS_BY_STATE)):
                    _SECTIONS_BY_STATE.clear()  # an older state's: never asked for again
                sections = _SECTIONS_BY_STATE[key] = edition_sections()
            request._navigation_sections = sections
    return request._navigation_sections


def navigation(request):
    # Lazy: pages that never draw the navigation (the admin) never run the query.
    return {"navigation_sections": SimpleLazyObject(lambda: sections_of(request))}
