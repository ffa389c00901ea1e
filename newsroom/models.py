from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from newsroom.slugs import fill_slug, slugify

# Said when a slug would be empty: the name (headline) has no letters to make one from.
EMPTY_ADDRESS = _("The address is empty: fill in the name (headline) or type an address.")


class User(AbstractUser):
    """Everyone who signs in to the admin: editors, reporters, photographers."""

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Author(models.Model):
    """A person who can be bylined or credited, on staff or not."""

    name = models.CharField(
        pgettext_lazy("person", "name"),
        max_length=200,
        help_text=_("As bylines and credits print it: «Ирина Капитанова»."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        blank=True,
        help_text=_("The author's page address. Left empty, it is made from the name."),
    )
    job_title = models.CharField(
        _("job title"), max_length=200, blank=True, help_text=_("For example: correspondent.")
    )
    bio = models.TextField(_("biography"), blank=True)
    # The portrait as a file of its own, before portraits became library photos
    # (media.Photo.portrait_of, whose reverse is ``author.portrait``). Kept, not
    # read, for one release so that going back to the previous one loses nothing;
    # the next release removes these three columns (README, «Known limits»).
    portrait_file = models.ImageField(
        upload_to="authors/", blank=True, editable=False, db_column="portrait"
    )
    portrait_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    portrait_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    user = models.OneToOneField(
        User,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text=_("The staff member's admin account, if they have one."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="author_slug_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(slug=""),
                name="author_slug_not_empty",
                violation_error_message=EMPTY_ADDRESS,
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name, max_length=200)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    def clean(self):
        fill_slug(self, "name")


def sees_staff_records(user):
    """Who may read author records and staff login names: everyone on staff but photographers."""
    return user.has_perm("newsroom.view_author")


def staff_name(person, viewer=None):
    """
    A staff member as a page shows them to ``viewer``: a login name only to
    those who may read staff records (or to its owner); to others, and where
    nobody in particular is looking, the name the site prints in bylines.
    """
    if person is None:
        return "—"
    if viewer is not None and (person.pk == viewer.pk or sees_staff_records(viewer)):
        full_name = person.get_full_name()
        return f"{person.get_username()} ({full_name})" if full_name else person.get_username()
    author = Author.objects.filter(user=person).values_list("name", flat=True).first()
    return person.get_full_name() or author or gettext("a colleague")


class AuditEvent(models.Model):
    """
    One thing done or refused that an editor may have to account for: who, what,
    when, from where. Written by newsroom/audit.py, never changed afterwards (the
    admin offers no change; the database refuses one, newsroom/migrations).
    """

    class Action(models.TextChoices):
        PUBLISH = "publish", _("Published")
        SCHEDULE = "schedule", _("Scheduled")
        UNPUBLISH = "unpublish", _("Unpublished")
        DELETE = "delete", _("Deleted")
        RESTORE = "restore", _("Restored a version")
        RECOVER = "recover", _("Recovered after deletion")
        PERMISSIONS = "permissions", _("Permissions changed")
        DENIED = "denied", _("Access denied")
        LOGIN_FAILED = "login-failed", _("Wrong password")
        LOCKED_OUT = "locked-out", _("Locked out")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # Names, not foreign keys: an entry outlives the account and the story it names.
    actor = models.CharField(
        _("who"), max_length=150, blank=True, help_text=_("Empty: the system itself.")
    )
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("kind"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    detail = models.TextField(_("details"), blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.object_repr}"
