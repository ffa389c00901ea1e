"""
Reporters, and publishing as the editors' own permission.

Reporters add stories and edit their own while they are drafts (the admin
checks ownership and state); they can submit a draft for review, not publish.
They look up sections, tags, authors and library photos to fill in a story.
The story and photo permissions are granted by articles and media themselves.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = [("newsroom", "view_author")]


def create_roles(apps, schema_editor):
    app_config = apps.get_app_config("newsroom")
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


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Reporters").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_roles"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
