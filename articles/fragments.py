"""
Parts of readers' pages made once and kept in this process while what they
show is unchanged: story cards, and the parts of a story's page.

A page cache entry lives only until the site changes, and a newsroom changes
it every few minutes; these outlive such changes, because each names exactly
what it shows. Each worker keeps its own; none is shared or retired by hand.
"""

import threading
from collections import OrderedDict

from django.utils.translation import get_language

from articles.caching import current_versions


class Memo:
    """
    A bounded map from a key to made HTML, in this process.

    What it keeps needs no retiring when the key names everything the HTML is
    made of (a card's fingerprint): a change makes a new key and the old entry
    simply ages out.
    """

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        return None

    def put(self, key, value):
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return value

    def get_or_make(self, key, make):
        value = self.get(key)
        return self.put(key, make()) if value is None else value


class StoryParts:
    """
    What a story's page shows of the story itself: its head (meta data for
    sharing and search engines), headline, photo, text, source, correction,
    tags and bylines, as the template's ``{% keep %}`` blocks drew them.
    Everything else is made on every request: «read also» and the story's
    translations (they change whenever other stories are published), and the
    site's frame.

    The parts are kept under the versions (articles/caching.py) of everything
    they show: the story (with its bylines, tags, related stories and photos
    in its text), its section, its authors, tags and photos. Those versions are
    read before any of the story's rows, so parts made from rows older than a
    change always carry versions older than it, and are made again.
    """

    def __init__(self, versions, tag_ids, chosen_ids):
        self.versions = versions
        self.tag_ids = tag_ids  # «read also» looks for stories with these tags
        self.chosen_ids = chosen_ids  # the editors' related stories, published or not
        self.html = {}


STORY_PARTS = Memo(size=500)
# What each story's parts were last made of, so that the next request can read
# their versions before reading the story.
SHOWS = Memo(size=5000)


def versions_before_reading(pk):
    """The versions of what this story showed when last made here, or None."""
    keys = SHOWS.get(pk)
    return current_versions(keys) if keys else None


def kept_story_parts(article, versions):
    """The story's parts made earlier, if nothing they show has changed since."""
    parts = STORY_PARTS.get(parts_key(article))
    if parts is not None and versions is not None and parts.versions == versions:
        return parts
    return None


def new_story_parts(article, bylines, tags, body_photos, chosen_ids, versions):
    """
    Parts to be drawn now. They are kept once drawn (keep_drawn) only when the
    versions read before the rows covered all they show; else this request
    notes what they show, and the next one keeps them.
    """
    keys = shown_by(article, bylines, tags, body_photos)
    SHOWS.put(article.pk, keys)
    covered = versions is not None and set(versions) == set(keys)
    parts = StoryParts(
        versions if covered else None,
        tag_ids=[tag.pk for tag in tags],
        chosen_ids=list(chosen_ids),
    )
    return parts


def keep_drawn(article, parts):
    if parts.versions is not None and parts.html:
        STORY_PARTS.put(parts_key(article), parts)


def parts_key(article):
    return (article.pk, article.edit_token, get_language())


def shown_by(article, bylines, tags, body_photos):
    """The versioned things (articles/caching.py) a story's page shows."""
    photos = [*body_photos, *([article.lead_photo] if article.lead_photo else [])]
    keys = {f"article:{article.pk}", f"section:{article.section_id}"}
    keys |= {f"author:{byline.author_id}" for byline in bylines}
    keys |= {f"tag:{tag.pk}" for tag in tags}
    keys |= {f"photo:{photo.pk}" for photo in photos}
    keys |= {f"author:{photo.creator_author_id}" for photo in photos if photo.creator_author_id}
    return sorted(keys)
