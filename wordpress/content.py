"""
WordPress's markup turned into a story's: classic-editor text (paragraphs made
from blank lines), block-editor comments, shortcodes, embeds and images.

What has an equivalent here becomes it: a captioned image a library photo in a
figure, a gallery one figure a photo, an embedded video or post a link to it,
h1 to h6 our two heading levels. Whatever else a shortcode or a block stands
for is dropped, keeping the text it wraps, and named in a note for the import's
report. The result still goes through Article.save(), which sanitises it
against the allow-list and redraws every image from the library, like any
story's text.
"""

import json
import re
from dataclasses import dataclass, field
from html import escape, unescape

from django.utils.html import strip_tags

# <!-- wp:embed {"url":"…"} --> … <!-- /wp:embed --> (core-embed/youtube before WordPress 5.6).
EMBED_BLOCK = re.compile(
    r"<!--\s*wp:(?:core-)?embed(?:/[\w-]+)?\s+(?P<attrs>\{.*?\})\s*/?-->"
    r"(?:.*?<!--\s*/wp:(?:core-)?embed(?:/[\w-]+)?\s*-->)?",
    re.DOTALL,
)
# A gallery block is a figure of figures: its photos are kept, one figure each.
GALLERY_BLOCK = re.compile(
    r"<!--\s*wp:gallery\b.*?-->\s*<figure\b[^>]*>(?P<inner>.*)</figure>\s*<!--\s*/wp:gallery\s*-->",
    re.DOTALL,
)
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

