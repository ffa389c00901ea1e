from django.contrib import admin, messages
from django.utils.translation import gettext as _

from api.models import PartnerKey
from project.admin import ModelAdmin


@admin.register(PartnerKey)
class PartnerKeyAdmin(ModelAdmin):
    list_display = ["name", "prefix", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at"]
    fields = ["name", "is_active", "prefix", "created_at"]

    def save_model(self, request, obj, form, change):
        key = None if change else obj.new_key()
        super().save_model(request, obj, form, change)
        if key is not None:
            messages.warning(
                request,
                _(
                    "The key for «%(name)s» is %(key)s — copy it now and give it to the "
                    "partner: it is kept only as a hash and will not be shown again."
                )
                % {"name": obj.name, "key": key},
            )
