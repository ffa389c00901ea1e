from django.db.models import F, Prefetch, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.generic import ListView, TemplateView

from articles import previews
from articles.context_processors import sections_of
from articles.models import Article, Byline, PreviewLink, Section, Tag
from media.models import Photo
from media.specs import SHARE_SPEC
from newsroom.context_processors import editions
from newsroom.models import Author
from newsroom.site import absolute_url

STORIES_PER_PAGE = 20
LATEST_ON_FRONT_PAGE = 10
STORIES_PER_SECTION_BLOCK = 4
# How far back the front page looks for its top story and section blocks.
FRONT_PAGE_WINDOW = 300
PHOTOS_ON_AUTHOR_PAGE = 12
READ_ALSO_LENGTH = 4
OG_LOCALES = {"ru": "ru_RU", "kk": "kk_KZ", "en": "en_GB"}


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
        # Only the newest stories compete for the front page, so its queries cost
        # the same with a hundred stories in the archive or a million.
        newest = edition().order_by("-published_at", "-pk").values("pk")[:FRONT_PAGE_WINDOW]
        stories = edition().filter(pk__in=Subquery(newest))
        top_id = stories.order_by("-is_top", "-published_at", "-pk").values_list("pk", flat=True)
        top_id = top_id.first()
        latest_ids = list(
            stories.exclude(pk=top_id)
            .order_by("-published_at", "-pk")
            .values_list("pk", flat=True)[:LATEST_ON_FRONT_PAGE]
        )
        block_rows = list(
            stories.exclude(pk=top_id)
            .annotate(
                place=Window(
                    RowNumber(),
                    partition_by=F("section_id"),
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(place__lte=STORIES_PER_SECTION_BLOCK)
            .values_list("section_id", "pk")
        )
        # One query for every story on the page, whichever part shows it.
        by_id = {
            story.pk: story
            for story in Article.objects.filter(
                pk__in=[top_id, *latest_ids, *(pk for _section, pk in block_rows)]
            ).for_listing()
        }
        blocks = []
        for section in sections_of(self.request):
            in_block = [by_id[pk] for section_id, pk in block_rows if section_id == section.pk]
            if in_block:
                in_block.sort(key=lambda story: (story.published_at, story.pk), reverse=True)
                blocks.append((section, in_block))
        return super().get_context_data(
            top=by_id.get(top_id),
            latest=[by_id[pk] for pk in latest_ids],
            blocks=blocks,
            **kwargs,
        )


class StoryListView(ListView):
    """A paginated list of the edition's published stories that belong to one thing."""

    paginate_by = STORIES_PER_PAGE
    context_object_name = "articles"

    def get_context_data(self, **kwargs):
        return super().get_context_data(owner=self.owner, **kwargs)


class SectionView(StoryListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.owner = get_object_or_404(Section, slug=self.kwargs["slug"])
        return edition().in_section(self.owner).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(current_section=self.owner, **kwargs)


class TagView(StoryListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.owner = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return edition().filter(tags=self.owner).for_listing()


class AuthorView(StoryListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.owner = get_object_or_404(Author, slug=self.kwargs["slug"])
        return edition().filter(bylines__author=self.owner).distinct().for_listing()

    def get_context_data(self, **kwargs):
        # A photographer's photos, but only those readers have already seen in a story.
        photos = (
            Photo.objects.filter(
                creator_author=self.owner, lead_for__in=Article.objects.published()
            )
            .distinct()
            .select_related("creator_author")
            .prefetch_related("renditions")[:PHOTOS_ON_AUTHOR_PAGE]
        )
        return super().get_context_data(photos=photos, **kwargs)


class SearchView(StoryListView):
    template_name = "articles/search.html"

    def get_queryset(self):
        self.owner = None
        self.query = self.request.GET.get("q", "")[:500].strip()
        # search() orders by rank, so it comes after for_listing()'s order by date.
        return edition().for_listing().search(self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


def article_detail(request, section, pk, slug):
    article = get_object_or_404(
        Article.objects.published()
        .select_related("section", "lead_photo__creator_author")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            "lead_photo__renditions",
            "tags",
            Prefetch(
                "related_stories",
                queryset=Article.objects.published().exclude(pk=pk).select_related("section"),
            ),
        ),
        pk=pk,
    )
    # The id is the story's identity; an old headline, section or edition still finds it.
    if (
        section != article.section.slug
        or slug != article.slug
        or article.language != get_language()
    ):
        return redirect(article, permanent=True)
    context = previews.story_context(article)
    context["related"] = read_also(article, context["related"], context["tags"])
    context["translations"] = translations = article.translation_group()
    # The language switch leads to the story's translations, else to that edition's front page.
    elsewhere = {story.language: story.get_absolute_url() for story in translations}
    elsewhere[article.language] = article.get_absolute_url()
    context["editions"] = [
        edition | {"url": elsewhere.get(edition["code"], edition["front"])}
        for edition in editions()
    ]
    names = {edition["code"]: edition["name"] for edition in context["editions"]}
    context["translation_links"] = [(story, names[story.language]) for story in translations]
    context["og_locale"] = OG_LOCALES.get(article.language, article.language)
    if article.lead_photo:
        made = {rendition.spec: rendition for rendition in article.lead_photo.renditions.all()}
        share = article.lead_photo.rendition_url(SHARE_SPEC, made)
        context["share_image"] = absolute_url(share)
    return render(request, "articles/article_detail.html", context)


def read_also(article, chosen, tags):
    """Editors' choice first, completed with recent stories of the same section or tags."""
    missing = READ_ALSO_LENGTH - len(chosen)
    if missing <= 0:
        return chosen
    recent = (
        Article.objects.published()
        .in_language(article.language)
        .filter(Q(section=article.section_id) | Q(tags__in=[tag.pk for tag in tags]))
        .exclude(pk__in=[article.pk, *(story.pk for story in chosen)])
        .select_related("section")
        .distinct()
        .order_by("-published_at", "-pk")[:missing]
    )
    return [*chosen, *recent]


def preview_link(request, token):
    """A share link: the story as it stands now, for someone without an account."""
    link = PreviewLink.find(token)
    if link is None:
        raise Http404("This preview link does not exist, has expired or was revoked.")
    return previews.render_preview(request, link.article)
