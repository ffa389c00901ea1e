"""
The query parameters of the read API, checked before anything is read: a bad
one is a 400 that names it ({"published_after": ["…"]}), never a server error.

Lists are paged by an opaque cursor that holds the last story's position,
(publication time, id): the next page starts right after it in the same index
the reader pages read, so page 500 costs what page 1 costs and nothing is
counted or skipped with OFFSET.
"""

import base64
import binascii
import json
from datetime import UTC, datetime

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
# Dates outside these years are typing mistakes, and some would overflow once in UTC.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
# The reader site's date format is accepted beside ISO 8601.
DATE_FORMATS = ["iso-8601", "%d.%m.%Y %H:%M", "%d.%m.%Y"]
MAX_CURSOR_LENGTH = 300
MAX_QUERY_LENGTH = 500  # as the reader's search box (articles/views.py)


def encode_cursor(*parts):
    raw = json.dumps(parts, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor, *kinds):
    """The parts of a cursor this API gave out, of the given kinds; ValidationError otherwise."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parts = json.loads(raw.decode())
    except (ValueError, binascii.Error, UnicodeError):
        parts = None
    if (
        not isinstance(parts, list)
        or len(parts) != len(kinds)
        or not all(type(part) is kind for part, kind in zip(parts, kinds, strict=True))
    ):
        raise serializers.ValidationError(_("This is not a cursor from this API."))
    return parts


def story_position(story):
    """Where a page ends: the last story's time (microseconds since 1970) and id."""
    moment = story.published_at
    return [int(moment.timestamp()) * 1_000_000 + moment.microsecond, story.pk]


def decode_story_position(cursor):
    microseconds, pk = decode_cursor(cursor, int, int)
    if not 0 < pk < 2**63:
        raise serializers.ValidationError(_("This is not a cursor from this API."))
    try:
        moment = datetime.fromtimestamp(microseconds // 1_000_000, UTC).replace(
            microsecond=microseconds % 1_000_000
        )
    except (ValueError, OverflowError, OSError):
        raise serializers.ValidationError(_("This is not a cursor from this API.")) from None
    return moment, pk


def editions():
    return [code for code, _name in settings.LANGUAGES]


class NoQuery(serializers.Serializer):
    """A story's address says everything: parameters are ignored."""


class PagedQuery(serializers.Serializer):
    edition = serializers.ChoiceField(
        choices=editions(),
        default=settings.LANGUAGE_CODE,
        help_text="The edition (language) read: each is its own site, as / , /kk/ and /en/ are.",
    )
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        default=DEFAULT_PAGE_SIZE,
        help_text=f"Items per page, 1 to {MAX_PAGE_SIZE}.",
    )
    cursor = serializers.CharField(
        required=False,
        max_length=MAX_CURSOR_LENGTH,
        help_text="Where the page starts: the `next_cursor` of the page before.",
    )


class MomentField(serializers.DateTimeField):
    """A moment in ISO 8601 or as the site writes it, between EARLIEST_YEAR and LATEST_YEAR."""

    def __init__(self, **kwargs):
        super().__init__(input_formats=DATE_FORMATS, required=False, **kwargs)

    def to_internal_value(self, value):
        try:
            moment = super().to_internal_value(value)
        except OverflowError:  # the first or last day Python knows, moved into UTC
            moment = None
        if moment is None or not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
            raise serializers.ValidationError(
                _("A year from %(earliest)s to %(latest)s.")
                % {"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR}
            )
        return moment


class StoryQuery(PagedQuery):
    section = serializers.SlugField(required=False, max_length=100, help_text="A section's slug.")
    tag = serializers.SlugField(required=False, max_length=100, help_text="A tag's slug.")
    author = serializers.SlugField(required=False, max_length=200, help_text="An author's slug.")
    published_after = MomentField(
        help_text="Stories published at or after this moment (ISO 8601; Almaty time if no offset).",
    )
    published_before = MomentField(help_text="Stories published before this moment.")

    def validate_cursor(self, value):
        return decode_story_position(value)

    def validate(self, data):
        owners = [name for name in ("section", "tag", "author") if data.get(name)]
        if len(owners) > 1:
            # Each owner's stories are read from its own index; two at once would
            # read one owner's archive to find the other's.
            raise serializers.ValidationError(
                {owners[1]: _("Filter by one of section, tag or author at a time.")}
            )
        return data


class OwnerQuery(PagedQuery):
    """Tags and authors, by slug: the cursor holds the last slug of the page."""

    def validate_cursor(self, value):
        return decode_cursor(value, str)[0]


class SearchQuery(PagedQuery):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=True,
        default="",
        help_text="Words to find, as in the site's search box.",
    )

    def validate_q(self, value):
        return value[:MAX_QUERY_LENGTH]

    def validate_cursor(self, value):
        (position,) = decode_cursor(value, int)
        if not 0 <= position < 10_000:
            raise serializers.ValidationError(_("This is not a cursor from this API."))
        return position
