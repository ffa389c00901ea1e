import hashlib
import logging
import posixpath
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django_tasks.exceptions import InvalidTaskError

from media import credits, imaging
from media.signals import renditions_recorded
from media.specs import ADMIN_THUMBNAILS, crop_box_size

logger = logging.getLogger(__name__)

TOKEN_LENGTH = 16


def originals_storage():
    # Originals keep what the camera wrote (location included) and are never
    # served to readers; every public file is a rendition.
    return storages["originals"]


def original_path(photo, filename):
    stem = posixpath.splitext(get_valid_filename(posixpath.basename(filename)))[0] or "photo"
    extension = imaging.EXTENSIONS[photo.file_format]
    return f"{photo.file_hash[:2]}/{photo.file_hash[:TOKEN_LENGTH]}-{stem[:80]}.{extension}"


def new_token():
    return secrets.token_hex(TOKEN_LENGTH // 2)


class PhotoQuerySet(models.QuerySet):
    def used(self):
        """Photos a story shows (lead or in its text), or an author's portrait."""
        return self.filter(_usage_filter() | Q(portrait_of__isnull=False)).distinct()

    def unused(self):
        return self.exclude(pk__in=self.used().values("pk"))

    def editable_by(self, user):
        if user.has_perm("media.edit_any_photo"):
            return self
        return self.filter(uploaded_by=user)

    def incomplete(self):
        return self.filter(credits.incomplete())

    def create_from_file(
        self, data, name, *, uploaded_by=None, inspection=None, by_uploader=True, **fields
    ):
        """
        A new photo from an uploaded file's bytes, checked and credited.

        Fields the caller does not give come from the file's own metadata and,
        where the file says nothing, from the uploader's author profile (unless
        by_uploader=False: an editor setting a colleague's portrait did not take it).
        """
        inspection = inspection or imaging.inspect(
            data, max_pixels=settings.NEWSROOM_MAX_IMAGE_PIXELS
        )
        photo = self.model(uploaded_by=uploaded_by, **fields)
        photo.fill_credit(inspection.metadata, uploaded_by if by_uploader else None)
        photo.set_original(data, name, inspection)
        try:
            with transaction.atomic():
                photo.save()
                photo.make_renditions(ADMIN_THUMBNAILS)
                photo.make_renditions_later()
        except BaseException:
            # Nothing was saved, so nothing may stay in storage either.
            photo.delete_files()
            for name in photo.__dict__.get("_stored_renditions", []):
                Rendition._meta.get_field("file").storage.delete(name)
            raise
        return photo

    def create_portrait(self, author, data, name, **fields):
        """
        A new photo from a file's bytes (create_from_file) as the author's
        portrait, its alt text naming them; their former portrait stays in the library.
        """
        fields.setdefault("alt_text", portrait_alt_text(author))
        photo = self.create_from_file(data, name, by_uploader=False, **fields)
        set_portrait(author, photo)
        return photo


def portrait_alt_text(author):
    """A portrait's alt text, in the site's language: «Фото Ирина Капитанова»."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext("Photo %(name)s") % {"name": author.name}


def _usage_filter():
    condition = Q(pk__in=[])
    for relation in usage_relations():
        condition |= Q(**{f"{relation.name}__isnull": False})
    return condition


def usage_relations():
    """The relations through which other apps use a photo (a story's lead photo, say)."""
    return [
        relation
        for relation in Photo._meta.related_objects
        if relation.related_model is not Rendition and not relation.many_to_many
    ]


# Written by their own code only, never by a form's save of the whole photo.
KEPT_BY_OTHERS = ("made_specs", "portrait_of")

# What the renditions show: a save that changes any of these renews them.
RENDERED_FROM = ("file_hash", "focal_x", "focal_y", *credits.IN_RENDITIONS)


class Credited(models.Model):
    """What an editor says about a photo: the fields of media/credits.py, in its order."""

    class Meta:
        abstract = True


for entry in credits.FIELDS:
    Credited.add_to_class(entry.name, entry.field)


class Photo(Credited):
    """A photo in the library, credited as the trade's metadata standard (IPTC) names it."""

    original = models.FileField(
        _("original file"), storage=originals_storage, upload_to=original_path, max_length=255
    )
    working_copy = models.FileField(
        _("working copy"), storage=originals_storage, max_length=255, blank=True, editable=False
    )
    file_hash = models.CharField(_("SHA-256 of the file"), max_length=64, editable=False)
    file_format = models.CharField(_("file format"), max_length=10, editable=False)
    # Part of every rendition's address: unguessable, and new whenever the
    # picture changes (another file, another focal point), so that renditions
    # can be cached forever.
    token = models.CharField(max_length=TOKEN_LENGTH, default=new_token, editable=False)
    file_size = models.PositiveBigIntegerField(_("file size"), editable=False)
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    focal_x = models.FloatField(
        _("focal point, across"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Click on the photo to set it: crops keep this point in the picture."),
    )
    focal_y = models.FloatField(
        _("focal point, down"), default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Related from here, so that newsroom (the lowest app) knows nothing of photos:
    # templates say author.portrait. Set from the author's page (set_portrait).
    portrait_of = models.OneToOneField(
        "newsroom.Author",
        verbose_name=_("portrait of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="portrait",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The names of the renditions made so far, each at its own address
    # (rendition_path): pages link them without reading a row of renditions, of
    # which a list of thirty photos has a thousand. Kept by make_renditions().
    made_specs = models.TextField(editable=False, blank=True, default="")

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        permissions = [("edit_any_photo", _("Can edit photos uploaded by others"))]
        constraints = [
            models.UniqueConstraint(
                fields=["file_hash"],
                name="photo_file_unique",
            ),
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="photo_focal_point_inside",
                violation_error_message=_("The focal point must lie inside the photo."),
            ),
        ]

    def __str__(self):
        return self.description or self.alt_text or self.file_name

    def save(self, *args, **kwargs):
        # An editor's form holds the photo as it was loaded; renditions made since
        # then are recorded by make_renditions(), and the form must not undo that,
        # nor a portrait set meanwhile on the author's page (set_portrait).
        if self.pk is not None and not kwargs.get("force_insert") and "update_fields" not in kwargs:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in KEPT_BY_OTHERS
            ]
        renew = self.pk is not None and self._renditions_outdated(kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        if renew:
            self.renew_renditions()
        self._remember_as_loaded()

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_as_loaded()

    @classmethod
    def from_db(cls, db, field_names, values):
        photo = super().from_db(db, field_names, values)
        # As loaded, to tell whether a save changes what the renditions show
        # (kept as given: a list page loads thirty photos and saves none).
        photo._as_loaded = (field_names, values)
        return photo

    def _remember_as_loaded(self):
        deferred = self.get_deferred_fields()
        names = [name for name in (*RENDERED_FROM, "portrait_of_id") if name not in deferred]
        self._as_loaded = (names, [getattr(self, name) for name in names])

    def portraits_shown(self):
        """The authors whose portrait this is, or was as loaded: their pages show it."""
        names, values = self.__dict__.get("_as_loaded", ((), ()))
        loaded = dict(zip(names, values, strict=True)).get("portrait_of_id")
        return {pk for pk in (loaded, self.portrait_of_id) if pk is not None}

    def _renditions_outdated(self, update_fields):
        """Whether this save changes what the renditions show."""
        names, values = self.__dict__.get("_as_loaded", ((), ()))
        saved = RENDERED_FROM if update_fields is None else set(update_fields)
        return any(
            name in RENDERED_FROM and name in saved and getattr(self, name) != value
            for name, value in zip(names, values, strict=True)
        )

    @property
    def file_name(self):
        """The name the file was uploaded with (stored ones start with part of its hash)."""
        name = posixpath.basename(self.original.name)
        prefix = f"{self.file_hash[:TOKEN_LENGTH]}-"
        return name[len(prefix) :] if name.startswith(prefix) else name

    @property
    def is_complete(self):
        """A photo may appear on a published page only with alt text and a credit."""
        return credits.is_complete(self)

    @property
    def credit(self):
        return credits.of(self)

    def fill_credit(self, metadata, uploader=None):
        """Fill empty credit fields from the file, then from the uploader's author profile."""
        for name, value in metadata.items():
            if name in credits.NAMES and not getattr(self, name):
                limit = self._meta.get_field(name).max_length
                setattr(self, name, value[:limit] if isinstance(value, str) and limit else value)
        author = getattr(uploader, "author", None) if uploader else None
        if author and not metadata.get("creator") and not metadata.get("credit_line"):
            self.creator = self.creator or author.name
            self.credit_line = self.credit_line or author.name
            self.creator_author = self.creator_author or author

    def set_original(self, data, name, inspection):
        self.file_hash = hashlib.sha256(data).hexdigest()
        self.file_format = inspection.file_format
        self.file_size = len(data)
        self.width, self.height = inspection.width, inspection.height
        self.original = ContentFile(data, name=name)
        copy = imaging.working_copy(data)
        self.working_copy = (
            ContentFile(copy, name=f"{self.file_hash}-working.jpg") if copy else None
        )
        self.token = new_token()

    def make_renditions(self, specs, *, replace=False):
        """
        Make (once) and return the renditions of the given specs.

        replace=True remakes existing ones under the same names (new encoder
        settings, say), so that no page's link to them breaks.
        """
        existing = {
            r.spec: r
            for r in Rendition.objects.filter(photo=self, spec__in=[s.name for s in specs])
        }
        todo = specs if replace else [spec for spec in specs if spec.name not in existing]
        if todo:
            source = self.working_copy if self._working_copy_covers(todo) else self.original
            with source.open("rb") as file:
                data = file.read()
            rendered = imaging.render(
                data,
                todo,
                focal=(self.focal_x, self.focal_y),
                credit=self.credit,
                size=(self.width, self.height),
            )
            for result in rendered:
                old = existing.get(result.spec.name)
                existing[result.spec.name] = (
                    old.overwrite(result) if old else Rendition.store(self, result)
                )
            self.record_made_specs()
        return [existing[spec.name] for spec in specs]

    def make_renditions_later(self):
        """
        Queue the making of every other rendition, once the transaction commits:
        an upload that fails queues nothing, and a worker never looks for a photo
        it cannot see yet.
        """
        from media.tasks import make_renditions

        pk, token = self.pk, self.token
        # robust: the photo is saved; a queue that is away costs its renditions
        # a reader's first request (the rendition view), not the upload.
        transaction.on_commit(lambda: make_renditions.enqueue(pk, token), robust=True)

    def record_made_specs(self):
        """Note which renditions lie at their own address, for pages to link straight to."""
        made = [
            spec
            for spec, name in Rendition.objects.filter(photo=self).values_list("spec", "file")
            if name == self.rendition_path(spec)
        ]
        self.made_specs = " ".join(sorted(made))
        Photo.objects.filter(pk=self.pk).update(made_specs=self.made_specs)
        renditions_recorded.send(sender=Photo, photo=self)

    @property
    def made_spec_names(self):
        return set(self.made_specs.split())

    def rendition_path(self, spec_name):
        return f"renditions/{self.pk}/{self.token}/{spec_name}"

    def _working_copy_covers(self, specs):
        if not self.working_copy:
            return False
        scale = imaging.WORKING_COPY_SIDE / max(self.width, self.height)
        return all(
            spec.size_for(self.width, self.height)[0] <= self._crop_width(spec) * scale
            for spec in specs
        )

    def _crop_width(self, spec):
        ratio = imaging.ratio_of(spec)
        return crop_box_size(self.width, self.height, ratio)[0] if ratio else self.width

    def renditions_by_spec(self):
        """
        The renditions made so far, by spec name: from the page's prefetch when
        there was one (``prefetched_renditions``, only the specs the page draws),
        else from the database.
        """
        made = self.__dict__.get("prefetched_renditions")
        if made is None:
            made = self.renditions.all()
        return {rendition.spec: rendition for rendition in made}

    def rendition_url(self, spec, made=None):
        """Where a reader's browser fetches this rendition: the file if made, else the maker."""
        if spec.name in (made if made is not None else self.made_spec_names):
            return Rendition._meta.get_field("file").storage.url(self.rendition_path(spec.name))
        return reverse(
            "media:rendition", kwargs={"pk": self.pk, "token": self.token, "name": spec.name}
        )

    def renew_renditions(self):
        """
        Every rendition made again, at a new address: browsers and caches keep a
        rendition for a year without asking, so one is never changed in place.
        The admin's thumbnails come at once, the others from the queue.
        """
        self.forget_renditions()
        self.make_renditions(ADMIN_THUMBNAILS)
        self.make_renditions_later()

    def forget_renditions(self):
        """
        Renditions that show an old picture or an old credit: they go, files and
        all, and the photo's renditions get a new address.

        The files go after the pages that link them are retired: the save that
        changed the photo retired them first (articles/caching.py, on the same
        commit), and a page a reader opened just before may still load its
        images for a while (OLD_RENDITIONS_KEPT).
        """
        names = []
        for rendition in Rendition.objects.filter(photo=self):
            rendition.file_outlives_row = True
            rendition.delete()
            names.append(rendition.file.name)
        if names:
            transaction.on_commit(lambda: delete_rendition_files_later(names), robust=True)
        self._prefetched_objects_cache = {}
        self.token = new_token()
        self.made_specs = ""
        Photo.objects.filter(pk=self.pk).update(token=self.token, made_specs="")

    def delete_files(self):
        for file in (self.original, self.working_copy):
            if file and file.name and file._committed:
                file.storage.delete(file.name)


def set_portrait(author, photo):
    """
    Make ``photo`` (None: no photo) the author's portrait; their former one stays
    in the library. Each photo is saved on its own, so that the pages showing
    either are retired (articles/caching.py).
    """
    former = Photo.objects.filter(portrait_of=author)
    if photo is not None:
        former = former.exclude(pk=photo.pk)
    for old in former:
        old.portrait_of = None
        old.save(update_fields=["portrait_of", "updated_at"])
    if photo is not None and photo.portrait_of_id != author.pk:
        photo.portrait_of = author  # also what author.portrait now answers
        photo.save(update_fields=["portrait_of", "updated_at"])
    elif photo is None:
        # The author's cached reverse accessor would still name the former photo.
        author._state.fields_cache.pop("portrait", None)


class Rendition(models.Model):
    """One size, crop and format of a photo, made once and reused."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(_("spec"), max_length=40)
    file = models.FileField(_("file"), max_length=255)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "spec"],
                name="rendition_one_per_spec",
            ),
        ]

    def __str__(self):
        return f"{self.photo_id}/{self.spec}"

    @classmethod
    def store(cls, photo, result):
        """Save a rendered file and its row; if another process won the race, use theirs."""
        storage = cls._meta.get_field("file").storage
        name = storage.save(photo.rendition_path(result.spec.name), ContentFile(result.data))
        photo.__dict__.setdefault("_stored_renditions", []).append(name)
        try:
            with transaction.atomic():
                return cls.objects.create(
                    photo=photo,
                    spec=result.spec.name,
                    file=name,
                    width=result.width,
                    height=result.height,
                )
        except IntegrityError:
            storage.delete(name)
            return cls.objects.get(photo=photo, spec=result.spec.name)

    def overwrite(self, result):
        storage = self.file.storage
        storage.delete(self.file.name)
        self.file.name = storage.save(self.file.name, ContentFile(result.data))
        self.width, self.height = result.width, result.height
        self.save(update_fields=["file", "width", "height"])
        return self


@receiver(post_delete, sender=Photo)
def delete_original(sender, instance, **kwargs):
    transaction.on_commit(instance.delete_files)


@receiver(post_delete, sender=Rendition)
def delete_rendition_file(sender, instance, **kwargs):
    if getattr(instance, "file_outlives_row", False):
        return  # Photo.forget_renditions() deletes it later
    storage, name = instance.file.storage, instance.file.name
    transaction.on_commit(lambda: storage.delete(name))


# How long the files of renditions that show an old picture or credit outlive
# them: a page opened just before the change loads its lazy images as the
# reader scrolls, and would show holes.
OLD_RENDITIONS_KEPT = timedelta(hours=1)


def delete_rendition_files_later(names):
    from media.tasks import delete_rendition_files

    try:
        task = delete_rendition_files.using(run_after=timezone.now() + OLD_RENDITIONS_KEPT)
    except InvalidTaskError:
        task = delete_rendition_files  # a queue that runs tasks at once (tests) has no later
    try:
        task.enqueue(names)
    except Exception:
        # The queue is away: the files go now, rather than stay forever.
        logger.exception("Could not queue the deletion of %d old renditions.", len(names))
        delete_rendition_files.call(names)
