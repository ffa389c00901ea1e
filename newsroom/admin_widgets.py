"""
Admin pieces shared by every app's admin.

Django's autocomplete widget re-renders a refused form by looking up the posted
value as is, so a crafted non-numeric or out-of-range id turns a form error
into a server error. These widgets drop such values before the lookup.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError

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


class ModelAdmin(TolerantAutocompleteAdmin, admin.ModelAdmin):
    pass


class TabularInline(TolerantAutocompleteAdmin, admin.TabularInline):
    pass
