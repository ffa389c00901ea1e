"""The site's language editions, for the language switch on every page and a story's own."""

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info, override

# How each language calls itself on a switch; Django's «Қазақ» is the people, not the language.
OWN_NAMES = {"kk": "Қазақша"}


def editions(request=None):
    """
    The site's language editions: ``url`` is this page in that edition (a
    section's page leads to the same section), ``front`` its front page.
    """
    current = get_language()
    result = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            front = reverse("articles:front-page")
        here = request.get_full_path() if request is not None else None
        result.append(
            {
                "code": code,
                "name": OWN_NAMES.get(code) or get_language_info(code)["name_local"],
                "url": translate_url(here, code) if here else front,
                "front": front,
                "current": code == current,
            }
        )
    return result
