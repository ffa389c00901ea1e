from collections import defaultdict

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import ListView, TemplateView

from articles import fragments, previews, readings, search
from articles.body import photos_in_body
from articles.models import (
    LINK_FIELDS,
    Article,
    Byline,
    PreviewLink,
    TaggedArticle,
    author_pages,
    union_all_sql,
)
from media.models import Photo

STORIES_PER_PAGE = 20
LATEST_ON_FRONT_PAGE = 10
STORIES_PER_SECTION_BLOCK = 4
# Pages deeper than this answer 404: reading them would cost more with every
# page, and the sitemaps, not list pages, take crawlers to every story.
MAX_PAGES = 500
PHOTOS_ON_AUTHOR_PAGE = 12
READ_ALSO_LENGTH = 4


def edition():
    """Published stories of the edition being read: /kk/ is Kazakh, / is Russian."""
    return Article.objects.published().in_language()


class FrontPageView(TemplateView):
    """
    The top story, the latest ones, and each section's latest few. A section's
    block shows its newest stories even when the latest news shows them too:
    a reader who looks for sport looks at the sport block.
    """

    template_name = "articles/front_page.html"

    def get_context_data(self, **kwargs):
        # Everything on it changes only with the site's state: read once a state.
        stories = fragments.by_state(
            self.request,
            ("front-page",),
            lambda: edition().front_page(
                fragments.sections_of(self.request),
                LATEST_ON_FRONT_PAGE,
                STORIES_PER_SECTION_BLOCK,
            ),
        )
        return super().get_context_data(**stories, **kwargs)


def rows_by_id(ids, extra=None):
    """The published stories with these ids, ready for a list, by id."""
    stories = Article.objects.published().filter(pk__in=[pk for pk in ids if pk]).for_listing()
    if extra is not None:
        stories = extra(stories)
    return defaultdict(lambda: None, {story.pk: story for story in stories})


class StoryPage:
    """
    A page of a list of stories, numbered but never counted: counting the
    stories of a section would read them all. A page knows whether there is
    another after it by asking for one story more than it shows.
    """

    def __init__(self, number, object_list, has_next):
        self.number = number
        self.object_list = object_list
        self._has_next = has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def page_number(request):
    """The page asked for: 1 to MAX_PAGES; anything else is no page of ours."""
    value = request.GET.get("page", "1")
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_PAGES:
        raise Http404("No such page.")
    return int(value)


class StoryListView(ListView):
    """A paginated list of the edition's published stories that belong to one thing."""

    paginate_by = STORIES_PER_PAGE
    context_object_name = "articles"
    owner = None

    def listing(self):
        """Ids of the stories to list, newest first, as an index serves them."""
        raise NotImplementedError

    def get_queryset(self):
        # What a list's page shows changes only with the site's state: found once a state.
        number = page_number(self.request)
        key = ("list", type(self).__name__, self.kwargs.get("slug"), number)
        self.owner, self.page = fragments.by_state(
            self.request, key, lambda: self.find_page(number, self.paginate_by)
        )
        return self.page.object_list

    def find_page(self, number, page_size):
        ids = self.listing()
        offset = (number - 1) * page_size
        page_ids = list(dict.fromkeys(ids[offset : offset + page_size + 1]))
        if number > 1 and not page_ids:
            raise Http404("No such page.")
        by_id = fragments.cards_by_id(page_ids[:page_size])
        stories = [by_id[pk] for pk in page_ids[:page_size] if by_id.get(pk)]
        return self.owner, StoryPage(number, stories, has_next=len(page_ids) > page_size)

    def paginate_queryset(self, stories, page_size):
        return None, self.page, stories, self.page.has_other_pages()

    def get_context_data(self, **kwargs):
        return super().get_context_data(owner=self.owner, **kwargs)


class SectionView(StoryListView):
    template_name = "articles/section_detail.html"

    def listing(self):
        self.owner = get_object_or_404(edition().owners(), slug=self.kwargs["slug"])
        return edition().in_section(self.owner).newest_ids()

    def get_context_data(self, **kwargs):
        # The rail's most read are the section's own.
        most_read = fragments.most_read_of(self.request, self.owner)
        return super().get_context_data(
            current_section=self.owner, most_read=most_read, most_read_in=self.owner, **kwargs
        )


