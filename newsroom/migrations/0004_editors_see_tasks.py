"""
Editors see the background tasks (Task results in the admin): which ran, which
wait for another try, and which failed for good, with the reason. Nobody changes
them there; a failed task is run again by doing the work again (or by a developer).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_EXTRA = [("django_tasks_database", "view_dbtaskresult")]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in EDITOR_EXTRA
        ]
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label__in=[app for app, _ in EDITOR_EXTRA],
                codename__in=[codename for _, codename in EDITOR_EXTRA],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0003_reporters"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
