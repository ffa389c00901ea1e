import json
import unicodedata
from urllib.parse import quote, urlencode

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from articles import fragments, search
from articles.body import story_body, xml_text
from articles.fragments import KeptStory, Memo
from media import credits
from media.specs import PORTRAIT_IMAGE_SPEC, SHARE_SIZE
from project.address import absolute_url

register = template.Library()

register.simple_tag(story_body)
register.filter(xml_text)


MADE_CARDS = Memo(size=1000)


@register.simple_tag
def story_card(article, featured=False, heading="h2", show_section=False, compact=False):
    """
    A story's card in a list, made once per version of the story and reused by
    every page that lists it (front page, section, tag, author pages). A
    compact card is its time and headline only (the latest news, a section's
    block after its first story).
    """
    parts = getattr(article, "card_parts", None)
    if parts is None:
        # Not read through fragments.cards_by_id (search results): a fingerprint
        # of the row names everything the card shows.
        return MADE_CARDS.get_or_make(
            card_fingerprint(article, featured, heading, show_section, compact),
            lambda: draw_card(article, featured, heading, show_section, compact),
        )
    variant = (featured, heading, show_section, compact)
    if variant not in parts.html:
        story = article
        if isinstance(article, KeptStory):
            # Kept in another variant only: this one needs the row (once per version).
            story = article.row()
            if story is None:
                return ""
        parts.html[variant] = draw_card(story, featured, heading, show_section, compact)
        fragments.CARDS.keep(article.pk, article.edit_token, parts)
    return parts.html[variant]


def draw_card(article, featured, heading, show_section, compact=False):
    return mark_safe(
        render_to_string(
            "includes/article_card.html",
            {
                "article": article,
                "featured": featured,
                "heading": heading,
                "show_section": show_section,
                "compact": compact,
            },
        )
    )


def card_fingerprint(article, featured, heading, show_section, compact=False):
    """Everything a card is made of: the story's version and what it borrows from others."""
    section, photo = article.section, article.lead_photo
    parts = [
        article.pk, article.edit_token, get_language(), featured, heading, show_section, compact,
        section.pk, section.slug, section.local_name,
        tuple(byline.author.name for byline in article.listed_bylines),
    ]  # fmt: skip
    if photo is not None:
        author = photo.creator_author
        parts += [
            photo.pk, photo.token, photo.alt_text, photo.credit_line,
            author and (author.slug, author.name),
            # A rendition's address never changes once made: which are made is enough.
            photo.made_specs,
        ]  # fmt: skip
    return tuple(parts)


@register.tag
def keep(parser, token):
    """
    {% keep "name" %}…{% endkeep %}: a part of a story's page drawn once per
    version of what it shows (articles/fragments.py), when the view passes
    ``story_parts``; without them (previews) it is simply drawn.
    """
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "'\"" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('keep takes one quoted name: {% keep "body" %}')
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeptPart(bits[1][1:-1], nodelist)


