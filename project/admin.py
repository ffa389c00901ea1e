"""
Admin pieces shared by every app's admin.

Django's autocomplete widget re-renders a refused form by looking up the posted
value as is, so a crafted non-numeric or out-of-range id turns a form error
into a server error. These widgets drop such values before the lookup.

SafeSaveAdmin answers a save that the database or the request size refuses
with the form again and the reason, never a server error or a blank page.
"""

from contextlib import contextmanager

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
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


class ModelAdmin(SafeSaveAdmin, TolerantAutocompleteAdmin, admin.ModelAdmin):
    pass
