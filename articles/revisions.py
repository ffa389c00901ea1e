"""
Saved versions of a story: what two of them differ in, who may see which,
and what restoring one may change.

The comparison works on words, in bounded time whatever a version holds: one
paragraph of 100 KB, the same word ten thousand times, no spaces at all. The
common beginning and end are set aside, words that occur once on each side
anchor the rest (patience diff), and difflib only ever sees stretches small
enough for its quadratic worst case. Beyond MAX_TOKENS words the comparison
goes by paragraph, and beyond that it shows the two texts whole, and says so.
"""

import difflib
import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime

import reversion
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from articles import previews
from articles.models import Article, Byline, WorkingSave
from newsroom import audit
from newsroom.models import AuditEvent

# Fields that decide what readers see. Restoring a version never brings these
# back: a retracted story stays offline, a live one stays live.
PUBLICATION_FIELDS = ["status", "published_at", "is_top", "language"]

# Words (and the spaces and signs between them) per side compared word by word;
# a 100 KB story has about 30,000.
MAX_TOKENS = 60_000
# Paragraphs per side compared paragraph by paragraph, beyond which the texts are shown whole.
MAX_PARAGRAPHS = 20_000
# difflib compares a stretch in up to len(a) * len(b) steps: larger stretches are
# split on anchors first, and once DIFFLIB_TOTAL steps are spent, shown as replaced.
DIFFLIB_STRETCH = 10_000
DIFFLIB_TOTAL = 500_000
# How many times, on average, a token may be scanned while looking for anchors.
WORK_PER_TOKEN = 40
# Anchors are tokens found once on each side, else runs of this many tokens (about
# four words with their spaces).
ANCHOR_WIDTHS = (1, 7)
# An unchanged stretch longer than this many tokens is shortened to its ends.
CONTEXT = 12

TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def tokens(text):
    return TOKEN.findall(text)


def opcodes(a, b, *, budget=None, by_sentence=True):
    """
    difflib-style opcodes turning a into b.

    Bounded: every token is scanned a limited number of times (WORK_PER_TOKEN),
    and difflib gets at most DIFFLIB_TOTAL steps in all; what would take more is
    marked replaced as a whole stretch rather than compared finely. A stretch
    without a word that occurs once on each side (a text of common words) is
    compared by sentence first, then word by word inside changed sentences.
    """
    if budget is None:
        budget = {"scan": WORK_PER_TOKEN * (len(a) + len(b) + 1), "difflib": DIFFLIB_TOTAL}
    result = []
    work = [("range", 0, len(a), 0, len(b))]
    while work:
        kind, a0, a1, b0, b1 = work.pop()
        if kind not in {"range", "words"}:
            _append(result, kind, a0, a1, b0, b1)
            continue
        # The common beginning and end, set aside.
        head = 0
        while a0 + head < a1 and b0 + head < b1 and a[a0 + head] == b[b0 + head]:
            head += 1
        _append(result, "equal", a0, a0 + head, b0, b0 + head)
        a0, b0 = a0 + head, b0 + head
        tail = 0
        while a1 - tail > a0 and b1 - tail > b0 and a[a1 - 1 - tail] == b[b1 - 1 - tail]:
            tail += 1
        after = [("equal", a1 - tail, a1, b1 - tail, b1)]
        a1, b1 = a1 - tail, b1 - tail
        size = (a1 - a0) * (b1 - b0)
        budget["scan"] -= (a1 - a0) + (b1 - b0)
        if a0 == a1 or b0 == b1:
            middle = [("delete", a0, a1, b0, b0), ("insert", a1, a1, b0, b1)]
        elif size <= DIFFLIB_STRETCH and size <= budget["difflib"]:
            budget["difflib"] -= size
            matcher = difflib.SequenceMatcher(None, a[a0:a1], b[b0:b1], autojunk=False)
            middle = [
                (tag, a0 + i0, a0 + i1, b0 + j0, b0 + j1)
                for tag, i0, i1, j0, j1 in matcher.get_opcodes()
            ]
        else:
            anchors = []
            for width in ANCHOR_WIDTHS:
                if not anchors and budget["scan"] > 0:
                    budget["scan"] -= width * ((a1 - a0) + (b1 - b0))
                    anchors = _unique_common(a, a0, a1, b, b0, b1, width)
            sentences = None
            if not anchors and by_sentence and kind == "range" and budget["scan"] > 0:
                sentences = _by_sentence(a, a0, a1, b, b0, b1, budget)
            if anchors:
                middle, i, j = [], a0, b0
                for ai, bj in anchors:
                    middle += [(kind, i, ai, j, bj), ("equal", ai, ai + 1, bj, bj + 1)]
                    i, j = ai + 1, bj + 1
                middle.append((kind, i, a1, j, b1))
            elif sentences:
                middle = sentences
            else:
                middle = [("replace", a0, a1, b0, b1)]
        # Last in, first out: what comes first in the text goes on top.
        work.extend(reversed(middle + after))
    return result


