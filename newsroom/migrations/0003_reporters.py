"""
Reporters, and publishing as the editors' own permission.

Reporters add stories and edit their own while they are drafts (the admin
checks ownership and state); they can submit a draft for review, not publish.
They look up sections, tags, authors and library photos to fill in a story.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "add_byline"),
    ("articles", "change_byline"),
    ("articles", "delete_byline"),
    ("articles", "view_byline"),
    ("articles", "add_previewlink"),
    ("articles", "delete_previewlink"),
    ("articles", "view_previewlink"),
    ("articles", "view_section"),
    ("articles", "view_tag"),
    ("media", "view_photo"),
    ("newsroom", "view_author"),
]
EDITOR_EXTRA = [
    ("articles", "publish_article"),
    ("articles", "add_previewlink"),
    ("articles", "change_previewlink"),
    ("articles", "delete_previewlink"),
    ("articles", "view_previewlink"),
]


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(pairs):
        return [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in pairs
        ]

    reporters, _ = Group.objects.get_or_create(name="Reporters")
    reporters.permissions.add(*permissions(REPORTER))
    Group.objects.get(name="Editors").permissions.add(*permissions(EDITOR_EXTRA))


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Reporters").delete()
    editors = Group.objects.filter(name="Editors").first()
    if editors:
        editors.permissions.remove(
            *editors.permissions.filter(codename__in=[codename for _, codename in EDITOR_EXTRA])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_roles"),
        ("articles", "0002_workflow"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
