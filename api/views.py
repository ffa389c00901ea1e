"""
The read API: views only choose a queryset, as the reader pages do, and read
it the same way (ids from an index, then the rows), through
Article.objects.published() and nothing else.
"""

from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from api import parameters, serializers
from articles import search
from articles.caching import (
    conditional_response,
    lifetime,
    page_etag,
    page_key,
    recent_state,
    with_http_caching,
)
from articles.models import Article, Byline, TaggedArticle, author_pages
from project.address import absolute_url


class ReadView(APIView):
    """
    A GET that answers as the reader pages do: the site's state names the
    answer's version (ETag, 304 to a client that holds it, Cache-Control), and
    the answer is kept in the shared cache until the site changes. Unlike a
    reader page it is kept here, after the client's key and rate limit are
    checked, and under every query parameter, since each filter is another answer.
    """

    query_class = parameters.PagedQuery

    def get(self, request, **kwargs):
        query = self.query_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        state = recent_state()
        key = page_key(request, params=None)
        etag, seconds = page_etag(key, state), lifetime(state)
        unchanged = conditional_response(request, etag, state)
        if unchanged is not None:
            return with_http_caching(unchanged, request, etag, state, seconds)
        kept = cache.get(key) if seconds else None
        if isinstance(kept, tuple) and kept[0] == state.token:
            data = kept[1]
        else:
            data = self.answer(request, query.validated_data, **kwargs)
            # Kept only if the site did not change while the answer was made.
            if seconds and recent_state().token == state.token:
                cache.set(key, (state.token, data), seconds)
        return with_http_caching(Response(data), request, etag, state, seconds)

    def answer(self, request, params, **kwargs):
        raise NotImplementedError


def next_page(request, cursor):
    """The same address with the next page's cursor, or None at the end."""
    if cursor is None:
        return None, None
    query = QueryDict(mutable=True)
    query.update(request.query_params)
    query["cursor"] = cursor
    return absolute_url(f"{request.path}?{query.urlencode()}"), cursor


def page(request, results, cursor, **extra):
    link, cursor = next_page(request, cursor)
    return {"results": results, "next": link, "next_cursor": cursor, **extra}


def stories_by_id(ids, extra=None):
    """The published stories with these ids, ready for a list, in the order of ids."""
    stories = Article.objects.published().filter(pk__in=ids).for_listing().prefetch_related("tags")
    if extra is not None:
        stories = extra(stories)
    by_id = {story.pk: story for story in stories}
    return [by_id[pk] for pk in ids if pk in by_id]


def owner_listing(params):
    """
    The stories to list, as (queryset, time field, story id field): an
    owner's listing rows when one is asked for, else the edition's stories.
    An owner with no published story in the edition lists nothing.
    """
    edition = params["edition"]
    stories = Article.objects.published().in_language(edition)
    if slug := params.get("section"):
        owner = stories.owners().filter(slug=slug).first()
        return stories.in_section(owner) if owner else None, "published_at", "pk"
    if slug := params.get("tag"):
        tagged = TaggedArticle.objects.published().in_language(edition)
        owner = tagged.owners().filter(slug=slug).first()
        return tagged.filter(tag=owner) if owner else None, "story_published_at", "content_object"
    if slug := params.get("author"):
        bylines = Byline.objects.published().in_language(edition)
        owner = author_pages(edition).filter(slug=slug).first()
        return bylines.filter(author=owner) if owner else None, "story_published_at", "article"
    return stories, "published_at", "pk"


