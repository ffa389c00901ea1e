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
    pgettext_lazy("accusative", "API key"),
    npgettext_lazy("count", "API key", "API keys", 0),
    pgettext_lazy("accusative", "sign-in attempt"),
    npgettext_lazy("count", "sign-in attempt", "sign-in attempts", 0),
    pgettext_lazy("accusative", "sign-in"),
    npgettext_lazy("count", "sign-in", "sign-ins", 0),
    pgettext_lazy("accusative", "failed sign-in"),
    npgettext_lazy("count", "failed sign-in", "failed sign-ins", 0),
    pgettext_lazy("accusative", "background task"),
    npgettext_lazy("count", "background task", "background tasks", 0),
    # A story's rows: «Добавить автора материала» under its bylines.
    pgettext_lazy("accusative", "byline"),
    pgettext_lazy("accusative", "share link"),
    # The buttons beside a lookup: a name Django puts in «"…"».
    gettext_noop("Add another %(model)s"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? '
        "All of the following related items will be deleted:"
    ),
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
