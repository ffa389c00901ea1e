import re

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from reversion.admin import VersionAdmin
from taggit.models import Tag as TaggitTag

from articles import previews, revisions
from articles.models import Article, Byline, PreviewLink, Section, Tag, WorkingSave
from media.forms import PhotoPicker
from newsroom import audit
from newsroom.models import AuditEvent
from newsroom.slugs import SlugInput
from project.admin import (
    DeskWordsAdmin,
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

    # A live story's bylines change in its working copy, like the rest of its content.
    def has_add_permission(self, request, obj=None):
        return not is_live(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not is_live(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_live(obj) and super().has_delete_permission(request, obj)


def is_live(story):
    """A story readers see now: its content changes in a working copy."""
    return (
        story is not None
        and story.pk is not None
        and not story.is_working_copy
        and story.is_published
    )


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


# The text editor's buttons and block menu, by the names the editor gives its items: the
# package titles them in English only (articles/static/articles/admin/desk-editor.js).
EDITOR_TITLES = {
    "paragraph": pgettext_lazy("text editor", "Paragraph"),
    "heading2": pgettext_lazy("text editor", "Subheading"),
    "heading3": pgettext_lazy("text editor", "Smaller subheading"),
    "bulletList": pgettext_lazy("text editor", "Bulleted list"),
    "orderedList": pgettext_lazy("text editor", "Numbered list"),
    "blockquote": pgettext_lazy("text editor", "Quotation"),
    "figure": _("Insert a photo from the library"),
    "bold": pgettext_lazy("text editor", "Bold"),
    "italic": pgettext_lazy("text editor", "Italic"),
    "link": pgettext_lazy("text editor", "Link: select the words first"),
    "unlink": pgettext_lazy("text editor", "Remove the link"),
    "history:undo": pgettext_lazy("text editor", "Undo"),
    "history:redo": pgettext_lazy("text editor", "Redo"),
}


def editor_config(extensions):
    """The story editor's extensions, with the desk's toolbar: our words, the library's button."""
    toolbar = {
        "titles": EDITOR_TITLES,
        "library": {
            "lookupUrl": reverse("admin:media_photo_changelist"),
            "embedUrl": reverse("admin:media_photo_embed", args=[0]),
        },
    }
    return {"extensions": {**extensions, "DeskToolbar": toolbar}}


def can_publish(user):
    return user.has_perm("articles.publish_article")


# The copy's submit button that publishes its changes at once.
PUBLISH_CHANGES = "_publish_changes"


# Hidden fields that keep a save safe (ArticleForm._refuse_stale_save), not content.
BOOKKEEPING = {"edit_lock", "opened_at"}

READ_ALSO_REFUSED = _(
    "Read also: choose published stories in this story's language, other than this story."
)


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
        if "related_stories" in self.fields:
            self._limit_read_also(self.fields["related_stories"])
        if "status" in self.fields and not can_publish(self.user):
            allowed = {Article.Status.DRAFT, Article.Status.REVIEW}
            self.fields["status"].choices = [
                (value, label) for value, label in Article.Status.choices if value in allowed
            ]

    def _limit_read_also(self, field):
        story = self.instance.copy_of if self.instance.is_working_copy else self.instance
        field.queryset = field.queryset.exclude(
            pk__in=[pk for pk in (story.pk, self.instance.pk) if pk]
        )
        field.error_messages["invalid_choice"] = READ_ALSO_REFUSED
        # The lookup is told which story and which edition (read-also.js sends them);
        # the language box, where the form has one, is read at the moment of looking.
        select = getattr(field.widget, "widget", field.widget)  # inside the admin's wrapper
        select.attrs.update({"data-story": story.pk or "", "data-language": story.language})

    @property
    def changed_data(self):
        # The form's own bookkeeping is no change anyone made: history names only real ones.
        return [
            name
            for name, field in self._bound_items()
            if name not in BOOKKEEPING and field._has_changed()
        ]

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and self.check_lock:
            self._refuse_stale_save()
        if self.instance.is_working_copy:
            self._clean_changes()
        self._clean_read_also()
        if is_live(self.instance) and "title" in self.data:
            # Opened before its scheduled moment came: the content it posts would be lost.
            raise ValidationError(
                _(
                    "This story went live while you were editing it, so readers see it "
                    "now. Nothing was saved: open it again and make your changes in a "
                    "working copy."
                ),
                code="went-live",
            )
        return cleaned_data

    def _clean_read_also(self):
        # The edition is the one posted with the form (a copy's is its story's).
        language = self.cleaned_data.get("language", self.instance.language)
        chosen = self.cleaned_data.get("related_stories")
        if language and chosen is not None and chosen.exclude(language=language).exists():
            self.add_error("related_stories", READ_ALSO_REFUSED)

    def _clean_changes(self):
        # The copy's content is checked as published content when it is to go live.
        self.instance.publishing = PUBLISH_CHANGES in self.data and can_publish(self.user)
        moment = self.cleaned_data.get("changes_go_live_at")
        if (
            moment is not None
            and "changes_go_live_at" in self.changed_data
            and moment <= timezone.now()
        ):
            self.add_error(
                "changes_go_live_at",
                _("Choose a moment still to come, or publish the changes now."),
            )

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
            # Stories in review, and live ones whose changes are.
            "review": queryset.filter(
                Q(status=Article.Status.REVIEW) | Q(working_copies__status=Article.Status.REVIEW)
            ),
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
class ArticleAdmin(DeskWordsAdmin, SafeSaveAdmin, TolerantAutocompleteAdmin, VersionAdmin):
    form = ArticleForm
    list_display = [
        "title", "state", "section", "language", "published_at", "byline_names", "reads",
    ]  # fmt: skip
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
    # A working copy carries the story's content; its edition and publication stay the story's.
    copy_fieldsets = [
        (None, {"fields": ["section", "title", "slug", "lead", "body"]}),
        (_("Lead photo"), {"fields": ["lead_photo", "lead_photo_caption"]}),
        (
            _("Source and context"),
            {"fields": ["source_name", "source_url", "related_stories", "tags"]},
        ),
        (
            _("Publishing the changes"),
            {
                "fields": [
                    "status",
                    "changes_go_live_at",
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
        js = ["articles/admin/read-also.js"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        form.check_lock = not getattr(request, "restoring_revision", False)
        return form

    # Who sees what: Article.objects.visible_to_staff is the one rule. A story
    # outside it answers 404 on every page, as a story that does not exist does.

    def view_on_site(self, obj):
        # A working copy has no page of its own: the story's page is where it will show.
        story = obj.copy_of if obj.is_working_copy else obj
        content_type = ContentType.objects.get_for_model(Article)
        return reverse("admin:view_on_site", args=[content_type.pk, story.pk])

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.is_working_copy:
            return self.copy_fieldsets
        return super().get_fieldsets(request, obj)

    def get_queryset(self, request):
        stories = super().get_queryset(request).prefetch_related("bylines__author")
        if _is_autocomplete(request):
            if request.GET.get("field_name") == "related_stories":
                return stories.linkable_by(request.user).read_also(
                    language=request.GET.get("language") or None,
                    story_ids=[_id(request.GET.get("story"))],
                )
            # Working copies are never linked to: the story is.
            return stories.linkable_by(request.user).stories()
        if _url_name(request) == "articles_article_changelist":
            # The list shows stories; a story's working copy is a badge on it.
            copies = Article.objects.filter(copy_of=OuterRef("pk"))
            return (
                stories.visible_to_staff(request.user)
                .stories()
                .annotate(
                    copy_status=Subquery(copies.values("status")[:1]),
                    changes_at=Subquery(copies.values("changes_go_live_at")[:1]),
                )
                .with_reads_last_day()
            )
        return stories.visible_to_staff(request.user)

    def get_prepopulated_fields(self, request, obj=None):
        return {} if is_live(obj) else super().get_prepopulated_fields(request, obj)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if is_live(obj):
            # Share links are for what readers have not seen: the working copy has them.
            inlines = [inline for inline in inlines if not isinstance(inline, PreviewLinkInline)]
        return inlines

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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["config"] = editor_config(db_field.config["extensions"])
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_photo":
            kwargs["widget"] = PhotoPicker(db_field, self.admin_site, using=kwargs.get("using"))
        if db_field.name == "translation_of":
            kwargs["queryset"] = Article.objects.linkable_by(request.user).stories()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "related_stories":
            # ArticleForm leaves out the story itself and checks the edition.
            kwargs["queryset"] = Article.objects.linkable_by(request.user).read_also()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # Restoring: content comes back, publication stays as it is now.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = self._visible_or_404(request, object_id)
        if is_live(article):
            return self._restore_into_copy(request, article, version_id)
        get_object_or_404(revisions.versions_of(article), pk=_int(version_id))
        request.restoring_revision = True
        request.publication_kept = revisions.publication_state(article)
        return super().revision_view(request, object_id, version_id, extra_context)

    def _restore_into_copy(self, request, story, version_id):
        """A live story's version comes back into its working copy; readers see no change."""
        version = get_object_or_404(revisions.story_versions(story), pk=_int(version_id))
        if not self.may_prepare_changes(request, story):
            raise PermissionDenied
        if request.method == "POST":
            # Logged once, on the story (revisions.restore_into_copy), not on its copy.
            request.audit_restoring = None
            copy = revisions.restore_into_copy(story, version, request.user)
            self.message_user(
                request,
                _(
                    "The version of %(moment)s is in the working copy. Readers still see the "
                    "published version until an editor publishes the changes."
                )
                % {
                    "moment": date_format(
                        timezone.localtime(version.revision.date_created), "SHORT_DATETIME_FORMAT"
                    )
                },
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[copy.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": story,
            "version": version,
            "title": _("Restore a version of «%(story)s»") % {"story": story},
        }
        return TemplateResponse(request, "admin/articles/article/restore_into_copy.html", context)

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
        if is_live(obj):
            # What readers see changes in a working copy; here only the top-story mark.
            fields += [
                field
                for _name, options in self.get_fieldsets(request, obj)
                for field in options["fields"]
                if field not in {"is_top", *BOOKKEEPING}
            ]
        if not can_publish(request.user):
            # Publishing, scheduling and corrections are the editors' to set.
            fields += ["published_at", "is_top", "corrected_at", "correction_note"]
            fields += ["changes_go_live_at"]
        return list(dict.fromkeys(fields))

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or can_publish(request.user):
            return True
        # Reporters: their own stories (and working copies), while they are drafts.
        return obj.status == Article.Status.DRAFT and obj.is_bylined_to(request.user)

    def may_prepare_changes(self, request, story):
        """Editors, and reporters on their own live stories, prepare working copies."""
        if not super().has_change_permission(request, story):
            return False
        return can_publish(request.user) or story.is_bylined_to(request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        story = self.get_object(request, object_id)
        versions = {}
        if story is not None and story.is_working_copy:
            versions = {"live_story": story.copy_of}
        elif is_live(story):
            versions = {
                "live": True,
                "working_copy": story.working_copy,
                "may_prepare_changes": self.may_prepare_changes(request, story),
            }
        versions["can_publish"] = can_publish(request.user)
        return super().change_view(request, object_id, form_url, versions | (extra_context or {}))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if (
            request.method == "POST"
            and PUBLISH_CHANGES in request.POST
            and response.status_code == 302
            and can_publish(request.user)
        ):
            # Saved (with its revision) and checked as published content: now it goes live.
            copy = Article.objects.filter(pk=_int(object_id)).exclude(copy_of=None).first()
            if copy is not None:
                story = copy.publish_changes(request.user)
                self.message_user(
                    request,
                    _("The changes are published: readers see the new version of «%(story)s».")
                    % {"story": story},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:articles_article_change", args=[story.pk])
                )
        return response

    def response_change(self, request, obj):
        if obj.is_working_copy and PUBLISH_CHANGES in request.POST and can_publish(request.user):
            # Saved; changeform_view publishes it next and says so in one message.
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def save_model(self, request, obj, form, change):
        if obj.is_working_copy:
            self._note_schedule(request, obj, form)
            # The story's history lists this save among its working saves.
            if reversion.is_active():
                reversion.add_meta(WorkingSave, story_id=obj.copy_of_id)
        super().save_model(request, obj, form, change)

    def _note_schedule(self, request, copy, form):
        if not can_publish(request.user):
            if copy.changes_go_live_at is not None:
                # A schedule is an editor's approval of this very text.
                copy.changes_go_live_at = None
                copy.changes_scheduled_by = None
                self.message_user(
                    request,
                    _(
                        "The scheduled publication of these changes is cancelled: an editor "
                        "approves them again."
                    ),
                    messages.WARNING,
                )
            return
        if "changes_go_live_at" not in form.changed_data:
            return
        copy.changes_scheduled_by = request.user if copy.changes_go_live_at else None
        if copy.changes_go_live_at:
            audit.record(
                AuditEvent.Action.SCHEDULE,
                copy.copy_of,
                detail=_("changes at %(moment)s")
                % {
                    "moment": date_format(
                        timezone.localtime(copy.changes_go_live_at), "SHORT_DATETIME_FORMAT"
                    )
                },
            )

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
        badge = format_html('<span class="state-badge state-{}">{}</span>', css, label)
        copy_status = getattr(article, "copy_status", None)
        if copy_status is None:
            return badge
        changes_at = getattr(article, "changes_at", None)
        if changes_at is not None:
            note = _("changes at %(moment)s") % {
                "moment": date_format(timezone.localtime(changes_at), "SHORT_DATETIME_FORMAT")
            }
        elif copy_status == Article.Status.REVIEW:
            note = _("changes in review")
        else:
            note = _("changes being prepared")
        return format_html('{} <span class="state-badge state-copy">{}</span>', badge, note)

    @admin.display(description=_("authors"))
    def byline_names(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())

    @admin.display(description=_("read in 24 h"))
    def reads(self, article):
        # Counted by the story page's beacon; with Redis, moved here every few minutes.
        return getattr(article, "reads_last_day", None)

    # History, previews and comparison

    def history_view(self, request, object_id, extra_context=None):
        article = self._visible_or_404(request, object_id)
        if article.is_working_copy:
            # A copy's saves are its story's working saves: one history tells both.
            return HttpResponseRedirect(
                reverse("admin:articles_article_history", args=[article.copy_of_id])
            )
        history = revisions.history(article)
        return super().history_view(
            request,
            object_id,
            {"versions": history.versions, "history": history, **(extra_context or {})},
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
            path(
                "<int:pk>/working-copy/",
                view(self.working_copy_view),
                name="articles_article_working_copy",
            ),
            path(
                "<int:pk>/changes/",
                view(self.changes_view),
                name="articles_article_changes",
            ),
            path(
                "<int:pk>/take-down/",
                view(self.take_down_view),
                name="articles_article_take_down",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk, version_id=None):
        """The story exactly as a reader would see it, in any saved version."""
        article = self._visible_or_404(request, pk)
        if version_id is None:
            # A live story's preview shows what is being prepared: its working copy.
            return previews.render_preview(request, article.working_copy or article)
        version = get_object_or_404(revisions.story_versions(article), pk=version_id)
        return previews.render_preview(request, *previews.from_version(version))

    def working_copy_view(self, request, pk):
        """Open the live story's working copy, making it from the published version if needed."""
        story = self._visible_or_404(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not is_live(story) or not self.may_prepare_changes(request, story):
            raise PermissionDenied
        copy = story.start_working_copy(request.user)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[copy.pk]))

    def changes_view(self, request, pk):
        """The published version and its working copy, side by side."""
        story = self._visible_or_404(request, pk)
        copy = story.working_copy
        if copy is None:
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": story,
            "copy": copy,
            "title": _("Published version and working copy of «%(story)s»") % {"story": story},
            "changes": revisions.differences_between(
                revisions.readable_story(story), revisions.readable_story(copy)
            ),
        }
        return TemplateResponse(request, "admin/articles/article/changes.html", context)

    def take_down_view(self, request, pk):
        """An editor takes a story away from readers, saying why."""
        story = self._visible_or_404(request, pk)
        if not can_publish(request.user):
            raise PermissionDenied
        if story.is_working_copy or story.status != Article.Status.PUBLISHED:
            raise Http404
        form = TakeDownForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            story.take_down(request.user, form.cleaned_data["reason"])
            self.message_user(
                request,
                _("«%(story)s» is taken down: readers no longer see it anywhere.")
                % {"story": story},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[story.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": story,
            "form": form,
            "title": _("Take down «%(story)s»") % {"story": story},
        }
        return TemplateResponse(request, "admin/articles/article/take_down.html", context)

    def compare_view(self, request, pk):
        article = self._visible_or_404(request, pk)
        versions = list(revisions.story_versions(article))
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


class TakeDownForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the story's history and the audit log, for the newsroom only."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the story is taken down."))
        return reason


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _id(value):
    """A database id from a lookup's address, or None: digits only, as many as an id has."""
    return int(value) if isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", value) else None


def _is_autocomplete(request):
    # Filling a form, staff may point to any published story, as well as their own.
    return _url_name(request) == "autocomplete"


def _url_name(request):
    match = request.resolver_match
    return match.url_name if match is not None else None
