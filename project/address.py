"""The site's public address, for every link it gives away (NEWSROOM_SITE_URL)."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path):
    """A path of this site as a full address: https://example.kz/politika/…"""
    # A file on object storage or a CDN has its own full address already.
    if path.startswith("//"):
        return f"{scheme()}:{path}"
    if urlsplit(path).scheme:
        return path
    return settings.NEWSROOM_SITE_URL + path


def scheme():
    return urlsplit(settings.NEWSROOM_SITE_URL).scheme


def domain():
    """Host, port and any path prefix: what a sitemap puts after the scheme."""
    return settings.NEWSROOM_SITE_URL.split("://", 1)[1]