class TagView(StoryListView):
    template_name = "articles/tag_detail.html"

    def listing(self):
        tagged = TaggedArticle.objects.published().in_language()
        self.owner = get_object_or_404(tagged.owners(), slug=self.kwargs["slug"])
        return tagged.filter(tag=self.owner).newest_story_ids()


class AuthorView(StoryListView):
    template_name = "articles/author_detail.html"

    def listing(self):
        # With the portrait and its photographer, in the same query: the page draws both.
        self.owner = get_object_or_404(
            author_pages().select_related("portrait__creator_author"), slug=self.kwargs["slug"]
        )
        return Byline.objects.published().in_language().filter(author=self.owner).newest_story_ids()

    def get_context_data(self, **kwargs):
        photos = fragments.by_state(self.request, ("photos by", self.owner.pk), self.photos)
        return super().get_context_data(photos=photos, **kwargs)

    def photos(self):
        # A photographer's photos, but only those readers have already seen in a story:
        # the newest of theirs first, each checked for one published story.
        return list(
            Photo.objects.filter(creator_author=self.owner)
            .filter(Exists(Article.objects.published().filter(lead_photo=OuterRef("pk"))))
            .select_related("creator_author")
            .order_by("-created_at", "-pk")[:PHOTOS_ON_AUTHOR_PAGE]
        )


class SearchView(StoryListView):
    template_name = "articles/search.html"

    def listing(self):
        self.query = self.request.GET.get("q", "")[:500].strip()
        self.results = search.find(edition(), self.query)
        return self.results.ids

    def get_queryset(self):
        # Never kept: readers' words are countless, and would push out what pages share.
        return self.listing()

    def paginate_queryset(self, ids, page_size):
        number = page_number(self.request)
        page_ids = ids[(number - 1) * page_size : number * page_size]
        if number > 1 and not page_ids:
            raise Http404("No such page.")
        by_id = rows_by_id(page_ids, lambda rows: search.with_snippets(rows, self.query))
        stories = [by_id[pk] for pk in page_ids if by_id.get(pk)]
        page = StoryPage(number, stories, has_next=len(ids) > number * page_size)
        return None, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, results=self.results, **kwargs)


def article_detail(request, section, pk, slug):
    # Read before the story's rows: parts made from older rows carry older versions.
    versions = fragments.STORY_PAGES.versions([pk])
    # What the page needs around its kept parts: a narrow row; the whole one only to draw them.
    article = get_object_or_404(Article.objects.published().as_links(None), pk=pk)
    # The id is the story's identity; an old headline, section or edition still finds it.
    if (
        section != article.section.slug
        or slug != article.slug
        or article.language != get_language()
    ):
        return redirect(article, permanent=True)
    parts = fragments.STORY_PAGES.kept(article.pk, article.edit_token, versions)
    if parts is None:
        article = get_object_or_404(
            Article.objects.published()
            .defer("body_text", "search_vector")
            .select_related("section", "lead_photo__creator_author"),
            pk=pk,
        )
        # Drawn now: the story's bylines, tags and the editors' related stories.
        prefetch_related_objects(
            [article], Prefetch("bylines", queryset=Byline.objects.with_portraits()), "tags"
        )
        bylines, tags = list(article.bylines.all()), list(article.tags.all())
        chosen_ids = article.related_stories.values_list("pk", flat=True)
        body_photos = photos_in_body(article)
        parts = fragments.STORY_PAGES.new(
            article.pk,
            fragments.story_page_shows(article, bylines, tags, body_photos),
            versions,
            tag_ids=[tag.pk for tag in tags],  # «read also» looks for stories with these
            chosen_ids=list(chosen_ids),  # the editors' related stories, published or not
        )
        context = previews.story_context(article, bylines=bylines, tags=tags, related=[])
        context["share_image"] = article.share_image
    else:
        context = {"article": article, "current_section": article.section}
    context["story_parts"] = parts
    # Other stories' appearing or going changes these: kept while the site's state holds.
    context.update(
        fragments.by_state(
            request,
            ("links around", article.pk, article.edit_token),
            lambda: links_around(article, parts),
        )
    )
    context["og_locale"] = article.og_locale
    response = render(request, "articles/article_detail.html", context)
    fragments.STORY_PAGES.keep(article.pk, article.edit_token, parts)
    return response


