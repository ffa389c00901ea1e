from urllib.parse import parse_qs, unquote, urlsplit

from django.core.cache import cache
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section
from media.models import Photo
from newsroom.models import Author

# Whether the site holds any old address, kept in the shared cache: a reader's
# page not found asks the cache, not the database, on a site that imported nothing.
HAS_OLD_ADDRESSES = "wordpress:has-old-addresses"


class ImportedItem(models.Model):
    """
    What one WordPress object became here: the map that makes a second import
    update what the first one made instead of making it again.
    """

    class Kind(models.TextChoices):
        POST = "post", _("Post")
        PAGE = "page", _("Page")
        ATTACHMENT = "attachment", _("Attachment")
        AUTHOR = "author", _("Author")
        CATEGORY = "category", _("Category")

    site = models.CharField(_("WordPress site"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # A post's or attachment's id, an author's login, a category's slug (nicename).
    key = models.CharField(_("WordPress key"), max_length=200)
    # related_name "+": being on this map is not a use (a photo stays deletable).
    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    photo = models.ForeignKey(
        Photo, verbose_name=_("photo"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # An attachment's file, as the path after wp-content/uploads/: how a post's
    # images that name no attachment id are found.
    file_path = models.CharField(max_length=500, blank=True, default="")
    parent_key = models.CharField(max_length=200, blank=True, default="")
    # An attachment page's old addresses (its permalink, ?attachment_id=), given
    # to the story it belongs to, else to the first story that shows the photo.
    old_addresses = models.TextField(blank=True, default="")
    # The WordPress object as exported: a second import updates only what changed.
    fingerprint = models.CharField(max_length=64, blank=True, default="")
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("imported WordPress object")
        verbose_name_plural = _("imported WordPress objects")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="wordpress_item_once"),
        ]
        indexes = [
            models.Index(fields=["kind", "file_path"], name="wordpress_item_file_idx"),
            models.Index(fields=["kind", "parent_key"], name="wordpress_item_parent_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key}"


class OldAddress(models.Model):
    """
    An address the story had on WordPress: its permalink's path, or its
    ``?p=`` (``?page_id=``, ``?attachment_id=``) form. Answered with a 301 to
    the story's address here, while the story is published (wordpress.middleware).
    """

    path = models.CharField(_("old address"), max_length=500)
    article = models.ForeignKey(
        Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="old_addresses"
    )

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        constraints = [models.UniqueConstraint(fields=["path"], name="old_address_once")]

    def __str__(self):
        return self.path


QUERY_KEYS = ("p", "page_id", "attachment_id")


def address_key(path, query=None):
    """
    An old address as OldAddress keeps it: ``?p=12`` for WordPress's own
    query form, else the path, decoded, without its final slash. None for an
    address that cannot be one.
    """
    if query is not None:
        for name in QUERY_KEYS:
            value = query.get(name, "")
            if value.isascii() and value.isdigit() and len(value) <= 18:
                return f"?{name}={int(value)}"
        return None
    path = unquote(path or "")
    if not path.startswith("/"):
        path = "/" + path
    path = path.rstrip("/") or "/"
    if path == "/" or len(path) > 500 or "\x00" in path:
        return None
    try:
        path.encode()  # a lone surrogate is no address a database can hold
    except UnicodeEncodeError:
        return None
    return path


def link_key(link):
    """The key of a WordPress link (a permalink or a ?p= form), from its full address."""
    parts = urlsplit(link or "")
    if parts.query:
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        found = address_key(parts.path, query)
        if found:
            return found
    return address_key(parts.path)


def note_old_addresses(**kwargs):
    cache.set(HAS_OLD_ADDRESSES, True, None)


def forget_old_addresses(**kwargs):
    cache.delete(HAS_OLD_ADDRESSES)  # asked again at the next page not found


def has_old_addresses():
    known = cache.get(HAS_OLD_ADDRESSES)
    if known is None:
        known = OldAddress.objects.exists()
        cache.set(HAS_OLD_ADDRESSES, known, None)
    return known


def connect():
    post_save.connect(note_old_addresses, sender=OldAddress, dispatch_uid="wordpress-old-saved")
    post_delete.connect(
        forget_old_addresses, sender=OldAddress, dispatch_uid="wordpress-old-deleted"
    )
