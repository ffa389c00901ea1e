"""
Partners' API keys are the editors' to give out and revoke: they get every
permission on them, no other role any.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = [f"{action}_partnerkey" for action in ("add", "change", "delete", "view")]


def grant(apps, schema_editor):
    # On a fresh database permissions are made after all migrations; make them now.
    app_config = apps.get_app_config("api")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="api", codename__in=EDITORS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="api"))


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("newsroom", "0003_reporters"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