def links_around(article, parts):
    """«Read also», the story's translations and the language switch that leads to them."""
    related, translations = read_also(article, parts.chosen_ids, parts.tag_ids)
    editions, translation_links = article.edition_links(translations)
    return {
        "related": related,
        "translations": translations,
        "editions": editions,
        "translation_links": translation_links,
    }


READ_ALSO_TAGS = 3


def read_also(article, chosen_ids, tag_ids):
    """
    «Read also» and the story's translations, in one query.

    Editors' choice first (those readers may see), completed with recent
    stories of the same section or of its first tags: each of those gives its
    newest few ids from its own index, the translations theirs, in a UNION ALL
    that the query for the rows reads as a subquery; the newest complete the list.
    """
    chosen_ids = set(chosen_ids) - {article.pk}
    excluded = [article.pk, *chosen_ids]
    same_edition = Article.objects.published().in_language(article.language)
    parts = [
        article.translation_group().values_list("pk"),
        same_edition.in_section(article.section_id)
        .exclude(pk__in=excluded)
        .newest_ids()[:READ_ALSO_LENGTH],
    ]

    def newest_with_tag(tag_id):
        return (
            TaggedArticle.objects.published()
            .in_language(article.language)
            .filter(tag_id=tag_id)
            .exclude(content_object__in=excluded)
            .newest_story_ids()[:READ_ALSO_LENGTH]
        )

    candidates = RawSQL(*union_all_sql(parts, each=newest_with_tag, ids=tag_ids[:READ_ALSO_TAGS]))
    stories = list(
        Article.objects.published()
        .filter(Q(pk__in=candidates) | Q(pk__in=chosen_ids))
        .select_related("section")
        .only(*LINK_FIELDS)
        .order_by("-published_at", "-pk")
    )
    root = article.translation_of_id or article.pk
    # Of one event told in several languages, the reader's own comes first.
    chosen = sorted(
        (story for story in stories if story.pk in chosen_ids),
        key=lambda story: story.language != article.language,
    )
    chosen = list(one_per_event(chosen, {root}))
    missing = max(READ_ALSO_LENGTH - len(chosen), 0)
    same_language = [story for story in stories if story.language == article.language]
    recent = [story for story in same_language if story.pk not in chosen_ids]
    shown = {root, *(event_of(story) for story in chosen)}
    recent = list(one_per_event(recent, shown))[:missing]
    order = [code for code, _name in settings.LANGUAGES]
    translations = sorted(
        (
            story
            for story in stories
            if story.language != article.language and root in (story.pk, story.translation_of_id)
        ),
        key=lambda story: order.index(story.language),
    )
    return [*chosen, *recent], translations


def event_of(story):
    """What a story tells, whatever its language: the original of its translation group."""
    return story.translation_of_id or story.pk


def one_per_event(stories, seen):
    """The stories, skipping any whose event is in ``seen`` or came before in the list."""
    seen = set(seen)
    for story in stories:
        if event_of(story) not in seen:
            seen.add(event_of(story))
            yield story


def preview_link(request, token):
    """A share link: the story as it stands now, for someone without an account."""
    link = PreviewLink.find(token)
    if link is None:
        raise Http404("This preview link does not exist, has expired or was revoked.")
    return previews.render_preview(request, link.article)


@never_cache
@require_safe
def reading(request, pk):
    """
    The story page's beacon (articles/readings.py): a reader's browser asking
    for it is one reading of a published story. The answer is empty (204) and
    kept by no cache, whoever asks; an id that is no published story's (a
    draft, a scheduled one, garbage) answers 404 and counts nothing.
    """
    if not (pk.isascii() and pk.isdigit() and len(pk) <= 18):
        return HttpResponse(status=404)
    if not Article.objects.published().filter(pk=int(pk)).exists():
        return HttpResponse(status=404)
    if request.method == "GET" and readings.is_a_reading(request):
        readings.count(int(pk))
    return HttpResponse(status=204)
