from django.db import DatabaseError
from django.http import HttpResponsePermanentRedirect

from articles.models import Article
from wordpress.models import QUERY_KEYS, address_key, has_old_addresses

# Where WordPress answered its ?p= addresses: the site's root and its front script.
QUERY_PATHS = {"/", "/index.php"}


class OldAddressMiddleware:
    """
    Answer a WordPress address with a 301 to the story's address here.

    Like django.contrib.redirects' fallback, an old permalink is looked up only
    when the site found nothing at that address (a 404), so no page of ours is
    shadowed and no page found costs a query. ``/?p=12`` is looked up before
    the page cache, which would otherwise serve it the front page. A site that
    imported nothing learns it from the cache (wordpress.models.has_old_addresses).
    Only a published story is ever a destination: a draft's old address stays a 404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in QUERY_PATHS and request.method in {"GET", "HEAD"}:
            if any(name in request.GET for name in QUERY_KEYS):
                try:
                    found = self.redirect(address_key(request.path, request.GET))
                except DatabaseError:
                    found = None  # the page below answers with the site's 503
                if found is not None:
                    return found
        response = self.get_response(request)
        if response.status_code == 404 and request.method in {"GET", "HEAD"}:
            return self.redirect(address_key(request.path)) or response
        return response

    def redirect(self, key):
        if key is None or not has_old_addresses():
            return None
        story = (
            Article.objects.published()
            .filter(old_addresses__path=key)
            .select_related("section")
            .only("pk", "slug", "language", "section__slug")
            .first()
        )
        return HttpResponsePermanentRedirect(story.get_absolute_url()) if story else None
