"""
Readers' pages from Django's cache: rendered once, served until something changes.

A page is stored under the site's version (SiteVersion), which grows on every
save or deletion of a story, byline, tag, section, author or photo, so an edit,
a correction or an unpublished story shows at once. A scheduled story appears
without anyone saving anything, so a page is kept at most until the next
scheduled publication time. Only whole 200 answers to GET are kept; previews,
search and anything for a signed-in session are not decorated with this.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import get_language

from articles.models import Article, SiteVersion

# Saving these changes nothing a reader sees (renditions are made by page views).
NOT_CONTENT = {"Rendition", "PreviewLink", "SiteVersion", "User"}
WATCHED_APPS = {"articles", "media", "newsroom"}


def reader_page(view):
    """Serve the view's page from the cache while the site has not changed."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not settings.NEWSROOM_PAGE_CACHE_SECONDS or request.method not in {"GET", "HEAD"}:
            return view(request, *args, **kwargs)
        version, next_publication = current_state()
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"newsroom:page:{version}:{get_language()}:{request.method}:{path}"
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
        if next_publication is not None:
            seconds = min(seconds, int((next_publication - timezone.now()).total_seconds()))
        if response.status_code == 200 and not response.streaming and seconds > 0:
            if callable(getattr(response, "render", None)):
                response.add_post_render_callback(lambda page: cache.set(key, page, seconds))
            else:
                cache.set(key, response, seconds)
        return response

    return cached_view


def current_state():
    """The site's version and the next scheduled publication time, in one query."""
    scheduled = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values("published_at")[:1]
    )
    row = SiteVersion.objects.filter(pk=1).annotate(next=Subquery(scheduled)).first()
    return (row.number, row.next) if row else (0, None)


def content_changed(sender, action="post", **kwargs):
    if not action.startswith("post"):  # m2m_changed also announces what it is about to do
        return
    if sender._meta.app_label in WATCHED_APPS and sender.__name__ not in NOT_CONTENT:
        SiteVersion.bump()


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"newsroom-page-cache-{signal!r}")
