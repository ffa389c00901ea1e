"""
Sitemaps for search engines: an index, the stories (a page per thousand, each
with its lead photo), section and author pages, and a Google News sitemap of
the last two days. Every address is the configured NEWSROOM_SITE_URL, whatever
host the request came to.
"""

from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import override

from articles.models import Article, Byline, Section
from media.specs import Spec
from newsroom.models import Author
from project import address

# Search engines take images up to this size for rich results.
SITEMAP_IMAGE = Spec("original", 1200, "jpeg")
NEWS_HOURS = 48
STORY_FIELDS = [
    "slug", "language", "published_at", "corrected_at", "section__slug", "lead_photo__token",
    "lead_photo__made_specs",
]  # fmt: skip


class SiteSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return address.scheme()

    def get_domain(self, site_=None):
        return address.domain()


class IdRangePaginator:
    """
    Sitemap pages by id: page p lists the published stories whose ids lie in
    ((p-1)·limit, p·limit]. Reading a page costs the same at any archive size,
    a page's address keeps its stories (new ones land on the last page), and
    the index needs only the largest id, not a count of the archive. A page
    whose every story was deleted or unpublished answers 404.
    """

    def __init__(self, stories, per_page):
        self.stories = stories
        self.per_page = per_page

    @cached_property
    def page_range(self):
        """The pages from the oldest published story's to the newest's."""
        ids = self.stories.values_list("pk", flat=True)
        oldest, newest = ids.order_by("pk").first(), ids.order_by("-pk").first()
        if oldest is None:
            return range(0)
        return range(self.page_of(oldest), self.page_of(newest) + 1)

    def page_of(self, pk):
        return -(-pk // self.per_page)

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger from None
        if number not in self.page_range:
            raise EmptyPage
        first = (number - 1) * self.per_page
        items = list(self.stories.filter(pk__gt=first, pk__lte=first + self.per_page))
        if not items:
            raise EmptyPage
        return SimpleNamespace(object_list=items)


class StorySitemap(SiteSitemap):
    limit = 1000

    def items(self):
        return (
            Article.objects.published()
            .select_related("section", "lead_photo")
            .only(*STORY_FIELDS)
            .order_by("pk")
        )

    @property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)

    def lastmod(self, article):
        return article.corrected_at or article.published_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            photo = url["item"].lead_photo
            url["image"] = photo and absolute(photo.rendition_url(SITEMAP_IMAGE))
        return urls


def absolute(path):
    return address.absolute_url(path)


class EditionSitemap(SiteSitemap):
    """Pages that exist in every edition, listed only where they have stories to show."""

    def items(self):
        pairs = []
        for language, _name in settings.LANGUAGES:
            owners = self.model.objects.annotate(latest=Subquery(self.latest(language))).filter(
                latest__isnull=False
            )
            pairs += [(owner, language) for owner in owners]
        return pairs

    def location(self, pair):
        owner, language = pair
        with override(language):
            return owner.get_absolute_url()

    def lastmod(self, pair):
        return pair[0].latest


class SectionSitemap(EditionSitemap):
    model = Section

    def latest(self, language):
        return (
            Article.objects.published()
            .in_language(language)
            .filter(section=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        )


class AuthorSitemap(EditionSitemap):
    model = Author

    def latest(self, language):
        return (
            Byline.objects.published()
            .in_language(language)
            .filter(author=OuterRef("pk"))
            .order_by("-story_published_at")
            .values("story_published_at")[:1]
        )


class NewsSitemap(SiteSitemap):
    """Google News: stories of the last two days, at most a thousand."""

    limit = 1000

    def items(self):
        since = timezone.now() - timedelta(hours=NEWS_HOURS)
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .select_related("section")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return article.corrected_at or article.published_at


SITEMAPS = {"stories": StorySitemap, "sections": SectionSitemap, "authors": AuthorSitemap}


def sitemap(request, section):
    return sitemap_views.sitemap(
        request, SITEMAPS, section=section, template_name="sitemaps/sitemap.xml"
    )


def news(request):
    response = sitemap_views.sitemap(
        request, {"news": NewsSitemap}, section="news", template_name="sitemaps/news.xml"
    )
    # The schema wants at least one <url>: with no story in two days there is
    # no news sitemap (the index and robots.txt leave it out until there is).
    if not response.context_data["urlset"]:
        raise Http404("No story was published in the last two days.")
    response.context_data["publisher"] = settings.NEWSROOM_PUBLISHER
    return response


def has_news():
    return NewsSitemap().items().exists()


@sitemap_views.x_robots_tag
def index(request):
    """Every sitemap and each page of it, with addresses at the configured site."""
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        location = absolute(reverse("sitemap", kwargs={"section": name}))
        pages = sitemap_class().paginator.page_range
        entries += [location if page == 1 else f"{location}?p={page}" for page in pages]
    if has_news():
        entries.append(absolute(reverse("sitemap-news")))
    return TemplateResponse(
        request, "sitemaps/index.xml", {"entries": entries}, content_type="application/xml"
    )


def robots_txt(request):
    lines = ["User-agent: *"]
    # The editors' tool, share links to drafts and endless search pages are no
    # crawler's business, in any edition.
    for language, _name in settings.LANGUAGES:
        with override(language):
            lines += [
                f"Disallow: {reverse('admin:index')}",
                f"Disallow: {reverse('articles:search')}",
                f"Disallow: {reverse('articles:front-page')}preview/",
            ]
    # The readings' beacon, one address for every edition: a crawler's request is
    # no reading (a renderer that loads a page's images would ask for it).
    lines.append(f"Disallow: {reverse('reading', args=['0']).removesuffix('0/')}")
    lines += ["", f"Sitemap: {absolute(reverse('sitemap-index'))}"]
    if has_news():
        lines.append(f"Sitemap: {absolute(reverse('sitemap-news'))}")
    lines.append("")
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
