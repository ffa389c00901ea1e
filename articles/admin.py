from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from taggit.models import Tag as TaggitTag

from articles import previews, revisions
from articles.models import Article, Byline, PreviewLink, Section, Tag
from newsroom.slugs import SlugInput
from project.admin import (
    ModelAdmin,
    SafeSaveAdmin,
    TabularInline,
    TolerantAutocompleteAdmin,
)

slug_widget = {models.SlugField: {"widget": SlugInput}}
# Editors paste «akorda.kz/ru»: read it as https, as Django 6 will.
url_field = {models.URLField: {"assume_scheme": "https"}}

# Stories use articles.Tag (Latin slugs); taggit's own table stays empty.
admin.site.unregister(TaggitTag)


@admin.register(Section)
class SectionAdmin(ModelAdmin):
    list_display = ["name", "name_kk", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_kk", "name_en"]
    fields = ["name", "name_kk", "name_en", "slug", "description", "position"]
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


class PreviewLinkInline(admin.TabularInline):
    model = PreviewLink
    extra = 0
    fields = ["link", "expires_at", "created_by"]
    readonly_fields = ["link", "created_by"]
    verbose_name_plural = _("share links for people without an account (delete one to revoke it)")

    @admin.display(description=_("link"))
    def link(self, preview_link):
        if not preview_link.pk:
            return _("appears after saving")
        return format_html('<a href="{0}">{0}</a>', preview_link.get_absolute_url())


def can_publish(user):
    return user.has_perm("articles.publish_article")


class ArticleForm(forms.ModelForm):
    """The story form, which knows who is saving: only editors publish."""

    edit_lock = forms.CharField(widget=forms.HiddenInput, required=False)
    opened_at = forms.CharField(widget=forms.HiddenInput, required=False)
    user = None  # set by ArticleAdmin.get_form
    # Restoring a revision or a deleted story is itself the deliberate change (and
    # a revision of its own); the restored row has no token the form could know.
    check_lock = True

    class Meta:
        model = Article
        fields = ["status"]  # the admin's fieldsets choose the rest

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_lock"].initial = self.instance.edit_token
        self.fields["opened_at"].initial = timezone.now().isoformat()
        if "status" in self.fields and not can_publish(self.user):
            allowed = {Article.Status.DRAFT, Article.Status.REVIEW}
            self.fields["status"].choices = [
                (value, label) for value, label in Article.Status.choices if value in allowed
            ]

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and self.check_lock:
            self._refuse_stale_save()
        return cleaned_data

    def save(self, commit=True):
        # Who wrote the story first and who changed it last: the form knows who saves.
        if self.instance.pk is None:
            self.instance.created_by = self.user
        self.instance.updated_by = self.user
        return super().save(commit)

    def _refuse_stale_save(self):
        # Locked until the admin's transaction ends, so two saves cannot both pass.
        current = (
            Article.objects.select_for_update(of=("self",))
            .filter(pk=self.instance.pk)
            .values("edit_token", "updated_by__username", "updated_at")
            .first()
        )
        if current and self.cleaned_data.get("edit_lock") != current["edit_token"]:
            compare = previews.compare_url(self.instance, self.cleaned_data.get("opened_at"))
            raise ValidationError(
                format_html(
                    _(
                        "{who} saved this story at {when}, after you opened it. Your changes "
                        'were not saved, so as not to overwrite theirs. <a href="{compare}">See '
                        "what changed</a>, then reopen the story and make your changes again."
                    ),
                    who=current["updated_by__username"] or _("someone"),
                    when=date_format(
                        timezone.localtime(current["updated_at"]), "SHORT_DATETIME_FORMAT"
                    ),
                    compare=compare,
                ),
                code="stale",
            )


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("review", _("In review")),
            ("scheduled", _("Scheduled")),
            ("live", _("Published")),
            ("unpublished", _("Unpublished")),
        ]

    def queryset(self, request, queryset):
        return {
            "draft": queryset.filter(status=Article.Status.DRAFT),
            "review": queryset.filter(status=Article.Status.REVIEW),
            "scheduled": queryset.scheduled(),
            "live": queryset.published(),
            "unpublished": queryset.filter(status=Article.Status.UNPUBLISHED),
        }.get(self.value(), queryset)


class MineFilter(admin.SimpleListFilter):
    title = _("whose")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", _("My stories"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(
                Q(created_by=request.user) | Q(bylines__author__user=request.user)
            ).distinct()
        return queryset


