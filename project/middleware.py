import base64
import hashlib
import logging
import os
import re
import secrets
import socket
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language_from_path, override
from django.utils.translation import gettext as _

from project.access_log import mask_path

logger = logging.getLogger(__name__)


class RejectNullCharactersMiddleware:
    """
    Answer 400 to a NUL character in the path or the query string.

    PostgreSQL refuses NUL in text, so one reaching a query (a slug, the admin's
    search box) would be a server error. Forms already refuse it field by field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            message = _("The address contains a character that is not allowed.")
            if request.path_info.startswith("/api/"):  # the read API answers in JSON
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class HealthCheckMiddleware:
    """
    /healthz and /readyz for load balancers, answered before anything else
    (the page cache, sessions, the language, the host name check): a balancer
    asks by IP address, and its answer must say how this process is, never
    what a cache remembers.

    /healthz: the process answers. /readyz: the database and the cache answer
    too; while either does not, 503 and a short reason, so that the balancer
    sends readers elsewhere.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in {"/healthz", "/readyz"}:
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            response = HttpResponse("GET or HEAD\n", status=405, content_type="text/plain")
            response["Allow"] = "GET, HEAD"
            return never_stored(response)
        problems = readiness_problems() if request.path_info == "/readyz" else []
        if problems:
            response = HttpResponse(
                "".join(f"{p}\n" for p in problems), status=503, content_type="text/plain"
            )
        else:
            response = HttpResponse("ok\n", content_type="text/plain")
        return never_stored(response)


def never_stored(response):
    response["Cache-Control"] = "no-store"
    # A balancer's health check every second would fill the log (see project/access_log.py).
    response._has_been_logged = True
    return response


# One key per process: two processes checking at once must not read each other's value.
READINESS_KEY = f"newsroom:readyz:{socket.gethostname()}:{os.getpid()}"


def readiness_problems():
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Not ready: the database cannot be reached (%s).", first_line(error))
        problems.append("database unreachable")
    token = secrets.token_hex(8)
    try:
        # The Redis cache answers a miss while Redis is away (newsroom/cache.py).
        cache.set(READINESS_KEY, token, 60)
        cached = cache.get(READINESS_KEY)
    except Exception as error:
        logger.warning("Not ready: the cache cannot be reached (%s).", first_line(error))
        cached = None
    if cached != token:
        problems.append("cache unreachable")
    return problems


class DatabaseUnavailableMiddleware:
    """
    While the database cannot be reached, readers and editors get a 503 page
    in the language of the address they asked for (templates/503.html), with
    Retry-After, instead of a server error.

    After a request finds the database gone, this process answers 503 at once
    for PAUSE_SECONDS and only then lets a request try again: otherwise every
    request would wait the pool's whole timeout (newsroom/settings.py), and
    with one request at a time per worker the queue behind it would grow for
    as long as the database is away. Pages the page cache holds are still
    served (it comes first), and so are static files (WhiteNoise, before it).
    """

    PAUSE_SECONDS = 1.0
    paused_until = 0.0

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if time.monotonic() < DatabaseUnavailableMiddleware.paused_until:
            return unavailable_response(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        return database_went_away(request, exception)


def database_went_away(request, error):
    DatabaseUnavailableMiddleware.paused_until = (
        time.monotonic() + DatabaseUnavailableMiddleware.PAUSE_SECONDS
    )
    logger.warning(
        "The database cannot be reached, 503 for %s (%s).",
        mask_path(request.path_info),
        first_line(error),
    )
    return unavailable_response(request)


# Errors that say the database is away, not that a query is wrong: PostgreSQL's
# connection class (08), its shutting down or starting up (57P01–57P03); SQLite's
# locked or missing file. A psycopg error with no SQLSTATE never reached a server.
UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03")
UNAVAILABLE_SQLITE = {"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN"}


def database_unavailable(error):
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    sqlite_name = getattr(cause, "sqlite_errorname", None)
    if sqlite_name is not None:
        return sqlite_name in UNAVAILABLE_SQLITE
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(UNAVAILABLE_SQLSTATES)


# What a browser, a crawler or a CDN is told to wait before asking again.
RETRY_AFTER_SECONDS = 30


def unavailable_response(request):
    """The 503 page in the language of the address; it reads nothing from the database."""
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with override(language):
        html = render_to_string(
            "503.html", {"language": language, "front": reverse("articles:front-page")}
        )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # database_went_away() has written the one line; Django would add one per request.
    response._has_been_logged = True
    return response


def first_line(error):
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class OversizedFormMiddleware:
    """
    An admin form larger than DATA_UPLOAD_MAX_MEMORY_SIZE is shown again, not refused blank.

    Django refuses to read such a form, and the refusal (from the CSRF check,
    which reads it first) is a bare English 400 page. The request is turned into
    the GET of the same page instead, which saves nothing: the admin shows the
    form as stored, with a message saying why nothing was saved (413).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if (
            request.method == "POST"
            and limit is not None
            and request.content_type != "multipart/form-data"
            and _declared_length(request) > limit
            and _is_admin(request.path_info)
        ):
            request.method = "GET"
            request.oversized_form = _declared_length(request)
        return self.get_response(request)


def _declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _is_admin(path):
    language = get_language_from_path(path)
    return path.removeprefix(f"/{language}" if language else "").startswith("/admin/")


class SecurityHeadersMiddleware:
    """
    Permissions-Policy on every answer (Django has no setting for it), and the
    admin's Content-Security-Policy: its scripts and the text editor set inline
    styles, which readers' pages never need (newsroom/settings.py); and the text
    editor's import map, an inline script, is allowed by its own hash, so that no
    other inline script runs. The browsable API (when debugging) gets inline styles too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.NEWSROOM_PERMISSIONS_POLICY)
        match = request.resolver_match
        if match is not None and (
            "admin" in match.namespaces or match.url_name == "two-factor-setup"
        ):
            update = {"style-src": ["'unsafe-inline'"]}
            if not response.streaming:
                hashes = [
                    f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
                    for body in IMPORT_MAP.findall(response.content)
                ]
                if hashes:
                    update["script-src"] = hashes
            response._csp_update = update
        elif (
            match is not None
            and "api" in match.namespaces
            and response.get("Content-Type", "").startswith("text/html")
        ):
            # The browsable API (DEBUG only): Django REST framework's pages float a
            # few buttons with inline styles; its scripts are files, like ours.
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response


IMPORT_MAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)
