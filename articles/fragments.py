"""
Parts of readers' pages made once and kept in this process while what they
show is unchanged: story cards, and the parts of a story's page.

A page cache entry lives only until the site changes, and a newsroom changes
it every few minutes; these outlive such changes, because each names exactly
what it shows. Each worker keeps its own; none is shared or retired by hand.
"""

import threading
import time
from collections import OrderedDict, defaultdict

from django.utils.translation import get_language

from articles.caching import current_versions, recent_state


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

    def clear(self):
        with self.lock:
            self.entries.clear()


class Parts:
    """HTML drawn for one version of a story, by name, with what drew it."""

    def __init__(self, versions, **facts):
        self.versions = versions  # None: not to be kept (the versions were not read first)
        self.html = {}
        self.__dict__.update(facts)


class Kept:
    """
    Parts of pages drawn once per version of a story and kept in this process
    under the versions (articles/caching.py) of everything they show.

    Those versions are read before any of the story's rows: parts drawn from
    rows older than a change then always carry versions older than it, and
    are drawn again. To know which versions to read before reading a story,
    each story's last list of what it shows is remembered; a story drawn here
    for the first time, or whose list changed, is drawn but not kept, and the
    next request keeps it.
    """

    def __init__(self, size):
        self.made = Memo(size)  # (story, edit token, language) → Parts
        self.shows = Memo(size * 4)  # story → the version keys it showed

    def versions(self, pks):
        """Read before the stories' rows: the versions of what they showed when last drawn."""
        keys = sorted({key for pk in pks for key in self.shows.get(pk) or ()})
        return current_versions(keys) if keys else {}

    def kept(self, pk, edit_token, versions):
        """The parts drawn earlier for this version of the story, if nothing they show changed."""
        parts = self.made.get((pk, edit_token, get_language()))
        if parts is not None and all(
            versions.get(key) == version for key, version in parts.versions.items()
        ):
            return parts
        return None

    def new(self, pk, keys, versions, **facts):
        """Parts to draw now; kept (keep) only if ``versions`` covered all of ``keys``."""
        self.shows.put(pk, keys)
        covered = all(key in versions for key in keys)
        return Parts({key: versions[key] for key in keys} if covered else None, **facts)

    def keep(self, pk, edit_token, parts):
        if parts.versions is not None and parts.html:
            self.made.put((pk, edit_token, get_language()), parts)


# A story's page: what it shows of the story itself (its head, headline, photo,
# text, source, correction, tags and bylines: the template's {% keep %} blocks).
# «Read also», the translations and the site's frame are drawn every time: they
# change whenever other stories are published.
STORY_PAGES = Kept(size=500)
# Cards in lists, one per variant (featured, heading, rubric shown or not).
CARDS = Kept(size=4000)


def story_page_shows(article, bylines, tags, body_photos):
    """The versioned things a story's page shows."""
    photos = [*body_photos, *([article.lead_photo] if article.lead_photo else [])]
    keys = {f"article:{article.pk}", f"section:{article.section_id}"}
    keys |= {f"author:{byline.author_id}" for byline in bylines}
    # The byline box shows each author's portrait, with its credit.
    portraits = [getattr(byline.author, "portrait", None) for byline in bylines]
    photos += [portrait for portrait in portraits if portrait is not None]
    keys |= {f"tag:{tag.pk}" for tag in tags}
    keys |= {f"photo:{photo.pk}" for photo in photos}
    keys |= {f"author:{photo.creator_author_id}" for photo in photos if photo.creator_author_id}
    return sorted(keys)


def card_shows(article):
    """The versioned things a story's card shows."""
    photo = article.lead_photo
    keys = {f"article:{article.pk}", f"section:{article.section_id}"}
    keys |= {f"author:{byline.author_id}" for byline in article.listed_bylines}
    if photo is not None:
        keys.add(f"photo:{photo.pk}")
        if photo.creator_author_id:
            keys.add(f"author:{photo.creator_author_id}")
    return sorted(keys)


class KeptStory:
    """A story in a list whose card is kept: all a list needs of it without its row."""

    def __init__(self, pk, edit_token, published_at, card_parts, listed):
        self.pk, self.edit_token, self.published_at = pk, edit_token, published_at
        self.card_parts = card_parts
        self.listed = listed  # the other kept stories of the same list

    def row(self):
        """
        The story's row, for a card kept in another variant only (a section's
        page draws cards without the rubric, a tag's with it): the rows of all
        the list's kept stories come in one query, the first time one is needed.
        """
        return self.listed.rows().get(self.pk)


