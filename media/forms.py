import errno
import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from media import credits, decoding, imaging
from media.models import Photo, Rendition, portrait_alt_text, set_portrait
from media.specs import ADMIN_THUMBNAILS
from newsroom.models import Author
from project.admin import TolerantAutocompleteSelect

THUMBNAIL = ADMIN_THUMBNAILS[0]


class PhotoPicker(TolerantAutocompleteSelect):
    """
    The admin's photo lookup, with thumbnails: photos are told apart by sight. The
    answers come from the photo library's own lookup, which adds each one's
    thumbnail (PhotoAutocompleteJsonView); the chosen photo carries its own.
    """

    def get_url(self):
        return reverse(f"{self.admin_site.name}:media_photo_autocomplete")

    def build_attrs(self, base_attrs, extra_attrs=None):
        return super().build_attrs(base_attrs, extra_attrs) | {"data-thumbnails": "yes"}

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        chosen = [option for _group, options, _index in groups for option in options]
        ids = [option["value"] for option in chosen if option["value"] not in ("", None)]
        if ids:
            thumbnails = {
                str(photo.pk): photo.rendition_url(THUMBNAIL)
                for photo in Photo.objects.filter(pk__in=ids).only("pk", "token", "made_specs")
            }
            for option in chosen:
                if str(option["value"]) in thumbnails:
                    option["attrs"]["data-thumbnail"] = thumbnails[str(option["value"])]
        return groups

    @property
    def media(self):
        return super().media + forms.Media(
            js=["media/admin/photo-picker.js"], css={"screen": ["media/admin/photo-picker.css"]}
        )


@dataclass
class CheckedUpload:
    name: str
    data: bytes
    inspection: imaging.Inspection

    @cached_property
    def sha256(self):
        return hashlib.sha256(self.data).hexdigest()


def check_upload(uploaded):
    """Read and check an uploaded image; a ValidationError says what is wrong with it."""
    if uploaded.size > settings.NEWSROOM_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(settings.NEWSROOM_MAX_UPLOAD_BYTES),
            }
        )
    uploaded.seek(0)
    data = uploaded.read()
    try:
        inspection = imaging.inspect(data, max_pixels=settings.NEWSROOM_MAX_IMAGE_PIXELS)
    except imaging.RefusedImage as refusal:
        raise ValidationError(str(refusal.args[0])) from None
    return CheckedUpload(uploaded.name, data, inspection)


class UploadLimitReached(ValidationError):
    """The uploader's allowance for the window is spent; ``until`` says when it comes back."""

    def __init__(self, until):
        self.until = until
        super().__init__(
            _(
                "The upload limit is reached: %(limit)s files in %(minutes)s min."
                " Nothing more was uploaded; you can upload again at %(time)s."
            )
            % {
                "limit": settings.NEWSROOM_UPLOADS_PER_WINDOW,
                "minutes": settings.NEWSROOM_UPLOAD_WINDOW_MINUTES,
                "time": time_format(timezone.localtime(until), "H:i"),
            },
            code="upload_limit",
        )


