from django.utils.functional import SimpleLazyObject

from articles.fragments import sections_of


def navigation(request):
    # Lazy: pages that never draw the navigation (the admin) never run the query.
    return {"navigation_sections": SimpleLazyObject(lambda: sections_of(request))}
