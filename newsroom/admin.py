from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from media.forms import PortraitField
from newsroom.accounts import LoginForm
from newsroom.admin_widgets import ModelAdmin
from newsroom.models import AuditEvent, Author, User
from newsroom.slugs import SlugInput

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Editorial office")
# The password, then the authenticator's code for those who set one up.
admin.site.login_form = LoginForm

admin.site.register(User, UserAdmin)


class AuthorForm(forms.ModelForm):
    # Readers fetch portraits as uploaded: the photo desk's checks and clean-up apply.
    portrait = PortraitField(label=_("portrait"), required=False)

    class Meta:
        model = Author
        fields = ["name", "slug", "job_title", "portrait", "bio", "user"]


@admin.register(Author)
class AuthorAdmin(ModelAdmin):
    form = AuthorForm
    list_display = ["name", "job_title", "user"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    formfield_overrides = {models.SlugField: {"widget": SlugInput}}
    fields = ["name", "slug", "job_title", "portrait", "bio", "user"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read by editors (the view permission, newsroom/migrations); changed by nobody."""

    list_display = ["at", "action", "object_repr", "actor", "ip_address", "detail"]
    list_filter = ["action", "at"]
    search_fields = ["object_repr", "actor", "ip_address", "detail"]
    # The log only grows: no date drill-down (it reads every row's day) and one count, not two.
    show_full_result_count = False
    fields = ["at", "action", "object_type", "object_id", "object_repr", "detail", "actor"]
    fields += ["ip_address"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
