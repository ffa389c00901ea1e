from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.models import Author


class Photo(models.Model):
    """A photo in the library, credited as the trade's metadata standard (IPTC) names it."""

    image = models.ImageField(
        _("image file"),
        upload_to="photos/%Y/%m/",
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What the photo shows, in a sentence: the default caption."),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_("What a reader who cannot see the photo needs to know about it."),
    )
    credit_line = models.CharField(
        _("credit line"),
        max_length=200,
        help_text=_("Printed after «Фото:», for example «akorda.kz» or the photographer's name."),
    )
    creator = models.CharField(
        _("creator"),
        max_length=200,
        blank=True,
        help_text=_("The photographer, as IPTC «Creator»."),
    )
    creator_author = models.ForeignKey(
        Author,
        verbose_name=_("staff photographer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
        help_text=_("Set when the photographer is on staff: the credit links to their page."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Who supplied the photo, for example a press service or an agency."),
    )
    copyright_notice = models.CharField(_("copyright notice"), max_length=300, blank=True)
    usage_terms = models.TextField(_("usage terms"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(alt_text=""),
                name="photo_alt_text_not_empty",
                violation_error_message=_("A photo needs alt text."),
            ),
            models.CheckConstraint(
                condition=~models.Q(credit_line=""),
                name="photo_credit_line_not_empty",
                violation_error_message=_("A photo needs a credit line."),
            ),
        ]

    def __str__(self):
        return self.description or self.alt_text or self.image.name
