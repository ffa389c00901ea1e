"""
The roles' permissions on the photo library, granted by the app that owns it.

The groups are the newsroom's (newsroom/migrations/0002_roles, 0003_reporters);
until this migration existed, newsroom granted these itself, so on a database
that ran the old grants this adds nothing.

Editors do everything with photos and edit anyone's; they see the renditions.
Photographers upload photos and edit their own (the admin checks ownership).
Reporters look up library photos to fill in a story.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PHOTO = ["add_photo", "change_photo", "delete_photo", "view_photo"]
ROLES = {
    "Editors": [*PHOTO, "edit_any_photo", "view_rendition"],
    "Photographers": PHOTO,
    "Reporters": ["view_photo"],
}


def grant(apps, schema_editor):
    # On a fresh database permissions are made after all migrations; make them now.
    app_config = apps.get_app_config("media")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *[
                Permission.objects.get(content_type__app_label="media", codename=codename)
                for codename in codenames
            ]
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="media"))


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0002_photo_made_specs"),
        ("newsroom", "0003_reporters"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
