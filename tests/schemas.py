"""The published schemas of feeds and sitemaps (shared/oracles/schemas), loaded once."""

import os
from functools import cache
from pathlib import Path

import lxml.etree as etree
import pytest

SCHEMAS = Path(
    os.environ.get(
        "ORACLES_SCHEMA_DIR", Path(__file__).resolve().parents[2] / "shared/oracles/schemas"
    )
)


def require_schemas():
    """
    Skip without the schemas on a developer's machine; in CI their absence is a
    failure. Called by each schema below, so a test skips only where it validates.
    """
    if SCHEMAS.exists():
        return
    reason = f"no schemas at {SCHEMAS} (the team's shared/ beside the clone, or ORACLES_SCHEMA_DIR)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must validate feeds and sitemaps, but there are {reason}")
    pytest.skip(reason)


@cache
def rss_schema():
    require_schemas()
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "rss-2_0.xsd")))


@cache
def atom_schema():
    import rnc2rng

    require_schemas()
    grammar = rnc2rng.dumps(rnc2rng.load(str(SCHEMAS / "atom.rnc")))
    # The converter declares the RFC's empty "local" namespace, which XML forbids.
    return etree.RelaxNG(etree.fromstring(grammar.replace('xmlns:local=""', "").encode()))


@cache
def sitemap_schema(root):
    """sitemap.xsd or siteindex.xsd, with the image and news extensions it may contain."""
    require_schemas()
    imports = "".join(
        f'<xsd:import namespace="{namespace}" schemaLocation="{(SCHEMAS / name).as_uri()}"/>'
        for namespace, name in [
            ("http://www.sitemaps.org/schemas/sitemap/0.9", root),
            ("http://www.google.com/schemas/sitemap-image/1.1", "sitemap-image.xsd"),
            ("http://www.google.com/schemas/sitemap-news/0.9", "sitemap-news.xsd"),
        ]
    )
    wrapper = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{imports}</xsd:schema>'
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), base_url=SCHEMAS.as_uri() + "/"))


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return etree.fromstring(response.content)


def assert_valid(document, schema):
    if not schema.validate(document):
        raise AssertionError(str(schema.error_log))