# A shortcode: [name attrs], [name attrs /], or [name attrs]inner[/name]; [[name]] is literal.
SHORTCODE = re.compile(
    r"\[(?P<escaped>\[)?(?P<name>[A-Za-z][\w-]*)(?P<attrs>(?:\s[^\[\]]*?)?)(?P<self>/)?\]"
    r"(?:(?P<inner>.*?)\[/(?P=name)\])?(?(escaped)\])",
    re.DOTALL,
)
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>\]]+))""")
EMBEDS = {"embed", "video", "audio", "youtube", "vimeo", "playlist"}
# Names that are shortcodes even bare ([gallery]); other bare words ([sic], [1]) are text.
KNOWN_SHORTCODES = {"caption", "wp_caption", "gallery", *EMBEDS}

SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
FIGURE_OPEN = re.compile(r"<figure\b[^>]*>", re.IGNORECASE)
EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
# A line break left at a paragraph's edge by an image that went.
BREAK_AT_EDGE = re.compile(r"(?<=<p>)(?:\s*<br>\s*)+|(?:\s*<br>\s*)+(?=</p>)")
IMAGE_IN_LINK = re.compile(r"<a\b[^>]*>\s*(<img\b[^>]*>)\s*</a>", re.IGNORECASE)
IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
IFRAME = re.compile(r"<iframe\b(?P<attrs>[^>]*)>.*?</iframe>|<iframe\b[^>]*/?>", re.I | re.S)
HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d{1,18})\b")
URL_ALONE = re.compile(r"^https?://\S+$")
PARAGRAPH = re.compile(r"<p\b[^>]*>(?P<text>.*?)</p>", re.DOTALL | re.IGNORECASE)

# Where classic-editor text already is a block: a blank line does not make a paragraph of it.
BLOCKS = (
    r"(?:p|h[1-6]|ul|ol|li|blockquote|figure|figcaption|div|table|thead|tbody|tr|td|th"
    r"|pre|hr|section|dl|dt|dd|address)"
)
BLOCK_START = re.compile(rf"^</?{BLOCKS}\b", re.IGNORECASE)
# WordPress's autop sets each block element apart before it makes paragraphs.
BLOCK_TAG = re.compile(rf"(<{BLOCKS}\b[^>]*>|</{BLOCKS}>)", re.IGNORECASE)


@dataclass
class Converted:
    html: str
    notes: list = field(default_factory=list)  # what was dropped or changed, for the report
    photos: list = field(default_factory=list)  # the library photos placed in the text


def attributes(text):
    return {
        name.lower(): unescape(next(value for value in values if value is not None))
        for name, *values in ATTRIBUTE.findall(text or "")
    }


def convert(raw, find_photo):
    """
    A story's text from a WordPress post's content.

    ``find_photo(attachment_id, src)`` is the library photo for an image
    (attachment_id from the image's wp-image-N class or a gallery, src its
    address), or None when there is none.
    """
    notes, photos = [], []
    html = raw or ""
    block_editor = "<!-- wp:" in html
    html = EMBED_BLOCK.sub(lambda match: _embed_block(match, notes), html)
    html = GALLERY_BLOCK.sub(r"\g<inner>", html)
    html = BLOCK_COMMENT.sub("", html)
    html = COMMENT.sub("", html)
    html = SCRIPT.sub("", html)  # the sanitiser would too; nothing of it should shape paragraphs
    html = SHORTCODE.sub(lambda match: _shortcode(match, notes), html)
    html = IFRAME.sub(lambda match: _iframe(match, notes), html)
    if not block_editor:
        html = autop(html)
    html = HEADING.sub(lambda match: f"<{match[1]}h{2 if int(match[2]) <= 2 else 3}", html)
    html = FIGURE_OPEN.sub("<figure>", html)
    html = IMAGE_IN_LINK.sub(r"\1", html)
    # Every image once, those the shortcodes placed in figures included.
    html = IMAGE.sub(lambda match: _image(match[0], notes, find_photo, photos), html)
    html = EMPTY_PARAGRAPH.sub("", BREAK_AT_EDGE.sub("", html))
    return Converted(re.sub(r"\n{3,}", "\n\n", html).strip(), notes, photos)


def autop(text):
    """Paragraphs from blank lines, breaks from single ones: classic text as WordPress shows it."""
    paragraphs = []
    text = BLOCK_TAG.sub(lambda match: _set_apart(match[0]), text)
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        block = block.strip()
        if not block:
            continue
        if URL_ALONE.match(block):  # WordPress embeds a URL on its own line
            paragraphs.append(_link(block))
        elif BLOCK_START.match(block):
            paragraphs.append(block)
        else:
            paragraphs.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", block) + "</p>")
    return "\n".join(paragraphs)


def _set_apart(tag):
    # An opening tag starts a block and a closing one ends it; inline ones stay in the line.
    return f"\n\n{tag}" if not tag.startswith("</") else f"{tag}\n\n"


def split_lead(html):
    """(the first paragraph's text, the rest of the text): a lead for a post without an excerpt."""
    for match in PARAGRAPH.finditer(html):
        text = plain(match["text"])
        if text and not IMAGE.search(match["text"]):
            return text, (html[: match.start()] + html[match.end() :]).strip()
    return "", html


def plain(html):
    """Text without markup or entities, its spaces folded: titles, excerpts, captions."""
    return re.sub(r"\s+", " ", unescape(strip_tags(html or ""))).strip()


def _link(url):
    url = url.strip()
    return f'<p><a href="{escape(url)}">{escape(url)}</a></p>'


def _embed_block(match, notes):
    try:
        url = json.loads(match["attrs"]).get("url", "")
    except (ValueError, AttributeError):
        url = ""
    notes.append("embed turned into a link" if url else "embed without an address dropped")
    return _link(url) if url.startswith(("http://", "https://")) else ""


def _iframe(match, notes):
    src = attributes(match["attrs"] or "").get("src", "")
    if src.startswith(("http://", "https://")):
        notes.append("embedded frame turned into a link")
        return _link(src)
    notes.append("embedded frame dropped")
    return ""


def _shortcode(match, notes):
    if match["escaped"]:
        return match[0][1:-1]  # [[gallery]] is how WordPress writes the text «[gallery]»
    name, attrs, inner = match["name"].lower(), attributes(match["attrs"]), match["inner"]
    is_shortcode = (
        name in KNOWN_SHORTCODES
        or inner is not None
        or attrs
        or match["self"]
        or "_" in name
        or "-" in name
    )
    if not is_shortcode:
        return match[0]
    if name in {"caption", "wp_caption"}:
        return _caption(inner or "", attrs, notes)
    if name == "gallery":
        ids = [
            int(pk) for pk in re.findall(r"\d{1,18}", attrs.get("ids", attrs.get("include", "")))
        ]
        if not ids:
            notes.append("gallery without ids dropped")
        return "".join(f'<figure><img src="" alt="" class="wp-image-{pk}"></figure>' for pk in ids)
    if name in EMBEDS:
        url = (inner or "").strip() or attrs.get("src") or attrs.get("url") or attrs.get("mp4", "")
        if not url and name == "youtube":
            url = match["attrs"].strip().lstrip("=").strip()
        if url.startswith(("http://", "https://")):
            notes.append(f"shortcode [{name}] turned into a link")
            return _link(url)
        notes.append(f"shortcode [{name}] dropped")
        return ""
    notes.append(f"shortcode [{name}] dropped")
    return inner or ""


def _caption(inner, attrs, notes):
    image = IMAGE_IN_LINK.search(inner) or IMAGE.search(inner)
    if image is None:
        notes.append("caption without an image dropped")
        caption = attrs.get("caption") or plain(inner)
        return f"<p>{escape(caption)}</p>" if caption else ""
    tag = image[1] if image.re is IMAGE_IN_LINK else image[0]
    caption = attrs.get("caption") or plain(inner[: image.start()] + inner[image.end() :])
    # The image is read with all the others (convert): a figure that loses it goes too.
    return f"<figure>{tag}<figcaption>{escape(caption)}</figcaption></figure>"


def _image(tag, notes, find_photo, photos):
    attrs = attributes(tag[4:])
    found = WP_IMAGE_CLASS.search(attrs.get("class", ""))
    photo = find_photo(int(found[1]) if found else None, attrs.get("src", ""))
    if photo is None:
        notes.append("image without a file dropped")
        return ""
    photos.append(photo)
    alt = attrs.get("alt") or photo.alt_text
    return f'<img src="" alt="{escape(alt)}" data-file="{photo.pk}">'
