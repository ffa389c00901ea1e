from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import ListView

from articles import previews
from articles.models import Article, Byline, PreviewLink, Section, Tag
from media.models import Photo
from newsroom.models import Author

STORIES_PER_PAGE = 20
PHOTOS_ON_AUTHOR_PAGE = 12


class FrontPageView(ListView):
    template_name = "articles/front_page.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()[:STORIES_PER_PAGE]


class StoryListView(ListView):
    """A paginated list of published stories that belong to one thing."""

    paginate_by = STORIES_PER_PAGE
    context_object_name = "articles"

    def get_context_data(self, **kwargs):
        return super().get_context_data(owner=self.owner, **kwargs)


class SectionView(StoryListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.owner = get_object_or_404(Section, slug=self.kwargs["slug"])
        return Article.objects.published().in_section(self.owner).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(current_section=self.owner, **kwargs)


class TagView(StoryListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.owner = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().filter(tags=self.owner).for_listing()


class AuthorView(StoryListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.owner = get_object_or_404(Author, slug=self.kwargs["slug"])
        return (
            Article.objects.published().filter(bylines__author=self.owner).distinct().for_listing()
        )

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
    # The id is the story's identity; an old headline or section still finds it.
    if section != article.section.slug or slug != article.slug:
        return redirect(article, permanent=True)
    return render(request, "articles/article_detail.html", previews.story_context(article))


def preview_link(request, token):
    """A share link: the story as it stands now, for someone without an account."""
    link = PreviewLink.find(token)
    if link is None:
        raise Http404("This preview link does not exist, has expired or was revoked.")
    return previews.render_preview(request, link.article)
