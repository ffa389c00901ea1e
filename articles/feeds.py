"""RSS 2.0 and Atom feeds for the whole site, each section, tag and author."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles.models import Article, Section, Tag
from newsroom.models import Author

FEED_LENGTH = 30
# Characters XML 1.0 forbids: one in a headline would make the whole feed unreadable.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def xml_text(text):
    return NOT_IN_XML.sub("", text or "")


class StoriesFeed(Feed):
    """The latest published stories of the site; subclasses narrow it to one owner."""

    def get_object(self, request, slug=None):
        return None

    def stories(self, owner):
        return Article.objects.published()

    def items(self, owner):
        return self.stories(owner).for_listing().prefetch_related("tags")[:FEED_LENGTH]

    def title(self, owner):
        return xml_text(settings.NEWSROOM_PUBLISHER)

    def link(self, owner):
        return reverse("articles:front-page")

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
        return xml_text(", ".join(byline.author.name for byline in item.bylines.all())) or None

    def item_categories(self, item):
        return [xml_text(tag.name) for tag in item.tags.all()]


class SectionFeed(StoriesFeed):
    def get_object(self, request, slug=None):
        return get_object_or_404(Section, slug=slug)

    def stories(self, owner):
        return Article.objects.published().in_section(owner)

    def title(self, owner):
        return xml_text(f"{owner.name} — {settings.NEWSROOM_PUBLISHER}")

    def link(self, owner):
        return owner.get_absolute_url()


class TagFeed(SectionFeed):
    def get_object(self, request, slug=None):
        return get_object_or_404(Tag, slug=slug)

    def stories(self, owner):
        return Article.objects.published().filter(tags=owner)


class AuthorFeed(SectionFeed):
    def get_object(self, request, slug=None):
        return get_object_or_404(Author, slug=slug)

    def stories(self, owner):
        return Article.objects.published().filter(bylines__author=owner).distinct()


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
