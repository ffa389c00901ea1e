"""gunicorn's access log: no token of a share link or a photo, no query string, no health checks."""

import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.translation import override
from gunicorn.config import Config

from project.access_log import AccessLogger, mask_path, mask_url

ROOT = Path(__file__).resolve().parents[2]
SECRET = "c2VjcmV0LXN0b3J5:1tQx9Z:abcDEF0123456789"
PHOTO_SECRET = "0123456789abcdef"


def log_line(tmp_path, path, *, raw_uri=None, query="", referer=None, log_format=None):
    """What gunicorn, configured by gunicorn.conf.py, writes for one request."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    log_file = tmp_path / "access.log"
    config.set("accesslog", str(log_file))
    config.set("access_log_format", log_format or settings["access_log_format"])
    logger = settings["logger_class"](config)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "RAW_URI": raw_uri or (path + (f"?{query}" if query else "")),
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": "test",
    }
    headers = [("USER-AGENT", "test"), ("COOKIE", "sessionid=s3ss10n")]
    if referer:
        environ["HTTP_REFERER"] = referer
        headers.append(("REFERER", referer))
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[("Content-Type", "text/html")])
    request = SimpleNamespace(headers=headers)
    logger.access(response, request, environ, timedelta(milliseconds=12))
    return log_file.read_text() if log_file.exists() else ""


def test_the_configured_logger_is_the_masking_one():
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["logger_class"] is AccessLogger


@pytest.mark.parametrize("prefix", ["", "/kk", "/en"])
def test_a_share_links_token_never_reaches_the_access_log(tmp_path, prefix):
    line = log_line(tmp_path, f"{prefix}/preview/{SECRET}/")
    assert SECRET not in line
    assert f'"GET {prefix}/preview/<token>/ HTTP/1.1" 200 1234' in line


def test_a_token_written_with_percent_escapes_is_masked_too(tmp_path):
    # gunicorn decodes PATH_INFO; the raw address, escapes and all, is never written.
    escaped = SECRET.replace(":", "%3A")
    line = log_line(tmp_path, f"/preview/{SECRET}/", raw_uri=f"/pr%65view/{escaped}/")
    assert SECRET not in line and escaped not in line
    assert "/preview/<token>/" in line


def test_query_strings_are_never_written(tmp_path):
    line = log_line(tmp_path, "/search/", query="q=diagnosis+of+my+neighbour&utm_source=x")
    assert "diagnosis" not in line and "utm_source" not in line
    assert '"GET /search/ HTTP/1.1"' in line


def test_a_log_format_that_asks_for_the_query_string_or_raw_address_gets_a_dash(tmp_path):
    fmt = "%(U)s|%(q)s|%({raw_uri}e)s|%({query_string}e)s|%({cookie}i)s|%({referer}i)s"
    line = log_line(
        tmp_path,
        f"/preview/{SECRET}/",
        query="q=private",
        referer=f"https://news.example/kk/preview/{SECRET}/?ref=1",
        log_format=fmt,
    )
    assert SECRET not in line and "private" not in line and "s3ss10n" not in line
    assert line.strip() == ("/preview/<token>/|-|-|-|-|https://news.example/kk/preview/<token>/")


def test_the_referring_page_is_written_without_its_token_or_query(tmp_path):
    line = log_line(
        tmp_path, "/news/1-story/", referer=f"https://news.example/preview/{SECRET}/?utm=x"
    )
    assert SECRET not in line and "utm" not in line
    assert '"https://news.example/preview/<token>/"' in line


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/healthz/"])
def test_health_checks_are_not_logged(tmp_path, path):
    assert log_line(tmp_path, path) == ""


@pytest.mark.parametrize("path", ["/healthz-story/", "/news/healthz", "/kk/readyz"])
def test_pages_that_only_resemble_health_checks_are_logged(tmp_path, path):
    assert path in log_line(tmp_path, path)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/news/12-preview-of-the-week/",
        "/tags/img/",
        "/preview/",
        "/img/",
        "/static/newsroom/site.css",
        "/admin/articles/article/12/preview/",
    ],
)
def test_addresses_without_a_secret_are_written_as_they_are(path):
    assert mask_path(path) == path


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (None, ""),
        ("", ""),
        ("/preview/x", "/preview/<token>"),
        ("/PREVIEW/abc/", "/PREVIEW/<token>/"),
        ("//preview//", "//preview//"),
        ("/news/?q=/preview/abc/", "/news/"),
        ("/img/12-abc/w640.jpg#/preview/x", "/img/12-<token>/w640.jpg"),
        ("/preview/" + "a" * 10_000 + "/", "/preview/<token>/"),
    ],
)
def test_odd_addresses_are_masked_without_error(path, logged):
    assert mask_path(path) == logged


@pytest.mark.parametrize(
    ("url", "logged"),
    [
        (None, "-"),
        ("-", "-"),
        ("android-app://com.google.android.gm/", "android-app://com.google.android.gm/"),
        ("not a url /preview/abc", "not a url /preview/<token>"),
        ("https://news.example", "https://news.example"),
    ],
)
def test_odd_referring_addresses_are_masked_without_error(url, logged):
    assert mask_url(url) == logged


def test_a_rendition_files_token_is_masked():
    assert mask_path(f"/uploads/renditions/12/{PHOTO_SECRET}/w640.webp") == (
        "/uploads/renditions/12/<token>/w640.webp"
    )


# Parameters named so in a route are secrets; a new route with one must be masked.
SECRET_PARAMETERS = {"token", "key", "secret", "signature"}
SAMPLE_VALUES = {"pk": 12, "name": "w640.webp", "token": PHOTO_SECRET}


def routes_with_secrets(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes_with_secrets(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            parameters = set(pattern.pattern.regex.groupindex)
            if parameters & SECRET_PARAMETERS:
                yield f"{namespace}{pattern.name}", parameters


def test_the_urlconf_has_the_routes_this_file_knows_of():
    assert {name for name, _ in routes_with_secrets()} == {
        "articles:preview-link",
        "media:rendition",
    }


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_every_route_with_a_secret_in_its_address_is_masked(language):
    for name, parameters in routes_with_secrets():
        values = {parameter: SAMPLE_VALUES[parameter] for parameter in parameters}
        if name == "articles:preview-link":
            values["token"] = SECRET
        with override(language):
            path = reverse(name, kwargs=values)
        assert values["token"] not in mask_path(path), path
