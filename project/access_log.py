"""
gunicorn's access log without the secrets that addresses carry (gunicorn.conf.py).

A share link's token lets anyone read a story before it is published, and a
photo's token anyone see a photo the newsroom has not published yet: neither
may reach a log file, where more people read than the newsroom chose. Query
strings (a reader's search, a campaign's tags) are never written at all.
Load balancers' health checks are not written either: one line a second per
balancer would bury the requests.

Imported by gunicorn's master before Django is set up: nothing here needs Django.
"""

import re

from gunicorn.glogging import Logger

HIDDEN = "<token>"

# Each route whose address carries a secret (tests/newsroom/test_access_log.py
# finds them in the URLconf, so that a new one cannot be forgotten).
SECRETS_IN_PATHS = [
    # A share link, in any edition: /preview/<token>/, /kk/preview/<token>/
    re.compile(r"(/preview/)[^/]+", re.IGNORECASE),
    # A rendition made on request (media/urls.py): /img/<pk>-<token>/<name>
    re.compile(r"(/img/[0-9]+-)[^/]+", re.IGNORECASE),
    # A rendition's file under MEDIA_URL: …/renditions/<pk>/<token>/<name>
    re.compile(r"(/renditions/[0-9]+/)[^/]+", re.IGNORECASE),
]

NOT_LOGGED = {"/healthz", "/readyz"}

# Request headers and environment values that would repeat the address, its
# query string or a reader's credentials if a log format asked for them.
DROPPED_ATOMS = {
    "q",
    "{cookie}i",
    "{authorization}i",
    "{raw_uri}e",
    "{query_string}e",
    "{request_uri}e",
    "{http_cookie}e",
    "{http_authorization}e",
}


def mask_path(path):
    """The path as it may be logged: every secret replaced, the query string cut off."""
    path = (path or "").split("?", 1)[0].split("#", 1)[0]
    for pattern in SECRETS_IN_PATHS:
        path = pattern.sub(rf"\g<1>{HIDDEN}", path)
    return path


def mask_url(url):
    """A referring address as it may be logged: scheme and host kept, path masked."""
    if not url or url == "-":
        return "-"
    match = re.match(r"^([a-z][a-z0-9+.-]*://[^/?#]*)(.*)$", url, re.IGNORECASE)
    if match:
        return match[1] + mask_path(match[2])
    return mask_path(url)


class AccessLogger(Logger):
    """gunicorn's logger, writing addresses without secrets or query strings."""

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO", "").rstrip("/") in NOT_LOGGED:
            return
        super().access(resp, req, environ, request_time)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # PATH_INFO, not RAW_URI: gunicorn has decoded it, so that a token
        # written with %-escapes is found (and the query string is not in it).
        path = mask_path(environ.get("PATH_INFO"))
        atoms["U"] = atoms["{path_info}e"] = path
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}"
        atoms["f"] = atoms["{referer}i"] = atoms["{http_referer}e"] = mask_url(
            environ.get("HTTP_REFERER", "-")
        )
        for name in DROPPED_ATOMS:
            atoms.pop(name, None)
        return atoms
