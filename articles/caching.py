"""
Readers' pages from Django's cache, and the HTTP headers that let a browser,
nginx or a CDN keep them too.

Every cached page is kept with the site's *state* it was made under: a random
token, the moment it was drawn and the next scheduled publication. The state
lives in the cache itself, shared by every worker (Redis in production, files
on one machine), so a page served from the cache costs no database query, and
one round trip to the cache fetches both.

A change that readers could see draws a new token, which retires every page at
once. A change they could not see (a draft, a scheduled story before its
moment, a photo no published story uses, a rendition) retires nothing, so the
cache stays warm while the newsroom works. A scheduled story appears without
anyone saving anything: when its moment has passed, the first request draws a
new token. Only whole 200 answers to GET and HEAD are kept; previews and
search are not decorated with this.
"""

import contextlib
import hashlib
import logging
import pickle
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language_from_path

from newsroom import frontcache

logger = logging.getLogger(__name__)

STATE_KEY = "newsroom:site-state"

# Sent after every change that readers could see, once the change is committed.
# A front cache or CDN in front of the site purges here: connect a receiver
# (for example in a project's AppConfig.ready) that asks it to drop the site's
# pages. ``changed`` is the object whose change retired the pages.
pages_retired = Signal()

# How long a browser may reuse a page before asking again (with its ETag, so
# the answer is usually an empty 304), and how long a shared cache may serve
# a stale page while it fetches a fresh one.
BROWSER_SECONDS = 0
STALE_WHILE_REVALIDATE_SECONDS = 60


@dataclass(frozen=True)
class SiteState:
    token: str
    changed_at: datetime
    # The next moment pages change by themselves: a scheduled story appears, or midnight.
    next_publication: datetime | None


def site_state(state=None):
    """The current state; a new one if the cache lost it or a scheduled moment has passed."""
    state = state or cache.get(STATE_KEY)
    if state is None:
        return _new_state()
    if state.next_publication is not None and state.next_publication <= timezone.now():
        # A scheduled story has just appeared, or scheduled changes are due: they go
        # live now, before this request reads anything. What a front cache keeps is old too.
        from articles.models import Article

        Article.objects.publish_due_changes()
        state = _new_state()
        pages_retired.send(sender=None, changed=None)
    return remember(state)


# The state this process last read or drew.
_last_state = [None]


def remember(state):
    _last_state[0] = state
    return state


def recent_state():
    """
    The state, without a round trip while this process hears every change:
    with Redis, each process keeps a watch (pub/sub) that reads the state again
    whenever any process draws a new one. Without a live watch (no Redis, or
    Redis away), the shared cache is asked every time.
    """
    state = _last_state[0]
    if (
        state is not None
        and watching()
        and (state.next_publication is None or state.next_publication > timezone.now())
    ):
        return state
    return site_state()


def publish_what_is_due():
    """
    Before a page that is never cached (search, the admin, an editor's view of
    the site) reads a story: if a scheduled moment has passed, site_state puts
    what was due before readers. Costs nothing more than reading the state.
    """
    state = _last_state[0] if watching() else cache.get(STATE_KEY)
    if state is None or state.next_publication is None or state.next_publication > timezone.now():
        return
    try:
        site_state(state)
    except DatabaseError:
        # The page itself will say that the database is away (project/middleware.py).
        logger.warning("Scheduled changes wait: the database cannot be reached.")


def watching():
    watch = getattr(cache, "watch", None)
    return watch is not None and watch(STATE_KEY, _state_changed).live


def _state_changed():
    # In the watch's thread: another process drew a new state (or the watch
    # has just connected). None, if the cache lost it, makes the next request
    # ask the cache itself.
    state = _last_state[0] = cache.get(STATE_KEY)
    if state is not None:
        # Whichever machine drew it, the pages nginx keeps on this one are old.
        _purge_front_cache(state)


def _publish(state):
    cache.set(STATE_KEY, state, None)
    notify = getattr(cache, "notify", None)
    if notify is not None:
        notify(STATE_KEY)
    _purge_front_cache(state)


