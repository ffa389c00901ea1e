"""
A story's text: the one reader of the photos it refers to (an <img> with the
library photo's id in data-file), and the drawing of those photos, shared by the
story page's template tag and the feeds.

The markup read here has been sanitised (nh3 writes tags in lower case and
quotes attributes), so regular expressions over it are enough.
"""

import re
from html import unescape

from django.template.loader import render_to_string
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from media.models import Photo
from media.specs import EDITOR_SPEC

# A library photo's reference: its id, and nothing else, is read from the markup.
PHOTO_ID = re.compile(r'<img [^>]*data-file="(\d{1,18})"')
# Any image, and a figure with what it holds.
IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
FIGURE = re.compile(r"<figure\b[^>]*>.*?</figure>", re.DOTALL)
# A figure with its image and caption, or an image on its own: each drawn anew, in one pass.
DRAWN = re.compile(
    r"<figure[^>]*>\s*(?P<image><img [^>]*>)\s*"
    r"(?:<figcaption[^>]*>(?P<caption>.*?)</figcaption>)?\s*</figure>"
    r"|(?P<bare><img [^>]*>)",
    re.DOTALL,
)
BLOCK_END = re.compile(r"</(p|h2|h3|li|blockquote|figcaption)>")
# Characters XML 1.0 forbids: one in a headline would make a whole feed or sitemap unreadable.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def photo_ids(html):
    """The ids of the library photos the text shows, in order."""
    return [int(pk) for pk in PHOTO_ID.findall(html or "")]


def photo_id(image):
    """The library photo's id in one <img> tag, or None for an image from elsewhere."""
    found = PHOTO_ID.match(image)
    return int(found[1]) if found else None


def plain_text(html):
    """The text of a story's body, a line a paragraph, without markup."""
    return unescape(strip_tags(BLOCK_END.sub("\n", html or ""))).strip()


def library_images(html):
    """
    The text with each image redrawn from the photo library: only the photo's
    id is read from the markup; its address and alt text come from the photo.
    An image that is not a library photo goes, with the figure around it.
    """
    ids = photo_ids(html)
    photos = Photo.objects.in_bulk(ids) if ids else {}

    def image(match):
        photo = photos.get(photo_id(match[0]))
        if photo is None:
            return ""
        return format_html(
            '<img src="{}" alt="{}" data-file="{}">',
            photo.rendition_url(EDITOR_SPEC),
            photo.alt_text,
            photo.pk,
        )

    def figure(match):
        redrawn = IMAGE.sub(image, match[0])
        return redrawn if IMAGE.search(redrawn) else ""

    return IMAGE.sub(image, FIGURE.sub(figure, html or ""))


def draw_for_readers(photo, alt, caption):
    return render_to_string(
        "includes/body_photo.html", {"photo": photo, "alt": alt, "caption": caption}
    )


def story_body(article, draw=draw_for_readers):
    """
    The story's sanitised text, with each library photo drawn as readers get
    every photo: responsive renditions and the photo's credit. Feeds pass
    their own way to draw a photo.
    """
    if not photo_ids(article.body) and "<img" not in article.body:
        return mark_safe(article.body)  # sanitised against an allow-list when saved
    photos = {photo.pk: photo for photo in photos_in_body(article)}

    def replace(match):
        photo = photos.get(photo_id(match["image"] or match["bare"]))
        if photo is None:
            return ""  # a photo since deleted from the library
        # The photo's own alt text and credit, never what the markup says.
        return str(draw(photo, photo.alt_text, mark_safe(match["caption"] or "")))

    return mark_safe(DRAWN.sub(replace, article.body))


def photos_in_body(article):
    """The library photos the story's text shows, with their photographers (asked once)."""
    if not hasattr(article, "_photos_in_body"):
        ids = photo_ids(article.body)
        photos = Photo.objects.select_related("creator_author")
        article._photos_in_body = list(photos.filter(pk__in=ids)) if ids else []
    return article._photos_in_body


def xml_text(text):
    """Text without the characters XML 1.0 forbids."""
    return NOT_IN_XML.sub("", text or "")
