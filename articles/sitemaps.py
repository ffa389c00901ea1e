"""
Sitemaps for search engines: an index, the stories (a page per thousand, each
with its lead photo), section and author pages, and a Google News sitemap of
the last two days. Every address is the configured NEWSROOM_SITE_URL, whatever
host the request came to.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from django.views.decorators.cache import cache_control

from articles.models import Article, Section
from media.specs import Spec
from newsroom import site
from newsroom.models import Author

# Search engines take images up to this size for rich results.
SITEMAP_IMAGE = Spec("original", 1200, "jpeg")
NEWS_HOURS = 48
STORY_FIELDS = [
    "slug", "language", "published_at", "corrected_at", "section__slug", "lead_photo__token",
]  # fmt: skip


class SiteSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return site.scheme()

    def get_domain(self, site_=None):
        return site.domain()


class StorySitemap(SiteSitemap):
    limit = 1000

    def items(self):
        return (
            Article.objects.published()
            .select_related("section", "lead_photo")
            .only(*STORY_FIELDS)
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return article.corrected_at or article.published_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            photo = url["item"].lead_photo
            url["image"] = photo and absolute(photo.rendition_url(SITEMAP_IMAGE))
        return urls


def absolute(path):
    return site.absolute_url(path)


class EditionSitemap(SiteSitemap):
    """Pages that exist in every edition, listed only where they have stories to show."""

    def items(self):
        pairs = []
        for language, _name in settings.LANGUAGES:
            latest = (
                Article.objects.published()
                .in_language(language)
                .filter(self.stories_of(OuterRef("pk")))
                .order_by("-published_at")
                .values("published_at")[:1]
            )
            owners = self.model.objects.annotate(latest=Subquery(latest)).filter(
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

    def stories_of(self, section):
        return Q(section=section)


class AuthorSitemap(EditionSitemap):
    model = Author

    def stories_of(self, author):
        return Q(bylines__author=author)


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


@cache_control(max_age=600)
def sitemap(request, section):
    return sitemap_views.sitemap(
        request, SITEMAPS, section=section, template_name="sitemaps/sitemap.xml"
    )


@cache_control(max_age=300)
def news(request):
    response = sitemap_views.sitemap(
        request, {"news": NewsSitemap}, section="news", template_name="sitemaps/news.xml"
    )
    response.context_data["publisher"] = settings.NEWSROOM_PUBLISHER
    return response


@cache_control(max_age=600)
@sitemap_views.x_robots_tag
def index(request):
    """Every sitemap and each page of it, with addresses at the configured site."""
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        location = absolute(reverse("sitemap", kwargs={"section": name}))
        pages = sitemap_class().paginator.num_pages
        entries.append(location)
        entries += [f"{location}?p={page}" for page in range(2, pages + 1)]
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
    lines += [
        "",
        f"Sitemap: {absolute(reverse('sitemap-index'))}",
        f"Sitemap: {absolute(reverse('sitemap-news'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
