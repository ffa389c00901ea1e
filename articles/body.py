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


# Tags as the sanitiser writes them; void elements (img, br) hold nothing.
TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)\b[^>]*>")
VOID = {"img", "br", "hr", "wbr"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.DOTALL)


def top_level(html):
    """
    The outermost elements of sanitised markup, in order, as (tag, inner html);
    text between them as (None, text). Sanitised markup is well formed, so
    counting opening and closing tags finds where each element ends.
    """
    html = html or ""
    parts, depth, tag, inner_start, position = [], 0, None, 0, 0
    for match in TAG.finditer(html):
        closing, name = match[1] == "/", match[2]
        if depth == 0:
            if html[position : match.start()].strip():
                parts.append((None, html[position : match.start()]))
            position = match.end()
            if closing:
                continue  # a stray closing tag ends nothing
            if name not in VOID:
                tag, inner_start, depth = name, match.end(), 1
            else:
                parts.append((name, match[0]))
        elif name not in VOID:
            depth += -1 if closing else 1
            if depth == 0:
                parts.append((tag, html[inner_start : match.start()]))
                position = match.end()
    if depth:  # an element left open runs to the end
        parts.append((tag, html[inner_start:]))
    elif html[position:].strip():
        parts.append((None, html[position:]))
    return parts


def blocks(html):
    """
    The story's text as structured blocks, for apps that draw it themselves:
    paragraph, heading, quote and list carry their inline markup (``html``:
    links, emphasis, line breaks) and its ``text``; a figure carries the
    library photo's id and its caption. Read from the sanitised body, so
    nothing here is markup the site would not show.
    """
    result = []
    for tag, inner in top_level(html):
        if tag in (None, "p"):
            result.append({"type": "paragraph", "html": inner.strip(), "text": plain_text(inner)})
        elif tag in HEADINGS:
            text = plain_text(inner)
            result.append({"type": "heading", "level": HEADINGS[tag], "html": inner, "text": text})
        elif tag == "blockquote":
            result.append({"type": "quote", "html": inner, "text": plain_text(inner)})
        elif tag in {"ul", "ol"}:
            items = [
                {"html": item, "text": plain_text(item)}
                for item_tag, item in top_level(inner)
                if item_tag == "li"
            ]
            result.append({"type": "list", "ordered": tag == "ol", "items": items})
        elif tag in {"figure", "img"}:
            image = IMAGE.search(inner)
            pk = photo_id(image[0]) if image else None
            if pk is not None:
                caption = FIGCAPTION.search(inner)
                result.append(
                    {"type": "figure", "photo_id": pk, "caption": caption[1] if caption else ""}
                )
    return result


def xml_text(text):
    """Text without the characters XML 1.0 forbids."""
    return NOT_IN_XML.sub("", text or "")