def _purge_front_cache(state):
    # A new token, or an earlier scheduled moment that no kept page may outlive.
    frontcache.purge_for(f"{state.token} {state.next_publication}")


def _new_state():
    from articles.models import Article

    scheduled = Article.objects.next_publication_time()
    state = SiteState(
        token=secrets.token_hex(8),
        changed_at=timezone.now().replace(microsecond=0),
        # Midnight in Almaty is a moment like a scheduled story's: the masthead
        # shows the day's date, and no kept page or rail may carry yesterday's.
        next_publication=min(filter(None, [scheduled, next_midnight()])),
    )
    _publish(state)
    return remember(state)


def next_midnight():
    """The next midnight, the newsroom's time (Asia/Almaty)."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


def retire_pages(changed=None):
    """
    Retire every cached page: now, and again when the transaction commits.

    Now, so that the next request inside this process sees the change; again
    after the commit, because a page made between now and the commit would
    show the old content under the new token.
    """
    if _batch.open:
        _batch.retire = True
        return
    _new_state()
    transaction.on_commit(lambda: _retire_after_commit(changed))


def _retire_after_commit(changed):
    _new_state()
    pages_retired.send(sender=type(changed) if changed is not None else None, changed=changed)


class _Batch(threading.local):
    open = False


_batch = _Batch()


@contextlib.contextmanager
def one_change():
    """
    Many saves told as one change (an import): the versions they draw and the
    pages they retire are drawn and retired once, as the block ends, by the
    same rules (now, and again after the commit). Saved one by one, a thousand
    stories cost a thousand new site states, each a few cache writes.
    """
    if _batch.open:
        yield
        return
    _batch.open, _batch.keys, _batch.retire = True, set(), False
    try:
        yield
    finally:
        keys, retire = sorted(_batch.keys), _batch.retire
        _batch.open, _batch.keys = False, set()
        new_versions(keys)
        if retire:
            retire_pages()


# What a story's page shows is made once per *version* of each thing it shows
# (articles/fragments.py): the story itself (with its bylines, tags, photos in
# the text and related stories), its section, the authors, tags and photos.
# Every save or deletion of one of them draws it a new version, whether readers
# see it or not, so a story page made from old versions is made again. A version
# the cache lost is drawn anew, never read back as an old one.
VERSION_KEY = "newsroom:version:{}"
VERSIONED = {"article", "section", "tag", "author", "photo"}


def version_keys(instance):
    """The versions that saving or deleting this object changes: "article:12", "photo:3" …"""
    keys = []
    name = instance._meta.model_name
    if name in VERSIONED and instance.pk is not None:
        keys.append(f"{name}:{instance.pk}")
    story_id = getattr(instance, "article_id", None) or getattr(instance, "content_object_id", None)
    if story_id is not None:
        keys.append(f"article:{story_id}")
    if name == "rendition":
        keys.append(f"photo:{instance.photo_id}")
    if name == "photo" and instance.portrait_of_id is not None:
        keys.append(f"author:{instance.portrait_of_id}")  # a new portrait, or one that changed
    return keys


def new_versions(keys):
    """Draw new versions: now, and again when the transaction commits (see retire_pages)."""
    if not keys:
        return
    if _batch.open:
        _batch.keys.update(keys)
        return
    _draw_versions(keys)
    transaction.on_commit(lambda: _draw_versions(keys))


def _draw_versions(keys):
    cache.set_many({VERSION_KEY.format(key): secrets.token_hex(8) for key in keys}, None)


def current_versions(keys):
    """The versions of these things now, in one round trip; a lost one is drawn anew."""
    found = cache.get_many([VERSION_KEY.format(key) for key in keys])
    versions = {key: found.get(VERSION_KEY.format(key)) for key in keys}
    for key in [key for key, version in versions.items() if version is None]:
        fresh = secrets.token_hex(8)
        # Another process may draw one at the same moment: whichever was kept wins.
        versions[key] = fresh if cache.add(VERSION_KEY.format(key), fresh, None) else None
        versions[key] = versions[key] or cache.get(VERSION_KEY.format(key)) or fresh
    return versions


def note_scheduled(moment):
    """A story will appear at ``moment``: no cached page may outlive it."""
    if _batch.open:
        _batch.retire = True  # a new state asks for the next publication time itself
        return
    state = cache.get(STATE_KEY)
    if state is None or moment is None:
        return
    if state.next_publication is None or moment < state.next_publication:
        _publish(remember(SiteState(state.token, state.changed_at, moment)))


# What a kept page looks like: (token, pickled response). A new shape gets a new
# number, so that a deploy never reads the entries an older version wrote.
PAGE_FORMAT = 2

# The query parameters that make another page (a list's page, a sitemap's);
# any other (utm_source, fbclid …) shares the page's one cache entry.
PAGE_PARAMS = ("page", "p")


class PageCacheMiddleware:
    """
    Answer a reader's request for a cached page before anything else runs.

    It comes first: a page from the cache needs no session, no language switch,
    no URL resolving and no view. It keeps the page as it leaves every
    middleware below it, headers included (security headers, ETag,
    Last-Modified). A signed-in editor always goes the whole way.

    A change shows on the next request in every worker: with Redis each worker
    hears of a new state the moment it is drawn (recent_state), otherwise it
    asks the shared cache on every request. The page itself comes from this
    process's own copy when it has the page under the current state (a few
    hundred of the most asked-for pages, a few megabytes): then a hit makes no
    round trip at all. Else it comes from the shared cache, in one round trip
    (with the state, when the state is not heard of).
    """

    LOCAL_PAGES = 300

    def __init__(self, get_response):
        self.get_response = get_response
        self.local = OrderedDict()  # key → (token, pickled response)

    def __call__(self, request):
        if not cacheable_request(request):
            if not request.path_info.startswith(NOT_PAGES):
                publish_what_is_due()
            return self.get_response(request)
        key = page_key(request)
        token, pickled = self.local.get(key, (None, None))
        if token is not None:
            state = recent_state()
            if token != state.token:
                token, pickled = None, None
        if token is None:
            if watching():
                state = recent_state()
                found = {key: cache.get(key)}
            else:
                found = cache.get_many([STATE_KEY, key])
                state = site_state(found.get(STATE_KEY))
            token, pickled = found.get(key) or (None, None)
            if not isinstance(pickled, bytes):
                token, pickled = None, None
        request.site_state, request.page_cache_key = state, key
        seconds = lifetime(state)
        if token == state.token and seconds:
            self.keep_locally(key, token, pickled)
            if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
                unchanged = conditional_response(request, page_etag(key, state), state)
                if unchanged is not None:
                    return with_http_caching(
                        unchanged, request, page_etag(key, state), state, seconds
                    )
            response = pickle.loads(pickled)
            response["Cache-Control"] = public_cache_control(seconds)
            return response
        response = self.get_response(request)
        keep = getattr(response, "keep_in_page_cache", False) and seconds
        if keep and state.token != recent_state().token:
            # The site changed while this page was made: a front cache that kept
            # it would show the old page after the purge.
            patch_cache_control(response, no_cache=True)
            return response
        # A page that sets a cookie is somebody's own, never everybody's.
        if keep and not response.cookies:
            # The language is in the address, never in the request's headers.
            vary = [v for v in response.get("Vary", "").split(", ") if v != "Accept-Language"]
            if vary != [""]:
                del response["Vary"]
                if vary:
                    response["Vary"] = ", ".join(vary)
            # A feed is written in a thousand small pieces; served from the
            # cache, each would be a write of its own.
            response.content = response.content
            pickled = pickle.dumps(response, pickle.HIGHEST_PROTOCOL)
            cache.set(key, (state.token, pickled), seconds)
        return response

    def keep_locally(self, key, token, pickled):
        self.local[key] = (token, pickled)
        self.local.move_to_end(key)
        while len(self.local) > self.LOCAL_PAGES:
            self.local.popitem(last=False)


def public_cache_control(seconds):
    return (
        f"public, max-age={BROWSER_SECONDS}, s-maxage={seconds}, "
        f"stale-while-revalidate={STALE_WHILE_REVALIDATE_SECONDS}"
    )


def cacheable_request(request):
    return (
        request.method in {"GET", "HEAD"}
        and settings.NEWSROOM_PAGE_CACHE_SECONDS > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(NOT_PAGES)
    )


# Files, not pages: served by WhiteNoise, the web server or the rendition maker;
# the read API, which keeps its answers itself, after a client's key and rate
# limit are checked (api/views.py); and the readings' beacon, never kept by anyone.
NOT_PAGES = (settings.STATIC_URL, settings.MEDIA_URL, "/img/", "/api/", "/read/")


def reader_page(view):
    """
    Mark the view's pages as readers' pages: kept by PageCacheMiddleware while
    the site has not changed, with validators (ETag, Last-Modified) and
    Cache-Control for browsers and CDNs.
    """

    @wraps(view)
    def reader_view(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"}:
            return view(request, *args, **kwargs)
        state = getattr(request, "site_state", None) or site_state()
        request.site_state = state
        key = getattr(request, "page_cache_key", None) or page_key(request)
        etag = page_etag(key, state)
        seconds = lifetime(state)
        # A browser or CDN that holds this version of the page gets an empty 304.
        unchanged = conditional_response(request, etag, state)
        if unchanged is not None:
            return with_http_caching(unchanged, request, etag, state, seconds)
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming:
            return response
        response.keep_in_page_cache = cacheable_request(request)
        return with_http_caching(response, request, etag, state, seconds)

    reader_view.is_reader_page = True  # tests find every reader route by this
    return reader_view


def page_key(request, params=PAGE_PARAMS):
    """
    One entry per page, whatever else the query string carries. ``params=None``:
    every parameter makes another answer (the read API's filters), in any order.
    """
    if params is None:
        params = sorted(request.GET)
    query = "&".join(
        f"{name}={value}"
        for name in params
        for value in request.GET.getlist(name)[:1]  # the view reads the first one
    )
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"newsroom:page:{PAGE_FORMAT}:{language}:{request.method}:{digest}"


def page_etag(key, state):
    return f'W/"{hashlib.sha256(f"{state.token}{key}".encode()).hexdigest()[:24]}"'


def conditional_response(request, etag, state):
    """
    An empty 304 for a client that holds this version of the page, else None.

    «If-None-Match: *» asks whether the page exists at all; only the view knows
    that (a story may be unpublished or embargoed), so it gets no early answer.
    """
    if request.headers.get("If-None-Match", "").strip() == "*":
        return None
    return get_conditional_response(
        request, etag=etag, last_modified=int(state.changed_at.timestamp())
    )


def lifetime(state):
    """Seconds a page may be kept: the setting, and never past the next scheduled moment."""
    seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
    if state.next_publication is not None:
        seconds = min(seconds, int((state.next_publication - timezone.now()).total_seconds()))
    return max(seconds, 0)


def with_http_caching(response, request, etag, state, seconds):
    response["ETag"] = etag
    # A page from the cache carries the headers of the request that made it.
    del response["Cache-Control"]
    response["Last-Modified"] = http_date(state.changed_at.timestamp())
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        # A signed-in editor's copy is theirs: no shared cache keeps it.
        patch_cache_control(response, private=True, no_cache=True)
    elif seconds:
        response["Cache-Control"] = public_cache_control(seconds)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    return response


def readers_could_see(instance):
    """Whether saving or deleting this object changes anything a reader can see."""
    from articles.models import Article, Section, Tag, TaggedArticle
    from media.models import Photo
    from newsroom.models import Author

    published = Article.objects.published()
    if isinstance(instance, Article):
        return instance.is_published or getattr(instance, "_was_published", False)
    if isinstance(instance, Section):
        return True  # every page's navigation lists every section
    if isinstance(instance, Tag):
        return TaggedArticle.objects.published().filter(tag=instance).exists()
    if isinstance(instance, Author):
        return has_page(instance.pk)
    if isinstance(instance, Photo):
        # Two lookups, each by its own index: an OR across the join reads every story.
        return (
            published.filter(lead_photo=instance).exists()
            or published.filter(body_photos__photo=instance).exists()
            # A portrait shows on its author's page and in their stories' bylines.
            or any(has_page(pk) for pk in instance.portraits_shown())
        )
    story_id = getattr(instance, "article_id", None) or getattr(instance, "content_object_id", None)
    if story_id is not None:
        return published.filter(pk=story_id).exists()
    return False


def has_page(author_id):
    """Whether readers see the author: bylined, or credited for a photo, on a published story."""
    from articles.models import Article, Byline

    published = Article.objects.published()
    return (
        Byline.objects.published().filter(author_id=author_id).exists()
        or published.filter(lead_photo__creator_author_id=author_id).exists()
        or published.filter(body_photos__photo__creator_author_id=author_id).exists()
    )


# Saving these changes nothing a reader sees: renditions are made for pages
# that already link to their maker, share links are for people with the link,
# and readings change the most-read list on its own clock (articles/fragments.py).
NOT_CONTENT = {"Rendition", "PreviewLink", "User", "Reading"}
WATCHED_APPS = {"articles", "media", "newsroom"}


def watched(sender):
    return sender._meta.app_label in WATCHED_APPS and sender.__name__ not in NOT_CONTENT


def remember_visibility(sender, instance, **kwargs):
    """Before a story is saved: could readers see it until now?"""
    from articles.models import Article

    if isinstance(instance, Article) and instance.pk is not None:
        instance._was_published = Article.objects.published().filter(pk=instance.pk).exists()


def content_saved(sender, instance, **kwargs):
    if sender._meta.app_label in WATCHED_APPS:
        new_versions(version_keys(instance))
    if not watched(sender):
        return
    if readers_could_see(instance):
        retire_pages(instance)
    elif getattr(instance, "is_scheduled", False):
        note_scheduled(instance.published_at)
    elif getattr(instance, "changes_go_live_at", None):
        note_scheduled(instance.changes_go_live_at)


def content_deleted(sender, instance, **kwargs):
    if sender._meta.app_label in WATCHED_APPS:
        new_versions(version_keys(instance))
    if watched(sender) and (
        getattr(instance, "_was_visible", False) or readers_could_see(instance)
    ):
        retire_pages(instance)


def remember_deleted_visibility(sender, instance, **kwargs):
    # After a deletion the rows that made it visible are gone: ask before.
    if watched(sender):
        instance._was_visible = readers_could_see(instance)


def relations_changed(sender, instance, action, model, pk_set, **kwargs):
    # m2m_changed also announces what it is about to do; only what was done counts.
    if not action.startswith("post") or not watched(sender):
        return
    keys = version_keys(instance)
    if model._meta.model_name == "article":  # told from the other end: those stories changed
        keys += [f"article:{pk}" for pk in pk_set or ()]
    new_versions(keys)
    if readers_could_see(instance):
        retire_pages(instance)


def renditions_recorded(sender, photo, **kwargs):
    # Which renditions a photo has decides the <picture> a story page offers;
    # the photo's own version says so (a portrait's author is not changed by it).
    new_versions([f"photo:{photo.pk}"])


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

    from media import signals as media_signals

    pre_save.connect(remember_visibility, dispatch_uid="newsroom-page-cache-pre-save")
    post_save.connect(content_saved, dispatch_uid="newsroom-page-cache-post-save")
    pre_delete.connect(remember_deleted_visibility, dispatch_uid="newsroom-page-cache-pre-delete")
    post_delete.connect(content_deleted, dispatch_uid="newsroom-page-cache-post-delete")
    m2m_changed.connect(relations_changed, dispatch_uid="newsroom-page-cache-m2m")
    media_signals.renditions_recorded.connect(
        renditions_recorded, dispatch_uid="newsroom-page-cache-renditions"
    )
