from django.utils.functional import SimpleLazyObject

from articles.models import Section

# The sections as of a state of the site (articles/caching.py): any change to a
# section draws a new state, so this process reads them again only then.
_SECTIONS_BY_STATE = {}


def sections_of(request):
    """The site's sections, read once per request whoever asks first: a view or the navigation."""
    if not hasattr(request, "_navigation_sections"):
        state = getattr(request, "site_state", None)
        if state is None:
            request._navigation_sections = list(Section.objects.all())
        else:
            if state.token not in _SECTIONS_BY_STATE:
                _SECTIONS_BY_STATE.clear()
                _SECTIONS_BY_STATE[state.token] = list(Section.objects.all())
            request._navigation_sections = _SECTIONS_BY_STATE[state.token]
    return request._navigation_sections


def navigation(request):
    # Lazy: pages that never draw the navigation (the admin) never run the query.
    return {"navigation_sections": SimpleLazyObject(lambda: sections_of(request))}
