from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from articles.fragments import latest_of, most_read_moment, most_read_of, sections_of
from articles.models import OG_LOCALES


def navigation(request):
    # Lazy: pages that never draw the navigation or the rail (the admin) never read them.
    return {
        "navigation_sections": SimpleLazyObject(lambda: sections_of(request)),
        "rail_stories": SimpleLazyObject(lambda: latest_of(request)),
        "most_read": SimpleLazyObject(lambda: most_read_of(request)),
        "most_read_moment": most_read_moment(),
        "og_locale": OG_LOCALES.get(get_language(), get_language()),
    }
