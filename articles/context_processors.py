from django.utils.functional import SimpleLazyObject

from articles.models import Section


def sections_of(request):
    """The site's sections, read once per request whoever asks first: a view or the navigation."""
    if not hasattr(request, "_navigation_sections"):
        request._navigation_sections = list(Section.objects.all())
    return request._navigation_sections


def navigation(request):
    # Lazy: pages that never draw the navigation (the admin) never run the query.
    return {"navigation_sections": SimpleLazyObject(lambda: sections_of(request))}