class KeptList:
    def __init__(self):
        self.pks, self._rows = [], None

    def rows(self):
        from articles.models import Article

        if self._rows is None:
            stories = Article.objects.published().filter(pk__in=self.pks).for_listing()
            self._rows = {story.pk: story for story in stories}
        return self._rows


def cards_by_id(ids):
    """
    The stories with these ids, ready to be listed as cards, by id: a story
    whose card is kept comes as a KeptStory (its id, edit token and time from
    one narrow query), the others as rows for their cards to be drawn.
    """
    from articles.models import Article

    ids = [pk for pk in ids if pk]
    versions = CARDS.versions(ids)
    stamps = (
        Article.objects.published()
        .filter(pk__in=ids)
        .values_list("pk", "edit_token", "published_at")
    )
    by_id, missing, listed = {}, [], KeptList()
    for pk, edit_token, published_at in stamps:
        parts = CARDS.kept(pk, edit_token, versions)
        if parts is None:
            missing.append(pk)
        else:
            by_id[pk] = KeptStory(pk, edit_token, published_at, parts, listed)
            listed.pks.append(pk)
    if missing:
        for story in Article.objects.published().filter(pk__in=missing).for_listing():
            story.card_parts = CARDS.new(story.pk, card_shows(story), versions)
            by_id[story.pk] = story
    return defaultdict(lambda: None, by_id)


# What every page of an edition shows beside its own content (its sections,
# its latest stories, the links around a story), as of a state of the site
# (articles/caching.py): a change to a section, a story that appears or goes
# (scheduled ones at their moment too), an edit readers see, and midnight draw
# a new state, so this process reads and draws them again only then. Entries
# of older states are never asked for again and age out.
BY_STATE = Memo(size=2000)
RAIL_LENGTH = 10


def state_of(request):
    # Readers' pages know the state already; others (search, previews) ask for it.
    return getattr(request, "site_state", None) or recent_state()


_newest_state = [None]


def by_state(request, key, make):
    """``make()``, once per state of the site, edition and key in this process."""
    state = state_of(request)
    newest = _newest_state[0]
    if newest is None or state.changed_at > newest.changed_at:
        # What older states showed is never asked for again: their memory back at once.
        BY_STATE.clear()
        _newest_state[0] = state
    return BY_STATE.get_or_make((state.token, get_language(), *key), make)


def edition_sections():
    """The sections with a published story in this edition: only those have a page."""
    from articles.models import Article

    return list(Article.objects.published().in_language().owners())


def edition_latest():
    """The edition's newest stories, as links for the rail beside every page."""
    from articles.models import Article

    return list(Article.objects.published().in_language().as_links(RAIL_LENGTH))


def per_state(request, make):
    """
    ``make()`` for this request's edition, read once a request by whoever asks
    first (view or template), and once a site state by this process.
    """
    memo = request.__dict__.setdefault("_per_state", {})
    if make not in memo:
        memo[make] = by_state(request, (make.__name__,), make)
    return memo[make]


def sections_of(request):
    """The edition's sections, for the navigation and the front page's blocks."""
    return per_state(request, edition_sections)


def latest_of(request):
    """The edition's latest stories, for the rail."""
    return per_state(request, edition_latest)


# The most-read list changes with every reading, not with the site's state: each
# process reads it again every few minutes, and at once after a change readers
# can see (a story taken down leaves the list with it). A page kept in the page
# cache shows it as it was when the page was made.
MOST_READ_LENGTH = 5
MOST_READ_SECONDS = 300


def most_read_moment():
    """Which few minutes it is: what the most-read list, and what shows it, are kept for."""
    return int(time.time() // MOST_READ_SECONDS)


def most_read_of(request, section=None):
    """The edition's (or one of its sections') most read stories of the last 24 hours."""
    from articles.models import Article

    def most_read():
        stories = Article.objects.published().in_language()
        if section is not None:
            stories = stories.in_section(section)
        return stories.most_read(MOST_READ_LENGTH)

    asked = section.pk if section is not None else None
    return by_state(request, ("most read", most_read_moment(), asked), most_read)
