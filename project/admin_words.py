"""
The words project/admin.py (DeskWordsAdmin) asks the catalogue for: each model's
name in the accusative and in its counted forms, and Django's admin phrases
reworded in our locale. Nothing imports this module; it is here so that
makemessages finds these messages and keeps them in locale/*/django.po.
"""

from django.utils.translation import (
    gettext_noop,
    npgettext_lazy,
    pgettext_lazy,
)

WORDS = [
    gettext_noop("group"),
    pgettext_lazy("accusative", "story"),
    npgettext_lazy("count", "story", "stories", 0),
    pgettext_lazy("accusative", "section"),
    npgettext_lazy("count", "section", "sections", 0),
    pgettext_lazy("accusative", "tag"),
    npgettext_lazy("count", "tag", "tags", 0),
    pgettext_lazy("accusative", "author"),
    npgettext_lazy("count", "author", "authors", 0),
    pgettext_lazy("accusative", "user"),
    npgettext_lazy("count", "user", "users", 0),
    pgettext_lazy("accusative", "photo"),
    npgettext_lazy("count", "photo", "photos", 0),
    pgettext_lazy("accusative", "group"),
    npgettext_lazy("count", "group", "groups", 0),
    pgettext_lazy("accusative", "audit log entry"),
    npgettext_lazy("count", "audit log entry", "audit log", 0),
    pgettext_lazy("accusative", "authenticator"),
    npgettext_lazy("count", "authenticator", "authenticators", 0),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("Added {name} “{object}”."),
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop("Changed {fields}."),
    gettext_noop("Deleted {name} “{object}”."),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop("Recover deleted %(name)s"),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
]
