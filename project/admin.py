"""
Admin pieces shared by every app's admin.

Django's autocomplete widget re-renders a refused form by looking up the posted
value as is, so a crafted non-numeric or out-of-range id turns a form error
into a server error. These widgets drop such values before the lookup.

SafeSaveAdmin answers a save that the database or the request size refuses
with the form again and the reason, never a server error or a blank page.
"""

import json
from contextlib import contextmanager

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import InlineAdminFormSet
from django.contrib.admin.widgets import (
    AdminSplitDateTime,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, npgettext, override, pgettext
from django.utils.translation import gettext_lazy as _

BIGINT_RANGE = range(-(2**63), 2**63)


class TolerantAutocompleteMixin:
    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if _usable(target, v)], attr)


def _usable(target_field, value):
    try:
        python_value = target_field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    return not isinstance(python_value, int) or python_value in BIGINT_RANGE


class TolerantAutocompleteSelect(TolerantAutocompleteMixin, AutocompleteSelect):
    pass


class TolerantAutocompleteSelectMultiple(TolerantAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class TolerantAutocompleteAdmin:
    """Mix into ModelAdmin and inline classes that declare autocomplete_fields."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TolerantAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TolerantAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TabularInline(TolerantAutocompleteAdmin, admin.TabularInline):
    pass


class SaveConflict(Exception):
    """A constraint the form could not see turned the save down; carries the form's errors."""

    def __init__(self, error):
        super().__init__(error)
        self.error = error


class SafeSaveAdmin:
    """
    Mix into ModelAdmin classes: a refused save is the form again, saying why.

    A form too large to read (project.middleware.OversizedFormMiddleware) is
    the form as stored, with a message and the limit, answered 413.

    A constraint violation is a form error, not a 500. Between a form's
    validation and its save another person can take the slug (two editors,
    one headline, one moment). The save is tried in a savepoint;
    when the database refuses it, the constraints are checked again to name the
    field, the request's transaction is rolled back, and the same form is shown
    again with that error, and nothing is saved.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if getattr(request, "oversized_form", None):
            return self._oversized_form(request, object_id, form_url, extra_context)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SaveConflict as conflict:
            request.save_conflict = conflict.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _oversized_form(self, request, object_id, form_url, extra_context):
        message = _(
            "Nothing was saved: the form was %(size)s, more than the %(limit)s the site "
            "accepts at once. A story's text may be up to %(chars)s characters."
        ) % {
            "size": filesizeformat(request.oversized_form),
            "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
            "chars": number_format(settings.NEWSROOM_MAX_BODY_CHARS, force_grouping=True),
        }
        self.message_user(request, message, messages.ERROR)
        response = super().changeform_view(request, object_id, form_url, extra_context)
        response.status_code = 413
        return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        error = getattr(request, "save_conflict", None)
        if error is None:
            return form
        return type(form.__name__, (ConflictErrorForm, form), {"save_conflict": error})

    def save_model(self, request, obj, form, change):
        with refuse_conflicts(obj):
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        with refuse_conflicts(form.instance, formsets):
            super().save_related(request, form, formsets, change)


class ConflictErrorForm:
    save_conflict = None

    def _post_clean(self):
        super()._post_clean()
        error = self.save_conflict
        for field, errors in getattr(error, "error_dict", {NON_FIELD_ERRORS: [error]}).items():
            name = field if field in self.fields else None
            if name is not None and self.has_error(name):
                continue  # the form found it itself this time
            self.add_error(name, errors)


@contextmanager
def refuse_conflicts(obj, formsets=()):
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise SaveConflict(_conflict_error(obj, formsets)) from None


def _conflict_error(obj, formsets):
    """What the database refused, named by the model's own constraints where they say it."""
    try:
        # The model's own rules first: they name the field where a constraint cannot.
        obj.clean()
        obj.validate_constraints()
        obj.validate_unique()
        for formset in formsets:
            for form in formset.forms:
                if form.has_changed() and not formset._should_delete_form(form):
                    form.instance.validate_constraints()
    except ValidationError as error:
        return error
    return ValidationError(
        _(
            "Nothing was saved: someone saved a conflicting change a moment ago. "
            "Check the form and save again."
        ),
        code="conflict",
    )


# The desk's words. Django builds «Изменить %s» and «%(count)s %(name)s» from a
# model's verbose names, which Russian and Kazakh cannot do: «Изменить автор»,
# «3 авторы». The forms a phrase needs are entries of our catalogues, with a
# context: "accusative" (whom one adds, changes, chooses) and "count" (the
# noun after a number, with the language's plural forms). A model without them
# falls back to its verbose names.


def accusative(opts):
    """The model's name as the object of a verb: «автора», «фото», «авторды»."""
    raw = opts.verbose_name_raw
    word = pgettext("accusative", raw)
    return opts.verbose_name if word == raw and _translated() else word


def counted(count, opts):
    """A number and the model's name in the right plural form: «3 автора», «21 материал»."""
    with override(None):
        plural_raw = str(opts.verbose_name_plural)
    noun = npgettext("count", opts.verbose_name_raw, plural_raw, count)
    if noun in (opts.verbose_name_raw, plural_raw) and _translated():
        noun = opts.verbose_name if count == 1 else opts.verbose_name_plural
    return f"{count}\xa0{noun}"


def _translated():
    return not (get_language() or "en").startswith("en")


def change_title(model_admin, request, obj=None, add=False):
    """«Добавить автора», «Изменить автора», «Просмотр: автор»."""
    # Capitalised: Kazakh puts the name first («Авторды қосу»).
    opts = model_admin.opts
    if add:
        return capfirst(_("Add %s") % accusative(opts))
    if model_admin.has_change_permission(request, obj):
        return capfirst(_("Change %s") % accusative(opts))
    return capfirst(_("View %s") % accusative(opts))


class MomentField(forms.SplitDateTimeField):
    """A date and a time as editors type them, with the format named when refused."""

    default_error_messages = {
        "invalid_date": _("Enter a date as 06.03.2026."),
        "invalid_time": _("Enter a time as 14:00 or 14.00."),
    }


class MomentWidget(AdminSplitDateTime):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        date, time = self.widgets
        date.attrs.update(placeholder="06.03.2026", title=_("Date: day.month.year, 06.03.2026"))
        time.attrs.update(placeholder="14:00", title=_("Time, Almaty: 14:00 or 14.00"))


MOMENT_FIELD = {"form_class": MomentField, "widget": MomentWidget}


class DeskWordsAdmin:
    """Mix into every ModelAdmin: titles with the model's name in the right case."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.formfield_overrides.setdefault(models.DateTimeField, {}).update(MOMENT_FIELD)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        opts = self.opts
        django_titles = {
            gettext(phrase) % opts.verbose_name for phrase in ("Add %s", "Change %s", "View %s")
        }
        if context.get("title") in django_titles:
            context["title"] = change_title(self, request, obj, add)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_formset in inline_formsets:
            # Django draws the rows with its own class and no hook for the link's words.
            inline_formset.__class__ = DeskInlineAdminFormSet
        return inline_formsets

    def construct_change_message(self, request, form, formsets, add=False):
        # Django stores the English labels («Headline») and translates them when the
        # history is read; our catalogues know the verbose names («headline»).
        message = super().construct_change_message(request, form, formsets, add)
        for part in message:
            for change in part.values():
                if "fields" in change:
                    change["fields"] = [label[:1].lower() + label[1:] for label in change["fields"]]
        return message

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if changelist.is_popup:
            changelist.title = capfirst(_("Select %s") % accusative(self.opts))
        else:
            # The list is named by what it lists: «Авторы», not «Выберите автор для изменения».
            changelist.title = capfirst(self.opts.verbose_name_plural)
        return changelist


class DeskInlineAdminFormSet(InlineAdminFormSet):
    """A story's rows, whose link says whom it adds: «Добавить автора материала»."""

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        data["options"]["addText"] = capfirst(
            gettext("Add %s") % accusative(self.formset.model._meta)
        )
        return json.dumps(data)


class ModelAdmin(DeskWordsAdmin, SafeSaveAdmin, TolerantAutocompleteAdmin, admin.ModelAdmin):
    pass
