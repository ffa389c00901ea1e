import re

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.forms import modelformset_factory
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from media import credits, decoding, storage
from media.forms import (
    PORTRAIT_CREDIT,
    PhotoDescriptionForm,
    PhotoForm,
    PortraitForm,
    UploadForm,
    UploadLimitReached,
    busy_error,
    check_upload,
    count_upload,
    duplicate_error,
    storage_error,
    storage_failure,
)
from media.models import Photo, Rendition, usage_relations
from media.specs import ADMIN_THUMBNAILS, EDITOR_SPEC
from media.templatetags.photos import rendition_img
from newsroom.admin import AuthorAdmin as PeopleAuthorAdmin
from newsroom.models import Author, sees_staff_records, staff_name
from project.admin import ModelAdmin

THUMBNAIL, PREVIEW = ADMIN_THUMBNAILS


class UsageFilter(admin.SimpleListFilter):
    title = _("use")
    parameter_name = "used"

    def lookups(self, request, model_admin):
        return [("yes", _("Used in a story or as a portrait")), ("no", _("Not used"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.used()
        if self.value() == "no":
            return queryset.unused()
        return queryset


class CompletenessFilter(admin.SimpleListFilter):
    title = _("credit and alt text")
    parameter_name = "complete"

    def lookups(self, request, model_admin):
        return [("no", _("Missing, cannot be published"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.incomplete()
        return queryset


class PhotoAutocompleteJsonView(AutocompleteJsonView):
    """The admin's lookup of photos, each answer with its thumbnail (media.forms.PhotoPicker)."""

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        if model_admin.model is not Photo:
            raise PermissionDenied  # a lookup of something else: the admin's own answers it
        return term, model_admin, source_field, to_field_name

    def serialize_result(self, obj, to_field_name):
        return super().serialize_result(obj, to_field_name) | {
            "thumbnail": obj.rendition_url(THUMBNAIL)
        }


class SavesPhotoFiles:
    """
    An admin page whose save stores photo files: when the storage or the
    machine's decoding slots fail it, nothing of the change is kept (the admin
    saves in one transaction, the form removes the files) and the page says why.
    """

    not_saved = _("The photo was not changed")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except storage.failures() as error:
            message = _(
                "%(what)s: %(reason)s. Nothing of the change was kept;"
                " tell the site's administrator."
            ) % {"what": self.not_saved, "reason": storage_failure(error)}
            self.message_user(request, message, messages.ERROR)
            return redirect(request.get_full_path())
        except decoding.DecodingBusy:
            # The new file's working copy or thumbnails: rolled back like a storage failure.
            self.message_user(request, busy_error().messages[0], messages.ERROR)
            return redirect(request.get_full_path())


@admin.register(Photo)
class PhotoAdmin(SavesPhotoFiles, ModelAdmin):
    form = PhotoForm
    list_display = ["thumbnail", "__str__", "credit_line", "creator", "date_taken", "uploaded"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = [
        UsageFilter,
        CompletenessFilter,
        ("creator_author", admin.RelatedOnlyFieldListFilter),
        "created_at",
        "date_taken",
    ]
    search_fields = ["description", "alt_text", "credit_line", "creator", "source"]
    autocomplete_fields = ["creator_author"]
    # «usage» is drawn for the person looking (_usage_field).
    readonly_fields = ["preview", "usage", "file_details", "uploader", "created_at"]
    fieldsets = [
        (None, {"fields": ["preview", "focal_x", "focal_y", *credits.names(describes=True)]}),
        (_("Credit"), {"fields": credits.names(describes=False)}),
        (_("Where it is used"), {"fields": ["usage"]}),
        (_("File"), {"fields": ["replace_file", "file_details", "uploader", "created_at"]}),
    ]

    class Media:
        js = ["media/admin/photos.js"]
        css = {"all": ["media/admin/photos.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "renditions",
                    queryset=Rendition.objects.filter(spec__in=[THUMBNAIL.name, PREVIEW.name]),
                )
            )
        )

    # Who may do what, checked on every request, not only by hiding buttons.
    # Photographers do not read author records or staff login names: no author
    # filter or lookup, and the credit's link to an author is the editors' to set.

    def get_list_filter(self, request):
        if sees_staff_records(request.user):
            return self.list_filter
        return [
            f for f in self.list_filter if not (isinstance(f, tuple) and f[0] == "creator_author")
        ]

    def get_autocomplete_fields(self, request):
        return self.autocomplete_fields if sees_staff_records(request.user) else []

    def get_readonly_fields(self, request, obj=None):
        usage = self._usage_field(request)
        fields = [usage if name == "usage" else name for name in self.readonly_fields]
        return fields if sees_staff_records(request.user) else [*fields, "creator_author"]

    def get_fieldsets(self, request, obj=None):
        usage = self._usage_field(request)
        return [
            (
                title,
                {**options, "fields": [usage if f == "usage" else f for f in options["fields"]]},
            )
            for title, options in super().get_fieldsets(request, obj)
        ]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    def _owns(self, request, photo):
        return (
            photo is None
            or request.user.has_perm("media.edit_any_photo")
            or (photo.uploaded_by_id is not None and photo.uploaded_by_id == request.user.pk)
        )

    # Pages

    def get_urls(self):
        return [
            path(
                "upload/", self.admin_site.admin_view(self.upload_view), name="media_photo_upload"
            ),
            path(
                "describe/",
                self.admin_site.admin_view(self.describe_view),
                name="media_photo_describe",
            ),
            path(
                "autocomplete/",
                self.admin_site.admin_view(
                    PhotoAutocompleteJsonView.as_view(admin_site=self.admin_site)
                ),
                name="media_photo_autocomplete",
            ),
            path(
                "<int:pk>/embed/",
                self.admin_site.admin_view(self.embed_view),
                name="media_photo_embed",
            ),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.uploader = request.user
        return form

    def save_model(self, request, obj, form, change):
        try:
            super().save_model(request, obj, form, change)
        except BaseException:
            form.discard_new_files(obj)
            raise

    def save_related(self, request, form, formsets, change):
        try:
            super().save_related(request, form, formsets, change)
        except BaseException:
            form.discard_new_files(form.instance)
            raise

    def add_view(self, request, form_url="", extra_context=None):
        # Photos arrive through the upload page, which reads their credits from the files.
        if not self.has_add_permission(request):
            raise PermissionDenied
        return redirect("admin:media_photo_upload")

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        refused, created = [], []
        status, retry_after = 200, None
        if request.method == "POST" and form.is_valid():
            files = form.cleaned_data["files"]
            for index, uploaded in enumerate(files):
                try:
                    count_upload(request.user)
                    created.append(self._create(request, uploaded))
                except UploadLimitReached as error:
                    form.add_error("files", error)
                    refused += [(file.name, _("Not uploaded.")) for file in files[index:]]
                    status = 429
                    retry_after = max(1, round((error.until - timezone.now()).total_seconds()))
                    break
                except ValidationError as error:
                    refused.append((uploaded.name, error.messages[0]))
                except decoding.DecodingBusy:
                    # The machine's decoding slots, not the file: the files after it would wait too.
                    form.add_error("files", busy_error())
                    refused += [(file.name, _("Not uploaded.")) for file in files[index:]]
                    status, retry_after = 503, 60
                    break
                except storage.failures() as error:
                    # The storage, not the file: the files after it would fail the same way.
                    form.add_error("files", storage_error(uploaded.name, error))
                    break
            if created:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d photo uploaded. Check its credit and describe it.",
                        "%(count)d photos uploaded. Check their credits and describe them.",
                        len(created),
                    )
                    % {"count": len(created)},
                    messages.SUCCESS,
                )
            if created and not form.errors:
                return self._describe_response(request, created, refused)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Upload photos"),
            "form": form,
            "refused": refused,
            "limits": _limits(),
        }
        response = TemplateResponse(
            request, "admin/media/photo/upload.html", context, status=status
        )
        if retry_after:
            response["Retry-After"] = str(retry_after)
        return response

    def _create(self, request, uploaded):
        upload = check_upload(uploaded)
        twin = Photo.objects.filter(file_hash=upload.sha256).first()
        if twin:
            raise duplicate_error(twin)
        try:
            return Photo.objects.create_from_file(
                upload.data, upload.name, uploaded_by=request.user, inspection=upload.inspection
            )
        except IntegrityError:
            # Someone uploaded the same file a moment ago.
            raise duplicate_error(Photo.objects.get(file_hash=upload.sha256)) from None

    def embed_view(self, request, pk):
        """What the story editor needs to place a library photo in a text."""
        photo = get_object_or_404(Photo, pk=pk)
        if not self.has_view_permission(request, photo):
            raise PermissionDenied
        return JsonResponse(
            {
                "id": photo.pk,
                "src": photo.rendition_url(EDITOR_SPEC),
                "alt": photo.alt_text,
                "caption": photo.description,
                "credit": photo.credit_line,
                "complete": photo.is_complete,
            }
        )

    def describe_view(self, request):
        # Only ASCII digits that fit a database id: "²" passes isdigit(), and int() refuses it.
        ids = [
            int(i)
            for i in request.GET.getlist("id") + request.POST.getlist("id")
            if re.fullmatch(r"[0-9]{1,18}", i)
        ]
        photos = Photo.objects.filter(pk__in=ids).editable_by(request.user)
        if not photos.exists():
            return redirect("admin:media_photo_changelist")
        return self._describe_response(request, list(photos), [])

    def _describe_response(self, request, photos, refused):
        hidden = [] if sees_staff_records(request.user) else ["creator_author"]
        formset_class = modelformset_factory(
            Photo, form=PhotoDescriptionForm, exclude=hidden, extra=0
        )
        queryset = (
            Photo.objects.filter(pk__in=[p.pk for p in photos])
            .editable_by(request.user)
            .prefetch_related("renditions")
            .order_by("pk")  # in the order they were chosen
        )
        is_describe_post = request.method == "POST" and "form-TOTAL_FORMS" in request.POST
        formset = formset_class(request.POST if is_describe_post else None, queryset=queryset)
        if is_describe_post and formset.is_valid():
            with transaction.atomic():
                formset.save()
            self.message_user(request, _("The photos are described."), messages.SUCCESS)
            return redirect("admin:media_photo_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Describe the photos"),
            "formset": formset,
            "refused": refused,
            "ids": [p.pk for p in photos],
        }
        return TemplateResponse(request, "admin/media/photo/describe.html", context)

    # Columns and read-only fields

    @admin.display(description=_("photo"))
    def thumbnail(self, photo):
        return rendition_img(photo, THUMBNAIL, alt="")

    @admin.display(description=_("photo"))
    def preview(self, photo):
        if not photo.pk:
            return "—"
        return format_html(
            '<div class="focal-point-picker" data-focal-x="{}" data-focal-y="{}">{}'
            '<span class="focal-point-marker" aria-hidden="true"></span></div>'
            '<p class="help">{}</p>',
            photo.focal_x,
            photo.focal_y,
            rendition_img(photo, PREVIEW, alt=photo.alt_text),
            _("Click on the most important point of the photo: crops will keep it."),
        )

    def _usage_field(self, request):
        """«Used in», as the person looking may see it: what they may not open is only counted."""
        if not hasattr(request, "photo_usage_field"):

            @admin.display(description=_("used in"))
            def usage(photo):
                return self.usage(photo, request)

            request.photo_usage_field = usage
        return request.photo_usage_field

    def usage(self, photo, request):
        if not photo.pk:
            return "—"
        rows, hidden = [], 0
        uses = [
            use
            for relation in usage_relations()
            for use in getattr(photo, relation.get_accessor_name()).all()
        ]
        if photo.portrait_of_id:
            uses.append(photo.portrait_of)
        for use in uses:
            # A use may stand for something else (a story, for a photo in its text).
            obj = getattr(use, "usage_target", use)
            if not _may_open(request, obj):
                hidden += 1  # a colleague's draft's headline is not the viewer's to read
                continue
            meta = obj._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            rows.append((url, obj, meta.verbose_name))
        if not rows and not hidden:
            return _("Not used yet.")
        listed = format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a> ({})</li>', rows)
        )
        if not hidden:
            return listed
        more = ngettext(
            "Also used in %(count)d place you cannot open.",
            "Also used in %(count)d places you cannot open.",
            hidden,
        ) % {"count": hidden}
        return format_html("{}<p>{}</p>", listed if rows else "", more)

    @admin.display(description=_("uploaded at"), ordering="created_at")
    def uploaded(self, photo):
        # «06.03.2026»: the long form («6 марта 2026 г. 14:00») pushes the table past 1280 px.
        return date_format(timezone.localtime(photo.created_at), "SHORT_DATE_FORMAT")

    @admin.display(description=_("uploaded by"))
    def uploader(self, photo):
        # A read-only field is drawn without the request: named as anyone may see it.
        return staff_name(photo.uploaded_by, viewer=None)

    @admin.display(description=_("file"))
    def file_details(self, photo):
        if not photo.pk:
            return "—"
        return format_html(
            "{} × {} px, {}, {} KB",
            photo.width,
            photo.height,
            photo.file_format.upper(),
            round(photo.file_size / 1024),
        )


def _may_open(request, obj):
    model_admin = admin.site._registry.get(type(obj))
    return (
        model_admin is not None
        and model_admin.has_view_or_change_permission(request)
        and model_admin.get_queryset(request).filter(pk=obj.pk).exists()
    )


def _limits():
    return {
        "bytes": filesizeformat(settings.NEWSROOM_MAX_UPLOAD_BYTES),
        "megapixels": round(settings.NEWSROOM_MAX_IMAGE_PIXELS / 1e6),
    }


# An author's portrait is a library photo: the author's page, declared in newsroom
# (which knows nothing of photos), gains the portrait's fields here.
admin.site.unregister(Author)


@admin.register(Author)
class AuthorAdmin(SavesPhotoFiles, PeopleAuthorAdmin):
    form = PortraitForm
    not_saved = _("The author was not saved")
    list_display = ["portrait_thumbnail", *PeopleAuthorAdmin.list_display]
    list_display_links = ["portrait_thumbnail", "name"]
    fields = None
    portrait_fields = [
        "portrait",
        "new_portrait",
        *(f"portrait_{entry.name}" for entry in PORTRAIT_CREDIT),
    ]
    fieldsets = [
        (None, {"fields": PeopleAuthorAdmin.fields}),
        (_("Portrait"), {"fields": ["portrait_preview", *portrait_fields]}),
    ]  # as a superuser sees it: get_fieldsets() leaves out what the viewer may not do
    readonly_fields = ["portrait_preview"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("portrait")

    def get_fieldsets(self, request, obj=None):
        # Choosing needs the library, uploading the photo desk's permission; a
        # page someone may only read shows the portrait alone.
        may_change = self.has_change_permission(request, obj)
        shown = ["portrait_preview"]
        if may_change and request.user.has_perm("media.view_photo"):
            shown.append("portrait")
        if may_change and request.user.has_perm("media.add_photo"):
            shown += [name for name in self.portrait_fields if name != "portrait"]
        (main, portrait) = self.fieldsets
        return [main, (portrait[0], {**portrait[1], "fields": shown})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.uploader = request.user
        return form

    def save_related(self, request, form, formsets, change):
        try:
            super().save_related(request, form, formsets, change)
            form.save_portrait()
        except BaseException:
            form.discard_new_files()
            raise

    @admin.display(description=_("portrait"))
    def portrait_thumbnail(self, author):
        photo = getattr(author, "portrait", None)
        return rendition_img(photo, THUMBNAIL, alt="") if photo else "—"

    @admin.display(description=_("Current portrait"))
    def portrait_preview(self, author):
        photo = getattr(author, "portrait", None) if author.pk else None
        if photo is None:
            return _("No portrait yet.")
        url = reverse("admin:media_photo_change", args=[photo.pk])
        return format_html(
            '<a href="{}">{}</a><p class="help">{}</p>',
            url,
            rendition_img(photo, THUMBNAIL, alt=photo.alt_text),
            credits.credit_html(photo),
        )
