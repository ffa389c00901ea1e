from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, get_language_info, override


def publication(request):
    return {"publisher": settings.NEWSROOM_PUBLISHER, "editions": editions}


# How each language calls itself on a switch; Django's «Қазақ» is the people, not the language.
OWN_NAMES = {"kk": "Қазақша"}


def editions():
    """The site's language editions, each linked at its front page."""
    current = get_language()
    result = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            url = reverse("articles:front-page")
        result.append(
            {
                "code": code,
                "name": OWN_NAMES.get(code) or get_language_info(code)["name_local"],
                "url": url,
                "current": code == current,
            }
        )
    return result
