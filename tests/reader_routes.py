"""
Every route of the site, found by walking the URLconf, and what each is to a
reader. Tests that must cover "every reader page" take their list from here,
so a new route fails them until it is described in ROUTES or left out in
EXCLUDED with the reason why.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils.translation import override

# Route prefixes that are not the reader's site, and why no reader test walks them.
EXCLUDED = {
    "admin/": "the editors' tool: every page needs a staff login (tests/articles/test_admin.py)",
    settings.MEDIA_URL.lstrip("/"): (
        "uploaded files, served in development only; a rendition lies under its photo's "
        "secret token, which ROUTES checks no reader page gives away"
    ),
}

# What each reader route is:
#   list  — a page, feed or sitemap that lists stories: shows nothing embargoed
#   owner — one section's, tag's or author's page or feed: exists only behind a
#           published story of its edition, else answers as an unknown one
#   story — one story's page
#   share — a share link, found by its signed token
#   file  — a photo's rendition, found by the photo's secret token
#   text  — robots.txt, the API's index and schema
#   beacon — a story's reading, counted: answers only for a published story
ROUTES = {
    "robots-txt": "text",
    "reading": "beacon",
    "sitemap-index": "list",
    "sitemap-news": "list",
    "sitemap": "list",
    "media:rendition": "file",
    "articles:front-page": "list",
    "articles:feed": "list",
    "articles:feed-atom": "list",
    "articles:feed-yandex": "list",
    "articles:feed-dzen": "list",
    "articles:search": "list",
    "articles:section": "owner",
    "articles:section-feed": "owner",
    "articles:section-feed-atom": "owner",
    "articles:tag": "owner",
    "articles:tag-feed": "owner",
    "articles:tag-feed-atom": "owner",
    "articles:author": "owner",
    "articles:author-feed": "owner",
    "articles:author-feed-atom": "owner",
    "articles:article": "story",
    "articles:preview-link": "share",
    # The read API (api/): the edition is a parameter, and lists of owners are lists too.
    "api:root": "text",
    "api:schema": "text",
    "api:story-list": "list",
    "api:section-list": "list",
    "api:tag-list": "list",
    "api:author-list": "list",
    "api:search": "list",
    "api:story-detail": "story",
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: URLPattern
    in_editions: bool  # under each edition's prefix: /, /kk/, /en/

    @property
    def kind(self):
        return ROUTES.get(self.name)

    def reverse(self, language, **kwargs):
        with override(language):
            return reverse(self.name, kwargs=kwargs or None)

    @property
    def languages(self):
        codes = [code for code, _name in settings.LANGUAGES]
        return codes if self.in_editions else [settings.LANGUAGE_CODE]


def walk(patterns=None, *, namespace="", prefix="", in_editions=False):
    """Every route outside EXCLUDED, with its namespaced name."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if any(route.startswith(excluded) for excluded in EXCLUDED):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(
                pattern.url_patterns,
                namespace=inner,
                prefix="" if isinstance(pattern.pattern, LocalePrefixPattern) else route,
                in_editions=in_editions or isinstance(pattern.pattern, LocalePrefixPattern),
            )
        elif isinstance(pattern, URLPattern):
            yield Route(f"{namespace}{pattern.name or route}", pattern, in_editions)


def unknown_routes():
    """Routes this module does not describe: each must be covered or excluded."""
    return sorted({route.name for route in walk() if route.kind is None})


def routes(*kinds):
    return [route for route in walk() if route.kind in kinds]