def count_upload(user):
    """
    Count one more file from ``user``; UploadLimitReached when it is one too many.

    A window starts with a user's first upload and lasts NEWSROOM_UPLOAD_WINDOW_MINUTES;
    its count lives in the shared cache under the window's start, so every worker
    and machine counts together, and a new window starts a new count.
    """
    limit = settings.NEWSROOM_UPLOADS_PER_WINDOW
    if not limit:
        return
    seconds = settings.NEWSROOM_UPLOAD_WINDOW_MINUTES * 60
    started = cache.get_or_set(f"media:uploads:{user.pk}:since", time.time(), seconds)
    key = f"media:uploads:{user.pk}:{started}"
    cache.add(key, 0, seconds + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # the count expired between the two calls
        cache.add(key, 1, seconds + 60)
        count = 1
    if count > limit:
        raise UploadLimitReached(datetime.fromtimestamp(started + seconds, tz=UTC))


def busy_error():
    return ValidationError(
        _(
            "The server is decoding other large photos right now; this one was not saved."
            " Try again in a minute."
        ),
        code="busy",
    )


def duplicate_error(photo):
    url = reverse("admin:media_photo_change", args=[photo.pk])
    return ValidationError(
        format_html(
            _('This file is already in the library: <a href="{url}">{photo}</a>. Use that photo.'),
            url=url,
            photo=photo,
        ),
        code="duplicate",
    )


def storage_failure(error):
    """Why the storage itself failed to keep a file, in the photographer's words."""
    code = getattr(error, "errno", None)
    if code in {errno.ENOSPC, errno.EDQUOT}:
        return _("the photo storage is full")
    if code in {errno.EROFS, errno.EACCES, errno.EPERM}:
        return _("the photo storage cannot be written to")
    return _("the photo storage failed")


def storage_error(name, error):
    """An upload the storage failed to keep."""
    reason = storage_failure(error)
    return ValidationError(
        _(
            "«%(name)s» was not saved: %(reason)s. Nothing of it was kept, and the files"
            " after it were not tried. Tell the site's administrator."
        )
        % {"name": name, "reason": reason},
        code="storage",
    )


class ImageUploadField(forms.FileField):
    """A file that must be a whole JPEG, PNG, WebP or AVIF image within the desk's limits."""

    widget = forms.ClearableFileInput(
        attrs={"accept": "image/jpeg,image/png,image/webp,image/avif"}
    )

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if not uploaded or uploaded is initial or not hasattr(uploaded, "read"):
            return uploaded
        try:
            return check_upload(uploaded)
        except decoding.DecodingBusy:
            raise busy_error() from None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files, each checked on its own by the upload page: one bad file loses nothing."""

    widget = MultipleFileInput(
        attrs={"accept": "image/jpeg,image/png,image/webp,image/avif", "multiple": True}
    )

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return files


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Photos"),
        help_text=_("JPEG, PNG, WebP or AVIF; several at once. Credits are read from the files."),
    )


class FocalPointInput(forms.NumberInput):
    """Set by clicking on the photo in the admin; a number box without JavaScript."""

    def __init__(self):
        super().__init__(attrs={"step": "0.01", "min": "0", "max": "1", "class": "focal-point"})


class PhotoDescriptionForm(forms.ModelForm):
    """A photo's description and credit, as the photographer checks them after upload."""

    class Meta:
        model = Photo
        fields = credits.NAMES
        widgets = {
            entry.name: forms.Textarea(attrs={"rows": 2})
            for entry in credits.FIELDS
            if isinstance(entry.field, models.TextField)
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The database lets a fresh upload wait for them; a person saving the form may not.
        # (A read-only view of someone else's photo has no fields at all.)
        for name in credits.REQUIRED:
            if name in self.fields:
                self.fields[name].required = True


class PhotoForm(PhotoDescriptionForm):
    """The photo's page in the admin: description, credit, focal point, a new file."""

    replace_file = ImageUploadField(
        label=_("Replace the file"),
        required=False,
        help_text=_("Stories that use the photo keep it; their pages show the new file."),
    )

    class Meta(PhotoDescriptionForm.Meta):
        fields = [*PhotoDescriptionForm.Meta.fields, "focal_x", "focal_y"]
        widgets = {
            **PhotoDescriptionForm.Meta.widgets,
            "focal_x": FocalPointInput(),
            "focal_y": FocalPointInput(),
        }

    # Set by the admin to the user saving the form: a new file counts against their uploads.
    uploader = None

    def clean_replace_file(self):
        upload = self.cleaned_data.get("replace_file")
        if isinstance(upload, CheckedUpload) and self.uploader is not None:
            count_upload(self.uploader)
        if isinstance(upload, CheckedUpload):
            twin = Photo.objects.filter(
                Q(file_hash=upload.sha256) & ~Q(pk=self.instance.pk)
            ).first()
            if twin:
                raise duplicate_error(twin)
        return upload

    def save(self, commit=True):
        # The photo renews its renditions itself when the picture or the credit
        # they carry changes (Photo.save); the form looks after the old files.
        photo = super().save(commit=False)
        upload = self.cleaned_data.get("replace_file")
        old_files = [photo.original.name, photo.working_copy.name] if photo.pk else []
        if isinstance(upload, CheckedUpload):
            photo.set_original(upload.data, upload.name, upload.inspection)
        if commit:
            photo.save()
            self._after_save(photo, upload, old_files)
        else:
            self.save_m2m = lambda: self._after_save(photo, upload, old_files)
        return photo

    def discard_new_files(self, photo):
        """The files this save stored, when the save fails: its rows are rolled back."""
        if isinstance(self.cleaned_data.get("replace_file"), CheckedUpload):
            photo.delete_files()
        renditions = Rendition._meta.get_field("file").storage
        for name in photo.__dict__.get("_stored_renditions", []):
            renditions.delete(name)

    def _after_save(self, photo, upload, old_files):
        if isinstance(upload, CheckedUpload):
            # The old file and its working copy go once the new ones are committed.
            storage = photo.original.storage
            current = {photo.original.name, photo.working_copy.name}
            for name in old_files:
                if name and name not in current:
                    transaction.on_commit(lambda name=name: storage.delete(name))


# What an editor says about a new portrait on the author's page: the credit as
# readers and search engines see it (the fields with a schema.org name).
PORTRAIT_CREDIT = [entry for entry in credits.FIELDS if entry.schema]


class PortraitForm(forms.ModelForm):
    """
    An author's page with their portrait: a photo from the library, or a new one
    uploaded here with its credit, under the photo desk's checks (size, decoding
    slots, the uploader's allowance, the credit).
    """

    portrait = forms.ModelChoiceField(
        Photo.objects.all(),
        required=False,
        label=_("From the library"),
        # The admin's lookup by any foreign key to photos lists the photos the
        # viewer may see, searched as the library is; a rendition's is media's own.
        # (Tolerant: a value that is no photo's id is shown as none, not a server error.)
        widget=PhotoPicker(Rendition._meta.get_field("photo"), admin.site),
        help_text=_(
            "A photo from the library. Emptied, the author has no portrait;"
            " the photo stays in the library."
        ),
    )
    new_portrait = ImageUploadField(
        label=_("Or a new one"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP or AVIF. Added to the library with the credit below"
            " and shown instead of the photo chosen above."
        ),
    )

    class Meta:
        model = Author
        fields = ["name", "slug", "job_title", "bio", "user"]

    # Set by the admin to the user saving the form: a new file counts against their uploads.
    uploader = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["portrait"].initial = getattr(self.instance, "portrait", None)
        self.new_photo = None

    def clean_portrait(self):
        photo = self.cleaned_data.get("portrait")
        if photo is not None and photo.portrait_of_id not in (None, self.instance.pk):
            raise ValidationError(
                _("This photo is already the portrait of %(name)s."),
                params={"name": photo.portrait_of},
                code="taken",
            )
        return photo

    def clean_new_portrait(self):
        upload = self.cleaned_data.get("new_portrait")
        if not isinstance(upload, CheckedUpload):
            return None
        if self.uploader is not None:
            count_upload(self.uploader)
        twin = Photo.objects.filter(file_hash=upload.sha256).first()
        if twin:
            raise duplicate_error(twin)
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("new_portrait")
        if upload is not None:
            given = cleaned.get("portrait_credit_line") or ""
            in_file = upload.inspection.metadata.get("credit_line") or ""
            if credits.blank(given) and credits.blank(in_file):
                self.add_error(
                    "portrait_credit_line",
                    ValidationError(
                        _("A new portrait needs its credit line: the file does not carry one."),
                        code="required",
                    ),
                )
        return cleaned

    def save_portrait(self):
        """After the author is saved: the new photo, or the one chosen, becomes the portrait."""
        photo = self.cleaned_data.get("portrait")
        upload = self.cleaned_data.get("new_portrait")
        if upload is not None:
            credit = {
                entry.name: self.cleaned_data[f"portrait_{entry.name}"]
                for entry in PORTRAIT_CREDIT
                if not credits.blank(self.cleaned_data.get(f"portrait_{entry.name}") or "")
            }
            # Kept before it is linked: a failure there must take its files too.
            self.new_photo = Photo.objects.create_from_file(
                upload.data,
                upload.name,
                uploaded_by=self.uploader,
                inspection=upload.inspection,
                by_uploader=False,
                alt_text=portrait_alt_text(self.instance),
                **credit,
            )
            photo = self.new_photo
        set_portrait(self.instance, photo)
        return photo

    def discard_new_files(self):
        """The files this save stored, when the save fails: its rows are rolled back."""
        photo = self.new_photo
        if photo is None:
            return
        photo.delete_files()
        renditions = Rendition._meta.get_field("file").storage
        for name in photo.__dict__.get("_stored_renditions", []):
            renditions.delete(name)


# The new portrait's credit fields, named portrait_<field>, declared as if written
# in the class (the admin lists them by name): labelled and explained by the map.
for _entry in PORTRAIT_CREDIT:
    _field = _entry.field.formfield(required=False)
    PortraitForm.declared_fields[f"portrait_{_entry.name}"] = _field
    PortraitForm.base_fields[f"portrait_{_entry.name}"] = _field
