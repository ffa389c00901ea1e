from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from media.models import Photo
from newsroom.admin_widgets import ModelAdmin


@admin.register(Photo)
class PhotoAdmin(ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit_line", "creator", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["creator_author", "created_at"]
    search_fields = ["description", "alt_text", "credit_line", "creator", "source"]
    autocomplete_fields = ["creator_author"]
    readonly_fields = ["preview", "width", "height", "uploaded_by", "created_at"]
    fieldsets = [
        (None, {"fields": ["image", "preview", "description", "alt_text"]}),
        (
            _("Credit"),
            {
                "fields": [
                    "credit_line",
                    "creator",
                    "creator_author",
                    "source",
                    "copyright_notice",
                    "usage_terms",
                ]
            },
        ),
        (_("File"), {"fields": ["width", "height", "uploaded_by", "created_at"]}),
    ]

    @admin.display(description=_("photo"))
    def thumbnail(self, photo):
        return format_html(
            '<img src="{}" alt="" width="80" height="{}" loading="lazy">',
            photo.image.url,
            round(80 * photo.height / photo.width) if photo.width else 80,
        )

    @admin.display(description=_("preview"))
    def preview(self, photo):
        if not photo.pk:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" style="max-width: 480px; height: auto">',
            photo.image.url,
            photo.alt_text,
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