@admin.register(Article)
class ArticleAdmin(SafeSaveAdmin, TolerantAutocompleteAdmin, VersionAdmin):
    form = ArticleForm
    list_display = ["title", "state", "section", "language", "published_at", "byline_names"]
    list_filter = [StateFilter, MineFilter, "section", "language", "is_top", "published_at"]
    list_select_related = ["section"]
    search_fields = ["title", "lead"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "lead_photo", "related_stories", "translation_of"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = slug_widget | url_field
    inlines = [BylineInline, PreviewLinkInline]
    fieldsets = [
        (None, {"fields": ["section", "title", "slug", "lead", "body"]}),
        (_("Language"), {"fields": ["language", "translation_of"]}),
        (_("Lead photo"), {"fields": ["lead_photo", "lead_photo_caption"]}),
        (
            _("Source and context"),
            {"fields": ["source_name", "source_url", "related_stories", "tags"]},
        ),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "is_top",
                    "corrected_at",
                    "correction_note",
                    "edit_lock",
                    "opened_at",
                ]
            },
        ),
    ]
    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/object_history.html"

    class Media:
        css = {"all": ["articles/admin/articles.css"]}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        form.check_lock = not getattr(request, "restoring_revision", False)
        return form

    # Who sees what: Article.objects.visible_to_staff is the one rule. A story
    # outside it answers 404 on every page, as a story that does not exist does.

    def get_queryset(self, request):
        stories = super().get_queryset(request).prefetch_related("bylines__author")
        if _is_autocomplete(request):
            return stories.linkable_by(request.user)
        return stories.visible_to_staff(request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404

    def delete_view(self, request, object_id, extra_context=None):
        # Not found before not allowed: a refusal would confirm the story exists.
        self._visible_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def _visible_or_404(self, request, pk):
        # No access to stories at all is 403, as on the list; a story not theirs, 404.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=_int(pk))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "translation_of":
            kwargs["queryset"] = Article.objects.linkable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "related_stories":
            kwargs["queryset"] = Article.objects.linkable_by(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # Restoring: content comes back, publication stays as it is now.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = self._visible_or_404(request, object_id)
        get_object_or_404(revisions.versions_of(article), pk=_int(version_id))
        request.restoring_revision = True
        request.publication_kept = revisions.publication_state(article)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        by_id = {version.pk: version for version in revisions.deleted_stories(request.user)}
        version = by_id.get(_int(version_id))
        if version is None:
            raise Http404
        request.restoring_revision = True
        request.publication_kept = revisions.recovered_state(version)
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        deleted = revisions.deleted_stories(request.user)
        return super().recoverlist_view(request, {"deleted": deleted, **(extra_context or {})})

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        kept = getattr(request, "publication_kept", None)
        if article is not None and kept is not None:
            for field, value in kept.items():
                setattr(article, field, value)
        return article

    def get_readonly_fields(self, request, obj=None):
        fields = []
        if getattr(request, "restoring_revision", False):
            fields += revisions.PUBLICATION_FIELDS
        if not can_publish(request.user):
            # Publishing, scheduling and corrections are the editors' to set.
            fields += ["published_at", "is_top", "corrected_at", "correction_note"]
        return list(dict.fromkeys(fields))

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or can_publish(request.user):
            return True
        # Reporters: their own stories, while they are drafts.
        return obj.status == Article.Status.DRAFT and obj.is_bylined_to(request.user)

    def save_formset(self, request, form, formset, change):
        for link in formset.save(commit=False):
            if isinstance(link, PreviewLink) and not link.pk:
                link.created_by = request.user
            link.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()

    def changelist_view(self, request, extra_context=None):
        waiting = (
            Article.objects.visible_to_staff(request.user)
            .filter(status=Article.Status.REVIEW)
            .count()
        )
        return super().changelist_view(
            request, {"waiting_reviews": waiting, **(extra_context or {})}
        )

    @admin.display(description=_("state"), ordering="status")
    def state(self, article):
        if article.is_scheduled:
            css, label = "scheduled", _("Scheduled")
        else:
            css, label = article.status, article.get_status_display()
        return format_html('<span class="state-badge state-{}">{}</span>', css, label)

    @admin.display(description=_("authors"))
    def byline_names(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())

    # History, previews and comparison

    def history_view(self, request, object_id, extra_context=None):
        article = self._visible_or_404(request, object_id)
        versions = revisions.versions_of(article).select_related("revision__user")
        return super().history_view(
            request, object_id, {"versions": versions, **(extra_context or {})}
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="articles_article_preview"),
            path(
                "<int:pk>/history/<int:version_id>/preview/",
                view(self.preview_view),
                name="articles_article_revision_preview",
            ),
            path(
                "<int:pk>/history/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk, version_id=None):
        """The story exactly as a reader would see it, in any saved version."""
        article = self._visible_or_404(request, pk)
        if version_id is None:
            return previews.render_preview(request, article)
        version = get_object_or_404(revisions.versions_of(article), pk=version_id)
        return previews.render_preview(request, *previews.from_version(version))

    def compare_view(self, request, pk):
        article = self._visible_or_404(request, pk)
        versions = list(revisions.versions_of(article))
        older, newer = revisions.pair_to_compare(
            versions,
            older=_int(request.GET.get("from")),
            newer=_int(request.GET.get("to")),
            since=request.GET.get("since"),
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Compare versions of «%(story)s»") % {"story": article},
            "versions": versions,
            "older": older,
            "newer": newer,
            "changes": revisions.differences(older, newer) if older and newer else [],
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _is_autocomplete(request):
    # Filling a form, staff may point to any published story, as well as their own.
    match = request.resolver_match
    return match is not None and match.url_name == "autocomplete"
