"""
The newsroom's roles as groups of permissions.

Editors do everything with stories, sections, tags, authors and photos.
Photographers upload photos and edit their own (the admin checks ownership);
they can look up authors, to link a credit to a staff photographer, and
cannot touch stories, sections or authors.

This app is the lowest: it makes the groups and grants its own permissions;
articles and media grant theirs in their own migrations (role_permissions).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODELS = {"newsroom": ["author"]}
EDITOR_EXTRA = []
PHOTOGRAPHER = [("newsroom", "view_author")]


def create_roles(apps, schema_editor):
    # On a fresh database permissions are made after all migrations; make them now.
    app_config = apps.get_app_config("newsroom")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    editors, _ = Group.objects.get_or_create(name="Editors")
    editor_permissions = [
        permission(app_label, f"{action}_{model}")
        for app_label, models in EDITOR_MODELS.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    editor_permissions += [permission(*pair) for pair in EDITOR_EXTRA]
    editors.permissions.add(*editor_permissions)

    photographers, _ = Group.objects.get_or_create(name="Photographers")
    photographers.permissions.add(*[permission(*pair) for pair in PHOTOGRAPHER])


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Photographers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
