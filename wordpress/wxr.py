"""
A WordPress export (WXR 1.0 to 1.2) read as a stream, one <item> at a time.

The file may be gigabytes: expat is fed a chunk at a time, and only the item
being read is held as a tree; the channel's own short lists (authors,
categories, tags) are handed out as they end. A document type declaration is
refused before any of it is read: WordPress never writes one, and its only use
in an export would be entities that expand without end or read local files.
"""

import re
from dataclasses import dataclass
from xml.etree.ElementTree import TreeBuilder
from xml.parsers import expat

CHUNK = 256 * 1024

# WXR's version is its namespace's: http://wordpress.org/export/1.2/
WP_NAMESPACE = re.compile(r"^http://wordpress\.org/export/(1\.[0-2])/$")
WP_EXCERPT = re.compile(r"^http://wordpress\.org/export/1\.[0-2]/excerpt/$")
NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
# What the channel lists before its items; each is handed out whole.
CHANNEL_LISTS = {"wp:author", "wp:category", "wp:tag", "wp:term"}


class ExportError(Exception):
    """The file is not a readable WordPress export; the message says where and why."""


@dataclass
class Part:
    """One whole element of the export: an item, or an entry of the channel's lists."""

    kind: str  # "item", "wp:author", "wp:category", "wp:tag", "wp:term", "channel"
    element: object  # an ElementTree element, with tags as "wp:post_id", "content:encoded"
    line: int  # where it starts in the file


def read(file):
    """
    Yield the export's parts in file order: first a "channel" part holding the
    site's address and the WXR version, then the channel's lists and items.
    ExportError ends the stream where the file stops making sense.
    """
    reader = _Reader()
    while True:
        chunk = file.read(CHUNK)
        try:
            reader.parser.Parse(chunk, not chunk)
        except expat.ExpatError as error:
            raise ExportError(
                f"line {error.lineno}, column {error.offset + 1}: {expat.ErrorString(error.code)}"
            ) from None
        except _Refused as refusal:
            raise ExportError(
                f"line {reader.parser.CurrentLineNumber}: {refusal.args[0]}"
            ) from None
        yield from reader.take()
        if not chunk:
            break
    if not reader.seen_channel:
        raise ExportError("no <channel>: this is not a WordPress export (WXR).")


class _Refused(Exception):
    pass


class _Reader:
    def __init__(self):
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self.refuse_doctype
        parser.EntityDeclHandler = self.refuse_entity
        parser.ExternalEntityRefHandler = self.refuse_entity
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.data
        self.parser = parser
        self.path = []  # the names of the open elements, outermost first
        self.builder = None  # building a part's tree while one is open
        self.depth = 0  # where that part started
        self.ready = []
        self.site = {"version": None, "base_site_url": "", "base_blog_url": "", "link": ""}
        self.seen_channel = False
        self.line = 0

    def refuse_doctype(self, *args):
        raise _Refused("the export declares a document type (DTD); WordPress never writes one.")

    def refuse_entity(self, *args):
        raise _Refused("the export declares entities; WordPress never does.")

    def name(self, qualified):
        uri, _, local = qualified.rpartition(" ")
        if not uri:
            return local
        found = WP_NAMESPACE.match(uri)
        if found:
            if self.site["version"] is None:
                self.site["version"] = found[1]
            return f"wp:{local}"
        if WP_EXCERPT.match(uri):
            return f"excerpt:{local}"
        prefix = NAMESPACES.get(uri)
        return f"{prefix}:{local}" if prefix else f"{{{uri}}}{local}"

    def start(self, qualified, attributes):
        tag = self.name(qualified)
        self.path.append(tag)
        if self.builder is not None:
            self.builder.start(tag, attributes)
            return
        if len(self.path) == 1 and tag != "rss":
            raise _Refused(f"the document is <{tag}>, not an RSS export from WordPress.")
        if self.path[:2] == ["rss", "channel"] and len(self.path) == 2:
            self.seen_channel = True
        if (
            len(self.path) == 3
            and self.path[1] == "channel"
            and (tag == "item" or tag in CHANNEL_LISTS)
        ):
            if not self.site_given:
                self.hand_out_site()
            self.builder, self.depth = TreeBuilder(), len(self.path)
            self.line = self.parser.CurrentLineNumber
            self.builder.start(tag, attributes)
        elif len(self.path) == 3 and self.path[1] == "channel":
            self.builder, self.depth = TreeBuilder(), len(self.path)
            self.builder.start(tag, attributes)

    site_given = False

    def hand_out_site(self):
        self.site_given = True
        if self.site["version"] is None:
            raise _Refused("no WordPress namespace: this is an RSS feed, not a WordPress export.")
        self.ready.append(Part("channel", dict(self.site), self.parser.CurrentLineNumber))

    def data(self, text):
        if self.builder is not None:
            self.builder.data(text)

    def end(self, qualified):
        tag = self.path.pop()
        if self.builder is None:
            if tag == "channel" and not self.site_given:
                self.hand_out_site()
            return
        self.builder.end(tag)
        if len(self.path) + 1 == self.depth:
            element, self.builder = self.builder.close(), None
            if tag == "item" or tag in CHANNEL_LISTS:
                self.ready.append(Part(tag, element, self.line))
            elif tag in {"wp:base_site_url", "wp:base_blog_url", "link"}:
                self.site[tag.removeprefix("wp:")] = (element.text or "").strip()
            elif tag == "wp:wxr_version":
                declared = (element.text or "").strip()
                if declared not in {"1.0", "1.1", "1.2"}:
                    raise _Refused(f"WXR version {declared!r}; this importer reads 1.0 to 1.2.")

    def take(self):
        ready, self.ready = self.ready, []
        return ready
