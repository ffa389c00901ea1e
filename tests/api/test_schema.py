"""
The API publishes its OpenAPI schema: valid OpenAPI 3, made without warnings,
describing every endpoint of the URLconf with its parameters.
"""

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

from tests.reader_routes import walk

pytestmark = pytest.mark.django_db

# Routes the schema describes itself by: its index and the schema are no data.
NOT_DESCRIBED = {"api:root", "api:schema"}


def api_paths():
    """Every API route of the URLconf, as OpenAPI writes a path."""
    return {
        "/" + str(route.pattern.pattern).replace("<int:pk>", "{id}")
        for route in walk()
        if route.name.startswith("api:") and route.name not in NOT_DESCRIBED
    }


def full_paths():
    # walk() gives each pattern's own part: put the include's prefix back.
    return {f"/api/v1{path}" for path in api_paths()}


def test_the_schema_is_valid_openapi_and_lists_every_endpoint(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    validate_schema(schema)
    assert set(schema["paths"]) == full_paths()
    stories = schema["paths"]["/api/v1/stories/"]["get"]
    assert {p["name"] for p in stories["parameters"]} >= {
        "edition", "section", "tag", "author", "published_after", "published_before",
        "page_size", "cursor",
    }  # fmt: skip
    assert "PartnerKey" in schema["components"]["securitySchemes"]


def test_the_schema_is_also_yaml(api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    validate_schema(yaml.safe_load(response.content))


def test_the_schema_is_made_without_warnings(tmp_path):
    # --fail-on-warn: a view drf-spectacular cannot describe fails here.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    assert (tmp_path / "schema.yaml").stat().st_size > 1000
