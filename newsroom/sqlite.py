"""
SQLite, the embedded default, made to compare Cyrillic text as PostgreSQL does.

SQLite's LIKE folds case for ASCII letters only, so on SQLite the admin's
search for «найди» misses «Найди». SQLite lets a connection replace the
like() function behind the LIKE operator; ours folds case for every script.
"""

import functools
import re

from django.db.backends.signals import connection_created


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


def connect():
    connection_created.connect(install_unicode_like, dispatch_uid="newsroom-unicode-like")
