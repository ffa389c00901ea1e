"""
SQLite, the embedded default, made to compare Cyrillic text as PostgreSQL does,
and to take any id a form sends as PostgreSQL does.

SQLite's LIKE folds case for ASCII letters only, so on SQLite the admin's
search for «найди» misses «Найди». SQLite lets a connection replace the
like() function behind the LIKE operator; ours folds case for every script.
"""

import functools
import re

from django.db.backends.signals import connection_created
from django.db.models import IntegerField
from django.db.models.lookups import In


@functools.lru_cache(maxsize=512)
def _like_pattern(pattern, escape):
    parts = []
    characters = iter(pattern)
    for character in characters:
        if escape and character == escape:
            parts.append(re.escape(next(characters, "")))
        elif character == "%":
            parts.append(".*")
        elif character == "_":
            parts.append(".")
        else:
            parts.append(re.escape(character))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def unicode_like(pattern, value, escape=None):
    if pattern is None or value is None:
        return None
    return _like_pattern(pattern, escape).fullmatch(str(value)) is not None


def install_unicode_like(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, unicode_like, deterministic=True)
        connection.connection.create_function("like", 3, unicode_like, deterministic=True)


class IntegerIn(In):
    """
    ``pk__in=[2**70]`` matches nothing, as Django's exact lookup already says of
    an id no column can hold; SQLite raised OverflowError instead, so that a
    crafted multiple choice (a group's permissions) was a server error.
    """

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            kind = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(kind)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def connect():
    connection_created.connect(install_unicode_like, dispatch_uid="newsroom-unicode-like")
    IntegerField.register_lookup(IntegerIn)
