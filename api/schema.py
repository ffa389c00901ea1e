"""
The API's OpenAPI schema (drf-spectacular), as JSON, or YAML for
``Accept: application/vnd.oai.openapi``. It changes only with the code, so a
process makes it once; it describes the one version there is, in Russian.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

from api.clients import KEYWORD


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.clients.PartnerKeyAuthentication"
    name = "PartnerKey"
    # Optional: a request without a key is read too, at the lower rate.
    optional = True

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"«{KEYWORD} <key>»: a partner's key, for a higher rate limit.",
        }


class SchemaView(SpectacularAPIView):
    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]
    made = {}

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        # ?lang= and ?version= are not read: there is one schema.
        if "schema" not in self.made:
            generator = self.generator_class(urlconf=self.urlconf, patterns=self.patterns)
            self.made["schema"] = generator.get_schema(request=None, public=True)
        return Response(self.made["schema"])