SENTENCE_END = {".", "!", "?", "…", "\n"}


def _by_sentence(a, a0, a1, b, b0, b1, budget):
    """The stretch compared sentence by sentence: equal ones kept, changed ones to compare."""
    spans_a, spans_b = _sentences(a, a0, a1), _sentences(b, b0, b1)
    if len(spans_a) < 2 and len(spans_b) < 2:
        return None
    keys_a = ["".join(a[start:end]) for start, end in spans_a]
    keys_b = ["".join(b[start:end]) for start, end in spans_b]
    parts = []
    for tag, i0, i1, j0, j1 in opcodes(keys_a, keys_b, budget=budget, by_sentence=False):
        ta0 = spans_a[i0][0] if i0 < len(spans_a) else a1
        ta1 = spans_a[i1 - 1][1] if i1 > i0 else ta0
        tb0 = spans_b[j0][0] if j0 < len(spans_b) else b1
        tb1 = spans_b[j1 - 1][1] if j1 > j0 else tb0
        parts.append(("equal" if tag == "equal" else "words", ta0, ta1, tb0, tb1))
    return parts


def _sentences(tokens, start, end):
    spans, begin = [], start
    for place in range(start, end):
        if tokens[place] in SENTENCE_END or "\n" in tokens[place]:
            spans.append((begin, place + 1))
            begin = place + 1
    if begin < end:
        spans.append((begin, end))
    return spans


def _append(result, tag, i0, i1, j0, j1):
    if i0 == i1 and j0 == j1:
        return
    last = result[-1] if result else None
    if last and last[0] == tag and last[2] == i0 and last[4] == j0:
        result[-1] = (tag, last[1], i1, last[3], j1)
    else:
        result.append((tag, i0, i1, j0, j1))


def _unique_common(a, a0, a1, b, b0, b1, width=1):
    """
    Pairs of positions of tokens found once on each side, longest increasing run (patience).

    With ``width`` over 1, runs of that many tokens starting there are what must be
    found once: a text of common words still has phrases of its own.
    """

    def occurrences(tokens, start, end):
        seen = {}
        for place in range(start, end - width + 1):
            if tokens[place].isspace():
                continue
            key = tokens[place] if width == 1 else tuple(tokens[place : place + width])
            seen[key] = -1 if key in seen else place
        return seen

    seen_a, seen_b = occurrences(a, a0, a1), occurrences(b, b0, b1)
    pairs = [(i, seen_b[key]) for key, i in seen_a.items() if i >= 0 and seen_b.get(key, -1) >= 0]
    pairs.sort()
    # Longest increasing subsequence of the b positions, in O(k log k).
    tails, tail_index, previous = [], [], [None] * len(pairs)
    for k, (_i, j) in enumerate(pairs):
        place = bisect_left(tails, j)
        if place == len(tails):
            tails.append(j)
            tail_index.append(k)
        else:
            tails[place], tail_index[place] = j, k
        previous[k] = tail_index[place - 1] if place else None
    run, k = [], tail_index[-1] if tail_index else None
    while k is not None:
        run.append(pairs[k])
        k = previous[k]
    return run[::-1]


