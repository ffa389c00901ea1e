"""
Stories as a reader would see them before readers can: previews of the
current state or of any saved revision, for staff and for share links.

Every preview is marked noindex and no-store, and is never cached.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from articles.models import Article, Byline, Tag, TaggedArticle


def story_context(article, *, bylines=None, tags=None, related=None):
    """What the story template needs; previews of revisions pass their own lists."""
    if related is None:
        # The story page prefetched only published ones; a preview asks the database.
        prefetched = "related_stories" in getattr(article, "_prefetched_objects_cache", {})
        stories = article.related_stories.all()
        related = list(stories if prefetched else stories.published().exclude(pk=article.pk))
    return {
        "article": article,
        "current_section": article.section,
        "bylines": list(article.bylines.with_portraits()) if bylines is None else bylines,
        "tags": list(article.tags.all()) if tags is None else tags,
        "related": related,
    }


@never_cache
def render_preview(request, article, parts=None):
    context = story_context(article, **(parts or {})) | {"preview": True}
    response = render(request, "articles/article_detail.html", context)
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def from_version(version):
    """The story and its bylines, tags and related stories as one revision saved them."""
    article = version._object_version.object
    siblings = version.revision.version_set.all()
    bylines = sorted(
        (v._object_version.object for v in siblings if v._model is Byline),
        key=lambda byline: (byline.position, byline.pk),
    )
    tag_ids = [v._object_version.object.tag_id for v in siblings if v._model is TaggedArticle]
    related_ids = version.field_dict.get("related_stories", [])
    return article, {
        "bylines": bylines,
        "tags": list(Tag.objects.filter(pk__in=tag_ids)),
        "related": list(Article.objects.published().filter(pk__in=related_ids)),
    }


def compare_url(article, since=None):
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return f"{url}?{urlencode({'since': since})}" if since else url
