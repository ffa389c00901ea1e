"""
A photo's credit, written once.

FIELDS names each thing an editor says about a photo, where the trade's
metadata standard (IPTC) keeps it in a file, and what it is called on the
schema.org ImageObject. The model's fields, the forms, the admin's fieldsets,
the reading of a file's metadata, the XMP that renditions carry, the
structured data and the completeness rule all come from it; templates and
feeds print a credit with credit_html().
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CreditField:
    name: str
    field: models.Field  # the model's field: its label and help text are the editors'
    xmp: str | None = None  # the XMP property: "dc:creator"
    # How XMP holds the value: plain "text", an ordered list ("seq") or
    # language alternatives ("alt"), as the standard says for that property.
    xmp_form: str = "text"
    iptc: tuple | None = None  # the IIM record and dataset: (2, 80)
    exif: int | None = None  # the EXIF tag
    schema: str | None = None  # the schema.org ImageObject property
    required: bool = False  # a photo without it may not appear on a published page
    in_renditions: bool = False  # written into every rendition's XMP
    describes: bool = False  # says what the picture shows, rather than whose it is


# The group the newsroom gives its photographers (newsroom/migrations/0002_roles.py).
PHOTOGRAPHERS_GROUP = "Photographers"


def staff_photographers():
    """
    Whom a photo's credit may link to as its staff photographer: the authors whose
    account is in the Photographers group, and those already credited for a photo
    (a photographer without an account, as the demo's; an editor's earlier choice,
    which stays choosable so that the photo can still be saved). Offered by every
    form and lookup, and checked by the model on every save through a form.
    """
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    in_group = user_model.groups.through.objects.filter(
        **{user_model._meta.model_name: OuterRef("user"), "group__name": PHOTOGRAPHERS_GROUP}
    )
    credited = apps.get_model("media", "Photo").objects.filter(creator_author=OuterRef("pk"))
    return Q(Exists(in_group)) | Q(Exists(credited))


FIELDS = (
    CreditField(
        "description",
        models.TextField(
            _("description"),
            blank=True,
            help_text=_(
                "What the photo shows, in a sentence: the default caption (IPTC «Description»)."
            ),
        ),
        xmp="dc:description",
        xmp_form="alt",
        iptc=(2, 120),
        exif=0x010E,
        describes=True,
    ),
    CreditField(
        "alt_text",
        models.CharField(
            _("alt text"),
            max_length=300,
            blank=True,
            help_text=_("What a reader who cannot see the photo needs to know about it."),
        ),
        xmp="Iptc4xmpCore:AltTextAccessibility",
        xmp_form="alt",
        required=True,
        describes=True,
    ),
    CreditField(
        "credit_line",
        models.CharField(
            _("credit line"),
            max_length=200,
            blank=True,
            help_text=_(
                "Printed after «Фото:», for example «akorda.kz» or the photographer's name."
            ),
        ),
        xmp="photoshop:Credit",
        iptc=(2, 110),
        schema="creditText",
        required=True,
        in_renditions=True,
    ),
    CreditField(
        "creator",
        models.CharField(
            _("creator"),
            max_length=200,
            blank=True,
            help_text=_("The photographer, as IPTC «Creator»."),
        ),
        xmp="dc:creator",
        xmp_form="seq",
        iptc=(2, 80),
        exif=0x013B,
        schema="creator",
        in_renditions=True,
    ),
    CreditField(
        "creator_author",
        models.ForeignKey(
            "newsroom.Author",
            verbose_name=_("staff photographer"),
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name="photos",
            limit_choices_to=staff_photographers,
            help_text=_(
                "Set when the photographer is on staff: the credit links to their page. "
                "Offered: authors in the Photographers group and those already credited "
                "for a photo."
            ),
        ),
    ),
    CreditField(
        "source",
        models.CharField(
            _("source"),
            max_length=200,
            blank=True,
            help_text=_("Who supplied the photo, for example a press service or an agency."),
        ),
        xmp="photoshop:Source",
        iptc=(2, 115),
        in_renditions=True,
    ),
    CreditField(
        "copyright_notice",
        models.CharField(_("copyright notice"), max_length=300, blank=True),
        xmp="dc:rights",
        xmp_form="alt",
        iptc=(2, 116),
        exif=0x8298,
        schema="copyrightNotice",
        in_renditions=True,
    ),
    CreditField(
        "usage_terms",
        models.TextField(_("usage terms"), blank=True),
        xmp="xmpRights:UsageTerms",
        xmp_form="alt",
        in_renditions=True,
    ),
    # A file keeps its date in several places and shapes: imaging.read_metadata() reads it.
    CreditField("date_taken", models.DateTimeField(_("date taken"), null=True, blank=True)),
)

NAMES = [entry.name for entry in FIELDS]
# The ones a rendition carries: a change to any of them gives the photo new renditions.
IN_RENDITIONS = [entry.name for entry in FIELDS if entry.in_renditions]
# The ones a file's metadata may hold as text.
IN_FILES = [entry for entry in FIELDS if entry.xmp or entry.iptc or entry.exif]


def names(*, describes):
    """The fields that say what the picture shows (describes=True), or whose it is."""
    return [entry.name for entry in FIELDS if entry.describes is describes]


def of(photo):
    """The photo's credit as the renditions carry it: name → text."""
    return {name: getattr(photo, name) for name in IN_RENDITIONS}


# The completeness rule, for the database and for Python alike. Blank means
# nothing but whitespace, as Python's str.isspace() counts it (no-break spaces,
# tabs and line breaks included): the characters are listed, because a
# database's own idea of whitespace depends on its locale.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
BLANK = f"^[{WHITESPACE}]*$"
REQUIRED = [entry.name for entry in FIELDS if entry.required]


def incomplete():
    """The photos that lack a required field: a Q, for PhotoQuerySet.incomplete()."""
    condition = Q(pk__in=[])
    for name in REQUIRED:
        condition |= Q(**{f"{name}__regex": BLANK})
    return condition


def blank(value):
    """The Q's twin in Python: the same pattern."""
    return re.search(BLANK, value) is not None


def is_complete(photo):
    """Not incomplete(), in Python: for Photo.is_complete."""
    return not any(blank(getattr(photo, name)) for name in REQUIRED)


# Printing a credit ------------------------------------------------------------------


def credit_html(photo, *, feed=False):
    """
    The credit as readers see it under a photo: «Фото: akorda.kz», linked to a
    staff photographer's page (named, when the credit line is empty). In feeds,
    the form Dzen reads from a figure's caption: the credit alone, in
    <span class="copyright">. Nothing for a photo that names nobody (a portrait
    from before portraits were credited, media/migrations/0005).
    """
    author = photo.creator_author if photo.creator_author_id else None
    text = photo.credit_line if not blank(photo.credit_line) else author and author.name
    if not text:
        return ""
    if feed:
        return format_html('<span class="copyright">{}</span>', text)
    if author is not None:
        text = format_html('<a href="{}">{}</a>', author.get_absolute_url(), text)
    return format_html('<span class="credit">{} {}</span>', gettext("Photo:"), text)


def structured_data(photo, absolute_url):
    """The credit's part of a schema.org ImageObject: creditText, creator, copyrightNotice."""
    data = {
        entry.schema: getattr(photo, entry.name)
        for entry in FIELDS
        if entry.schema and not blank(getattr(photo, entry.name))
    }
    author = photo.creator_author if photo.creator_author_id else None
    if "creator" in data or author is not None:
        creator = {"@type": "Person", "name": data.get("creator") or author.name}
        if author is not None:
            creator["url"] = absolute_url(author.get_absolute_url())
        data["creator"] = creator
    return data