def compare_text(before, after):
    """An HTML table row pair: the older text with deletions marked, the newer with insertions."""
    note = None
    a, b = tokens(before), tokens(after)
    joiner = ""
    if max(len(a), len(b)) > MAX_TOKENS:
        a, b = before.split("\n"), after.split("\n")
        joiner = "\n"
        note = _("This text is too long to compare word by word: changed paragraphs are marked.")
        if max(len(a), len(b)) > MAX_PARAGRAPHS:
            a, b = [before], [after]
            note = _("This text is too long to compare: both versions are shown whole.")
    left, right = [], []
    for tag, i0, i1, j0, j1 in opcodes(a, b):
        if tag == "equal":
            text = _shorten(a[i0:i1], joiner)
            left.append(text)
            right.append(text)
            continue
        if i0 < i1:
            left.append(format_html("<del>{}</del>", joiner.join(a[i0:i1]) + joiner))
        if j0 < j1:
            right.append(format_html("<ins>{}</ins>", joiner.join(b[j0:j1]) + joiner))
    return format_html(
        '{}<table class="diff"><tr><td>{}</td><td>{}</td></tr></table>',
        format_html('<p class="help">{}</p>', note) if note else "",
        format_html_join("", "{}", ((part,) for part in left)),
        format_html_join("", "{}", ((part,) for part in right)),
    )


def _shorten(run, joiner):
    if len(run) <= 2 * CONTEXT + 1:
        return joiner.join(run) + joiner
    return format_html(
        '{}<span class="diff-skipped">…</span>{}',
        joiner.join(run[:CONTEXT]) + joiner,
        joiner.join(run[-CONTEXT:]) + joiner,
    )


def readable_fields(version):
    """A revision's fields as text, one line a paragraph, for comparing two of them."""
    article, parts = previews.from_version(version)
    return readable_story(article, **parts)


def readable_story(article, *, bylines=None, tags=None, related=None):
    """A story's fields as text, with its bylines, tags and related stories unless given."""
    parts = {
        "bylines": list(article.bylines.select_related("author")) if bylines is None else bylines,
        "tags": list(article.tags.all()) if tags is None else tags,
        "related": list(article.related_stories.all()) if related is None else related,
    }
    return {
        _("headline"): article.title,
        _("section"): str(article.section),
        _("lead"): article.lead,
        _("body"): re.sub(r"</(p|h2|h3|li|blockquote)>", "\n", article.body or ""),
        _("status"): article.get_status_display(),
        _("publication time"): str(article.published_at or ""),
        _("lead photo"): str(article.lead_photo or ""),
        _("lead photo caption"): article.lead_photo_caption,
        _("source"): f"{article.source_name} {article.source_url}".strip(),
        _("authors"): "\n".join(f"{b.author} ({b.get_role_display()})" for b in parts["bylines"]),
        _("tags"): ", ".join(sorted(tag.name for tag in parts["tags"])),
        _("read also"): "\n".join(story.title for story in parts["related"]),
        _("correction note"): article.correction_note,
    }


def differences(older, newer):
    """Each field that differs between two versions, as (label, HTML)."""
    return differences_between(readable_fields(older), readable_fields(newer))


def differences_between(before, after):
    """Each field that differs between two readable stories, as (label, HTML)."""
    changes = []
    for label, text in after.items():
        if before.get(label) != text:
            old = strip_tags(before.get(label, "")).strip()
            changes.append((label, compare_text(old, strip_tags(text).strip())))
    return changes


# Who sees which versions


def pair_to_compare(versions, *, older=None, newer=None, since=None):
    """
    The two versions a comparison shows, from the address's choices: ``newer``
    and ``older`` by id, else the newest; ``since`` (a moment, in the site's
    time if it names no zone) picks the last version saved by then; else the one
    before the newest. Choices that name no version of this story are ignored.
    """
    by_id = {version.pk: version for version in versions}
    newer = by_id.get(newer) or (versions[0] if versions else None)
    older = by_id.get(older)
    moment = _moment(since)
    if older is None and moment:
        older = next((v for v in versions if v.revision.date_created <= moment), None)
    if older is None and len(versions) > 1:
        older = versions[1]
    return older, newer


def _moment(value):
    """A moment from a query string; None if not one."""
    try:
        moment = parse_datetime(value or "")
    except ValueError:  # well formed, impossible: the 45th of the 13th month
        return None
    if moment and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def versions_of(article):
    """The saved versions of a story, newest first (only the story's own, not its bylines')."""
    return Version.objects.get_for_object(article).select_related("revision")


