"""
What a hostile or merely unlucky visitor types: the pieces the hostile-input
tests (test_hostile_input.py, test_hostile_forms.py) build their examples from.
"""

import re
from urllib.parse import quote_from_bytes

from django.urls import URLResolver, get_resolver
from hypothesis import strategies as st

PIECES = [
    # Mixed scripts, as a Kazakh newsroom writes them, and others it may quote.
    "Қазақстан",
    "Ёлка",
    "Almaty",
    "العربية",
    "עברית",
    "中文",
    # Right-to-left and left-to-right marks, overrides and isolates.
    "\u200f",
    "\u200e",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2069",
    # Combining characters, alone and stacked.
    "e\u0301",
    "\u0301",
    "а\u0308\u0301\u0336\u0489",
    # Emoji: ZWJ sequences, a flag, a skin tone, a variation selector.
    "👨\u200d👩\u200d👧\u200d👦",
    "🏳\ufe0f\u200d🌈",
    "👍🏽",
    "🇰🇿",
    "\u200d",
    "\ufe0f",
    # Control characters, NUL and odd line ends.
    "\x00",
    "\x01",
    "\x1b[31m",
    "\x7f",
    "\r\n",
    "\t",
    "\u2028",
    "\x85",
    "\ufeff",
    # Lone surrogates: not text at all once encoded.
    "\ud800",
    "\udfff",
    # Markup and template syntax that must come out escaped, never run.
    "<script>alert(1)</script>",
    "\"'&<>",
    "{{ request }}",
    "{% debug %}",
    "%s%(x)s",
    "\\",
    "../",
    # Numbers that are too large, negative or not numbers.
    "9" * 40,
    "-1",
    "0",
    "1e309",
    "NaN",
    "²",
    "٣",
]

# What a page must never show unescaped, wherever it reflects the visitor's words.
MARKUP = "<script>alert(1)</script>"

hostile_text = st.one_of(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), min_size=1, max_size=8).map(
        "".join
    ),
    # Oversized: long enough to pass any column's limit, short of Django's request limit.
    st.tuples(st.sampled_from(PIECES), st.integers(300, 3_000)).map(lambda pair: pair[0] * pair[1]),
)

numbers = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["-1", "0", "1", "99999999999999999999", "1.5", "1e3", " 2", "²", "%00"]),
)

# Bytes that are no UTF-8: stray continuations, overlong forms, an encoded surrogate, cut sequences.
INVALID_UTF8 = [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe0\xa4", b"\x80abc", b"\xf4\x90\x80\x80"]


def percent_encoded(text):
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe="")


url_part = st.one_of(
    hostile_text.map(lambda text: percent_encoded(text[:300])),
    st.sampled_from(INVALID_UTF8).map(lambda raw: quote_from_bytes(raw, safe="")),
    st.binary(min_size=1, max_size=12).map(lambda raw: quote_from_bytes(raw, safe="")),
    # Malformed escapes are passed on as they are.
    st.sampled_from(["%", "%ZZ", "%E0%A4", "%%30", "%u0041"]),
    numbers.map(percent_encoded),
)

query_string = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(["page", "q", "p", "since", "from", "to", "id"]), url_part),
        st.one_of(url_part, numbers.map(percent_encoded)),
    ),
    max_size=4,
).map(lambda pairs: "&".join(f"{key}={value}" for key, value in pairs))

_GROUP = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def reader_routes():
    """
    Every address of the site outside the admin, as written in the URLconf:
    "tags/<slug:slug>/", "img/(?P<pk>...)-..." A new page is in this list by itself.
    """
    routes = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + _route(pattern.pattern)
            # The admin, and its pages beside admin.site (view on site, two-factor set-up),
            # are walked by test_hostile_forms and tests/newsroom/test_admin_access.py.
            if route.startswith("admin/"):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            else:
                routes.append(route)

    walk(get_resolver().url_patterns, "")
    return routes


def _route(pattern):
    route = getattr(pattern, "_route", None)
    if route is None:  # a regular expression, or the language prefix (empty)
        route = getattr(pattern, "_regex", "")
    return route.lstrip("^").rstrip("$").replace("\\", "")


def route_arguments(route):
    return [left or right for left, right in _GROUP.findall(route)]


def fill(route, values):
    """The route with each argument replaced by the value of the same name."""
    return _GROUP.sub(lambda match: values[match[1] or match[2]], route)
