from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitTag

from articles.models import Article, Byline, Section, Tag
from newsroom.admin_widgets import ModelAdmin, TabularInline
from newsroom.slugs import SlugInput

slug_widget = {models.SlugField: {"widget": SlugInput}}
# Editors paste «akorda.kz/ru»: read it as https, as Django 6 will.
url_field = {models.URLField: {"assume_scheme": "https"}}

# Stories use articles.Tag (Latin slugs); taggit's own table stays empty.
admin.site.unregister(TaggitTag)


@admin.register(Section)
class SectionAdmin(ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = slug_widget


@admin.register(Tag)
class TagAdmin(ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = slug_widget


class BylineInline(TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "role", "position"]


@admin.register(Article)
class ArticleAdmin(ModelAdmin):
    list_display = ["title", "section", "status", "published_at", "byline_names"]
    list_filter = ["status", "section", "published_at"]
    list_select_related = ["section"]
    search_fields = ["title", "lead"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "lead_photo", "related_stories"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = slug_widget | url_field
    inlines = [BylineInline]
    fieldsets = [
        (None, {"fields": ["section", "title", "slug", "lead", "body"]}),
        (_("Lead photo"), {"fields": ["lead_photo", "lead_photo_caption"]}),
        (
            _("Source and context"),
            {"fields": ["source_name", "source_url", "related_stories", "tags"]},
        ),
        (_("Publication"), {"fields": ["status", "published_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    @admin.display(description=_("authors"))
    def byline_names(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())
