import hashlib
import hmac
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

# A key reads «prefix.secret»: the prefix finds the row, the secret is checked against its hash.
PREFIX_LENGTH = 8


def digest(secret):
    # The secret is 32 random bytes, not a password: a fast hash guards it as well as a slow one.
    return hashlib.sha256(secret.encode()).hexdigest()


class PartnerKeyQuerySet(models.QuerySet):
    def find(self, key):
        """The key a client sent, active or not; None if no key was ever given out as it."""
        prefix, dot, secret = (key or "").partition(".")
        if not dot or len(prefix) != PREFIX_LENGTH or not prefix.isalnum() or not secret:
            return None
        found = self.filter(prefix=prefix).first()
        if found is None or not hmac.compare_digest(found.hashed_key, digest(secret)):
            return None
        return found


class PartnerKey(models.Model):
    """
    A partner's key to the read API: requests that carry it get a higher rate
    limit. Only its hash is kept; the key itself is shown once, when made.
    """

    name = models.CharField(
        _("name"), max_length=200, help_text=_("Who uses the key, for example «Kazinform app».")
    )
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, editable=False)
    hashed_key = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Untick to revoke: requests with the key are refused from then on."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PartnerKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.UniqueConstraint(fields=["prefix"], name="partner_key_prefix_unique"),
        ]

    def __str__(self):
        return self.name

    def new_key(self):
        """Give the row a new key and return it: the only moment anyone sees it."""
        self.prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        secret = secrets.token_urlsafe(32)
        self.hashed_key = digest(secret)
        return f"{self.prefix}.{secret}"