class StoryListView(ReadView):
    """Published stories of an edition, newest first; by section, tag or author; by time."""

    query_class = parameters.StoryQuery

    @extend_schema(
        parameters=[parameters.StoryQuery],
        responses=serializers.StoryPageSerializer,
        operation_id="stories_list",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def answer(self, request, params):
        listing, time, story = owner_listing(params)
        if listing is None:
            return page(request, [], None)
        if "published_after" in params:
            listing = listing.filter(**{f"{time}__gte": params["published_after"]})
        if "published_before" in params:
            listing = listing.filter(**{f"{time}__lt": params["published_before"]})
        if "cursor" in params:
            # Right after the last story of the page before, in index order: at
            # or before its moment, and among stories of that very moment, older ids.
            moment, pk = params["cursor"]
            listing = listing.filter(
                Q(**{f"{time}__lte": moment})
                & (Q(**{f"{time}__lt": moment}) | Q(**{f"{story}__lt": pk}))
            )
        size = params["page_size"]
        id_field = "pk" if story == "pk" else f"{story}_id"
        rows = list(
            listing.order_by(f"-{time}", f"-{id_field}").values_list(id_field, time)[: size + 1]
        )
        shown = rows[:size]
        # An author bylined twice on a story (text and photos) lists it once.
        stories = stories_by_id(list(dict.fromkeys(pk for pk, _moment in shown)))
        cursor = None
        if len(rows) > size:
            last_id, last_moment = shown[-1]
            cursor = parameters.encode_cursor(
                *parameters.story_position(Article(pk=last_id, published_at=last_moment))
            )
        results = serializers.StorySerializer(stories, many=True).data
        return page(request, results, cursor)


class StoryDetailView(ReadView):
    """One published story with its text; anything else is 404, as on the site."""

    query_class = parameters.NoQuery

    @extend_schema(
        parameters=[], responses=serializers.StoryDetailSerializer, operation_id="stories_detail"
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def answer(self, request, params, pk):
        story = (
            Article.objects.published()
            .defer("body_text", "search_vector")
            .select_related("section", "lead_photo__creator_author")
            .prefetch_related(
                Prefetch(
                    "bylines",
                    queryset=Byline.objects.with_portraits(),
                    to_attr="listed_bylines",
                ),
                "tags",
            )
            .filter(pk=pk)
            .first()
        )
        if story is None:  # a draft, a scheduled or a taken-down story is no story of ours
            raise NotFound(_("No published story has this id."))
        translations = (
            story.translation_group()
            .published()
            .select_related("section")
            .only("title", "slug", "language", "section__slug")
        )
        order = parameters.editions()  # as the story page lists them
        translations = sorted(translations, key=lambda other: order.index(other.language))
        return serializers.StoryDetailSerializer(story, context={"translations": translations}).data


class SectionListView(ReadView):
    """The sections an edition has pages for: those with a published story in it."""

    @extend_schema(
        parameters=[parameters.PagedQuery],
        responses=serializers.SectionPageSerializer,
        operation_id="sections_list",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def answer(self, request, params):
        edition = params["edition"]
        sections = Article.objects.published().in_language(edition).owners()
        context = {"edition": edition}
        return page(
            request, serializers.SectionSerializer(sections, many=True, context=context).data, None
        )


class OwnerListView(ReadView):
    """Tags or authors with a page in an edition, by slug, a page at a time."""

    query_class = parameters.OwnerQuery
    serializer_class = None

    def owners(self, edition):
        raise NotImplementedError

    def answer(self, request, params):
        owners = self.owners(params["edition"]).order_by("slug")
        if "cursor" in params:
            owners = owners.filter(slug__gt=params["cursor"])
        size = params["page_size"]
        found = list(owners[: size + 1])
        cursor = parameters.encode_cursor(found[size - 1].slug) if len(found) > size else None
        context = {"edition": params["edition"]}
        results = self.serializer_class(found[:size], many=True, context=context).data
        return page(request, results, cursor)


class TagListView(OwnerListView):
    serializer_class = serializers.TagSerializer

    @extend_schema(
        parameters=[parameters.OwnerQuery],
        responses=serializers.TagPageSerializer,
        operation_id="tags_list",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def owners(self, edition):
        return TaggedArticle.objects.published().in_language(edition).owners()


class AuthorListView(OwnerListView):
    serializer_class = serializers.AuthorSerializer

    @extend_schema(
        parameters=[parameters.OwnerQuery],
        responses=serializers.AuthorPageSerializer,
        operation_id="authors_list",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def owners(self, edition):
        return author_pages(edition).select_related("portrait__creator_author")


class SearchView(ReadView):
    """
    The site's search (articles/search.py): the newest matches ranked, the
    same limits and cost as the search page; the cursor pages through them.
    """

    query_class = parameters.SearchQuery

    @extend_schema(
        parameters=[parameters.SearchQuery],
        responses=serializers.SearchPageSerializer,
        operation_id="search",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def answer(self, request, params):
        edition, query = params["edition"], params["q"]
        found = search.find(Article.objects.published().in_language(edition), query, edition)
        start, size = params.get("cursor", 0), params["page_size"]
        ids = found.ids[start : start + size]
        stories = stories_by_id(ids, lambda rows: search.with_snippets(rows, query, edition))
        results = serializers.StorySerializer(stories, many=True).data
        for result, story in zip(results, stories, strict=True):
            result["snippet"] = str(search.snippet(story, query))
        more_pages = start + size < len(found.ids)
        cursor = parameters.encode_cursor(start + size) if more_pages else None
        return page(request, results, cursor, more=found.more)


class RootView(APIView):
    """What this API offers, with the address of each."""

    @extend_schema(exclude=True)
    def get(self, request):
        names = ["story-list", "section-list", "tag-list", "author-list", "search", "schema"]
        return Response({name: absolute_url(reverse(f"api:{name}")) for name in names})
