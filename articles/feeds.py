"""
RSS 2.0 and Atom feeds for each edition, section, tag and author; and the
full-text feeds that aggregators read: Yandex News (``yandex:full-text``) and
Dzen (the story as HTML, the lead photo as an enclosure with its credit).
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.body import story_body, xml_text
from articles.models import Article, Byline, TaggedArticle, author_pages
from media import credits
from media.models import Rendition
from media.specs import SHARE_SIZE, SHARE_SPEC
from project.address import absolute_url

FEED_LENGTH = 30


class StoriesFeed(Feed):
    """The latest published stories of the site; subclasses narrow it to one owner."""

    full_text = False  # aggregators' feeds carry the whole story

    def get_object(self, request, slug=None):
        return None

    def story_ids(self, owner):
        """The owner's stories' ids, newest first, as an index serves them."""
        return Article.objects.published().in_language().newest_ids()

    def items(self, owner):
        ids = list(self.story_ids(owner)[:FEED_LENGTH])
        stories = Article.objects.published().filter(pk__in=ids).for_listing()
        if self.full_text:
            # The text, and the share crop's file, whose length the enclosure gives.
            shares = Rendition.objects.filter(spec=SHARE_SPEC.name)
            stories = stories.defer(None).prefetch_related(
                Prefetch("lead_photo__renditions", shares, to_attr="prefetched_renditions")
            )
        return stories.prefetch_related("tags")

    def title(self, owner):
        return xml_text(settings.NEWSROOM_PUBLISHER)

    # Absolute at the configured address, which Django's syndication then leaves alone.
    def link(self, owner):
        return absolute_url(reverse("articles:front-page"))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def description(self, owner):
        return _("The latest news from %(publisher)s.") % {"publisher": settings.NEWSROOM_PUBLISHER}

    subtitle = description

    def item_title(self, item):
        return xml_text(item.title)

    def item_description(self, item):
        return xml_text(item.lead)

    # In the newsroom's own time: «…14:00:00 +0500», as readers there read it.
    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item):
        return timezone.localtime(item.corrected_at or item.published_at)

    def item_author_name(self, item):
        return xml_text(", ".join(byline.author.name for byline in item.listed_bylines)) or None

    def item_categories(self, item):
        return [xml_text(tag.name) for tag in item.tags.all()]


class SectionFeed(StoriesFeed):
    def listing(self):
        """The rows that list an owner's stories readers of this edition may see."""
        return Article.objects.published().in_language()

    def get_object(self, request, slug=None):
        # A feed exists where the page does: behind a published story of this edition.
        return get_object_or_404(self.listing().owners(), slug=slug)

    def story_ids(self, owner):
        return self.listing().in_section(owner).newest_ids()

    def title(self, owner):
        name = getattr(owner, "local_name", owner.name)  # a section's name in this edition
        return xml_text(f"{name} — {settings.NEWSROOM_PUBLISHER}")

    def link(self, owner):
        return absolute_url(owner.get_absolute_url())


class TagFeed(SectionFeed):
    def listing(self):
        return TaggedArticle.objects.published().in_language()

    def story_ids(self, owner):
        return self.listing().filter(tag=owner).newest_story_ids()


class AuthorFeed(SectionFeed):
    def listing(self):
        return Byline.objects.published().in_language()

    def get_object(self, request, slug=None):
        return get_object_or_404(author_pages(), slug=slug)

    def story_ids(self, owner):
        return self.listing().filter(author=owner).newest_story_ids()


class Atom:
    feed_type = Atom1Feed


class StoriesAtomFeed(Atom, StoriesFeed):
    pass


class SectionAtomFeed(Atom, SectionFeed):
    pass


class TagAtomFeed(Atom, TagFeed):
    pass


class AuthorAtomFeed(Atom, AuthorFeed):
    pass


class ImageEnclosureMixin:
    """The lead photo as an enclosure, in the 1200×630 crop every aggregator takes."""

    def item_enclosures(self, item):
        photo = item.lead_photo
        if photo is None:
            return []
        made = photo.renditions_by_spec()
        # RSS wants the file's length, so the crop is made now if it was not yet: once.
        share = made.get(SHARE_SPEC.name) or photo.make_renditions([SHARE_SPEC])[0]
        return [
            Enclosure(absolute_url(share.file.url), str(share.file.size), SHARE_SPEC.content_type)
        ]


class YandexNewsRss(Rss201rev2Feed):
    def rss_attributes(self):
        return super().rss_attributes() | {
            "xmlns:yandex": "http://news.yandex.ru",
            "xmlns:media": "http://search.yahoo.com/mrss/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("yandex:genre", "message")
        handler.addQuickElement("yandex:full-text", item["full_text"])


class YandexNewsFeed(ImageEnclosureMixin, StoriesFeed):
    """The edition's stories in full, as Yandex News takes them: plain text, no markup."""

    feed_type = YandexNewsRss
    full_text = True

    def item_extra_kwargs(self, item):
        return {"full_text": xml_text(f"{item.lead}\n\n{item.body_text}")}


class DzenRss(Rss201rev2Feed):
    def rss_attributes(self):
        return super().rss_attributes() | {
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:media": "http://search.yahoo.com/mrss/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("media:rating", "nonadult", {"scheme": "urn:simple"})
        handler.addQuickElement("content:encoded", item["content"])


class DzenFeed(ImageEnclosureMixin, StoriesFeed):
    """The edition's stories as Dzen publishes them: HTML, photos credited in the caption."""

    feed_type = DzenRss
    full_text = True

    def item_categories(self, item):
        # Dzen reads its own instructions from categories: an article, comments open.
        return ["format-article", "index", "comment-all"]

    def item_extra_kwargs(self, item):
        return {"content": xml_text(str(feed_html(item)))}


def feed_html(article):
    """The story as self-contained HTML: absolute image addresses, credits in captions."""
    parts = []
    if article.lead_photo:
        parts.append(figure(article.lead_photo, article.lead_photo_alt, article.lead_photo_text))
    parts.append(format_html("<p>{}</p>", article.lead))
    parts.append(story_body(article, draw=figure))
    return mark_safe("".join(str(part) for part in parts))


def figure(photo, alt, caption):
    return format_html(
        '<figure><img src="{}" alt="{}" width="{}" height="{}">'
        "<figcaption>{}{}</figcaption></figure>",
        absolute_url(photo.rendition_url(SHARE_SPEC)),
        alt,
        SHARE_SIZE[0],
        SHARE_SIZE[1],
        format_html("{} ", caption) if caption else "",
        credits.credit_html(photo, feed=True),
    )
