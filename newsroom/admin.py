from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from media.forms import PortraitField
from newsroom.admin_widgets import ModelAdmin
from newsroom.models import Author, User
from newsroom.slugs import SlugInput

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Editorial office")

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
