"""
Who is asking: a partner with a key, or anyone, known by their address.

The key is optional. Without one a client is limited by its address (as
newsroom.accounts.client_ip reads it behind the proxies we trust); with a
valid key, by the key, at the partners' higher rate. A key that is wrong is
refused rather than ignored, so a partner learns at once that theirs is.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.throttling import SimpleRateThrottle

from api.models import PartnerKey
from newsroom.accounts import client_ip

KEYWORD = "Api-Key"


class PartnerKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key <key>``: no user, the key itself is request.auth."""

    def authenticate(self, request):
        # As the server decoded it (any character, whatever a client sent), never re-encoded.
        header = request.META.get("HTTP_AUTHORIZATION", "").split()
        if not header or header[0].lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as «Api-Key <key>»."))
        partner = PartnerKey.objects.find(header[1] if header[1].isascii() else "")
        if partner is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid."))
        if not partner.is_active:
            raise exceptions.PermissionDenied(_("This API key has been revoked."))
        return None, partner

    def authenticate_header(self, request):
        return KEYWORD


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per client in the shared cache: by key for partners, by address for others."""

    cache_format = "newsroom:api-throttle:%(scope)s:%(ident)s"

    def __init__(self):
        pass  # the rate depends on the request: allow_request chooses it

    def allow_request(self, request, view):
        partner = isinstance(request.auth, PartnerKey)
        self.scope = "partner" if partner else "anonymous"
        self.rate = settings.NEWSROOM_API_PARTNER_RATE if partner else settings.NEWSROOM_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if self.scope == "partner":
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}