class KeptPart(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        parts = context.get("story_parts")
        if parts is None:
            return self.nodelist.render(context)
        if self.name not in parts.html:
            parts.html[self.name] = self.nodelist.render(context)
        return parts.html[self.name]


@register.tag
def per_state(parser, token):
    """
    {% per_state "name" key… %}…{% endper_state %}: a part every page of an
    edition shares (the sections, the rail), drawn once per state of the site
    (articles/fragments.py) and key (the section being read, say) in this process.
    """
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "'\"" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(
            'per_state takes a quoted name, then keys: {% per_state "rail" %}'
        )
    nodelist = parser.parse(("endper_state",))
    parser.delete_first_token()
    keys = [parser.compile_filter(bit) for bit in bits[2:]]
    return PerStatePart(bits[1][1:-1], keys, nodelist)


class PerStatePart(template.Node):
    def __init__(self, name, keys, nodelist):
        self.name, self.keys, self.nodelist = name, keys, nodelist

    def render(self, context):
        request = context.get("request")
        # A preview shows what readers do not see yet: never kept for them.
        if request is None or context.get("preview"):
            return self.nodelist.render(context)
        key = ("html", self.name, *(str(key.resolve(context)) for key in self.keys))
        return fragments.by_state(request, key, lambda: self.nodelist.render(context))


@register.simple_tag
def search_snippet(article, query):
    """Where the query's words appear in the story, marked with <mark>."""
    return search.snippet(article, query)


# What keeps a JSON document from ending the <script> element that carries it.
JSON_IN_HTML = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def iso(moment):
    """ISO 8601 in the newsroom's time: 2026-03-06T14:00:00+05:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


@register.filter
def truncate_text(text, length):
    """
    truncatechars that never cuts a letter from its accents, an emoji from its
    skin tone or the rest of its sequence, or a flag in two.
    """
    text = str(text)
    if len(text) <= length:
        return text
    return whole_graphemes(text, length - 1).rstrip() + "…"


def whole_graphemes(text, length):
    """At most ``length`` characters of text, cut between two graphemes (letters as read)."""
    cut = min(length, len(text))
    while 0 < cut < len(text) and _inside_grapheme(text, cut):
        cut -= 1
    return text[:cut]


def _inside_grapheme(text, at):
    before, after = text[at - 1], text[at]
    if before == "\u200d" or (before, after) == ("\r", "\n"):
        return True
    if unicodedata.category(after) in {"Mn", "Me", "Mc"} or after == "\u200d":
        return True
    if "\ufe00" <= after <= "\ufe0f" or "\U0001f3fb" <= after <= "\U0001f3ff":
        return True  # variation selectors, skin tones
    if "\U000e0020" <= after <= "\U000e007f":
        return True  # the tags of a subdivision flag
    if _regional(before) and _regional(after):
        # Flags are pairs of letters: inside one when an odd number precedes.
        run = len(text[:at]) - len(text[:at].rstrip("".join(map(chr, range(0x1F1E6, 0x1F200)))))
        return run % 2 == 1
    return False


def _regional(character):
    return "\U0001f1e6" <= character <= "\U0001f1ff"


@register.simple_tag
def story_structured_data(article, bylines, tags, image_url=None):
    """schema.org NewsArticle as JSON-LD, for search engines and aggregators."""
    url = absolute_url(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": url,
        "url": url,
        "headline": whole_graphemes(article.title, 110),
        "description": article.lead,
        "inLanguage": article.language,
        "articleSection": article.section.local_name,
        "datePublished": iso(article.published_at),
        "dateModified": iso(article.corrected_at or article.published_at),
        "author": [
            {
                "@type": "Person",
                "name": byline.author.name,
                "url": absolute_url(byline.author.get_absolute_url()),
                **({"jobTitle": byline.author.job_title} if byline.author.job_title else {}),
            }
            for byline in bylines
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.NEWSROOM_PUBLISHER,
            "url": absolute_url(reverse("articles:front-page")),
            "logo": {
                "@type": "ImageObject",
                "url": absolute_url(static("newsroom/logo.png")),
                "width": 600,
                "height": 60,
            },
        },
    }
    if image_url:
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": image_url,
                "width": SHARE_SIZE[0],
                "height": SHARE_SIZE[1],
                "caption": article.lead_photo_text,
                **credits.structured_data(article.lead_photo, absolute_url),
            }
        ]
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    return json_ld(data)


@register.simple_tag
def author_structured_data(author):
    """schema.org Person as JSON-LD: the author, their portrait with its credit."""
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": author.name,
        "url": absolute_url(author.get_absolute_url()),
    }
    if author.job_title:
        data["jobTitle"] = author.job_title
    if author.bio:
        data["description"] = author.bio
    photo = getattr(author, "portrait", None)
    if photo is not None:
        width, height = PORTRAIT_IMAGE_SPEC.size_for(photo.width, photo.height)
        data["image"] = {
            "@type": "ImageObject",
            "url": absolute_url(photo.rendition_url(PORTRAIT_IMAGE_SPEC)),
            "width": width,
            "height": height,
            **credits.structured_data(photo, absolute_url),
        }
    return json_ld(data)


def json_ld(data):
    text = json.dumps(data, ensure_ascii=False).translate(JSON_IN_HTML)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


# Where each service takes a link to share: plain addresses, no script of theirs.
# Each parameter's value is written with the story's {url} and {title}.
SHARE_SERVICES = [
    ("telegram", "Telegram", "https://t.me/share/url", {"url": "{url}", "text": "{title}"}),
    ("whatsapp", "WhatsApp", "https://wa.me/", {"text": "{title} {url}"}),
    ("vk", "VK", "https://vk.com/share.php", {"url": "{url}", "title": "{title}"}),
    ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php", {"u": "{url}"}),
    ("x", "X", "https://x.com/intent/post", {"url": "{url}", "text": "{title}"}),
]


@register.simple_tag
def share_links(article):
    """The story's address on each service's share page, as (code, name, address)."""
    story = {"url": absolute_url(article.get_absolute_url()), "title": article.title}
    links = []
    for code, name, address, query in SHARE_SERVICES:
        filled = {key: value.format(**story) for key, value in query.items()}
        links.append((code, name, f"{address}?{urlencode(filled, quote_via=quote)}"))
    return links