def story_versions(article):
    """The story's own versions and the working saves of its working copies, newest first."""
    own = Q(object_id=str(article.pk))
    return (
        Version.objects.get_for_model(Article)
        .filter(own | Q(revision__working_save__story=article))
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


@dataclass
class Seen:
    """A version of the story as readers saw it: from when until when (None: still)."""

    version: Version
    since: datetime
    until: datetime | None
    taken_down: bool = False


@dataclass
class History:
    versions: list  # every version, newest first: what the comparison offers
    seen: list  # what readers saw, newest first
    working: list  # saves readers did not see: drafts, working copies, newest first


def history(article):
    """
    The story's history as it happened to readers: which version they saw from
    when to when, apart from the saves they never saw (drafts, working copies,
    a scheduled version replaced before its moment).
    """
    versions = list(story_versions(article))
    own = [v for v in versions if v.object_id == str(article.pk)]
    own.reverse()  # oldest first
    seen_ids, seen = set(), []
    for place, version in enumerate(own):
        fields = version.field_dict
        until = own[place + 1].revision.date_created if place + 1 < len(own) else None
        if fields.get("status") == Article.Status.UNPUBLISHED:
            seen.append(Seen(version, version.revision.date_created, None, taken_down=True))
            seen_ids.add(version.pk)
            continue
        if fields.get("status") != Article.Status.PUBLISHED or not fields.get("published_at"):
            continue
        since = max(version.revision.date_created, fields["published_at"])
        if until is not None and until <= since:
            continue  # replaced before its moment: readers never saw it
        if until is None and since > timezone.now():
            continue  # still to come
        seen.append(Seen(version, since, until))
        seen_ids.add(version.pk)
    seen.reverse()
    working = [v for v in versions if v.pk not in seen_ids]
    return History(versions=versions, seen=seen, working=working)


def restore_into_copy(story, version, user):
    """A saved version's content, with its bylines, tags and «read also», in the working copy."""
    saved, parts = previews.from_version(version)
    copy = story.start_working_copy(user)
    with transaction.atomic(), reversion.create_revision():
        copy.take_content_from(saved)
        copy.updated_by = user
        reversion.set_user(user)
        reversion.set_comment(
            gettext("Restored the version of %(moment)s into the working copy.")
            % {
                "moment": date_format(
                    timezone.localtime(version.revision.date_created), "SHORT_DATETIME_FORMAT"
                )
            }
        )
        reversion.add_meta(WorkingSave, story_id=story.pk)
        copy.set_relations(
            bylines=parts["bylines"],
            tags=parts["tags"],
            related_ids=version.field_dict.get("related_stories", []),
        )
        copy.save()
    audit.record(AuditEvent.Action.RESTORE, story, detail=gettext("into the working copy"))
    return copy


def deleted_stories(user):
    """The last version of each deleted story this person may see and recover."""
    deleted = Version.objects.get_deleted(Article).select_related("revision")
    # A working copy ends when it is published or discarded: nothing to recover.
    deleted = [version for version in deleted if version.field_dict.get("copy_of_id") is None]
    if user.has_perm("articles.publish_article"):
        return deleted
    return [version for version in deleted if _is_theirs(version, user)]


def _is_theirs(version, user):
    # The same rule as ArticleQuerySet.visible_to_staff, read from the saved version.
    if not user.has_perm("articles.view_article"):
        return False
    if version.field_dict.get("created_by_id") == user.pk:
        return True
    author_ids = set(user_author_ids(user))
    return any(
        sibling.field_dict.get("author_id") in author_ids
        for sibling in version.revision.version_set.all()
        if sibling._model is Byline
    )


def user_author_ids(user):
    from newsroom.models import Author

    return Author.objects.filter(user=user).values_list("pk", flat=True)


def publication_state(article):
    return {field: getattr(article, field) for field in PUBLICATION_FIELDS}


def recovered_state(version):
    """A deleted story comes back as a draft, whatever it was: publishing is an editor's act."""
    return {
        "status": Article.Status.DRAFT,
        "is_top": False,
        "published_at": version.field_dict.get("published_at"),
        "language": version.field_dict.get("language"),
    }
