"""
The roles' permissions on stories, granted by the app that owns them.

The groups are the newsroom's (newsroom/migrations/0002_roles, 0003_reporters);
until this migration existed, newsroom granted these itself, so on a database
that ran the old grants this adds nothing.

Editors do everything with stories, sections, tags and preview links, and
publish. Reporters add stories and edit their own while they are drafts (the
admin checks ownership and state), submit them for review, share previews, and
look up sections and tags; they do not publish.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EVERYTHING = ("add", "change", "delete", "view")
ROLES = {
    "Editors": [
        f"{action}_{model}"
        for model in ("article", "section", "byline", "tag", "taggedarticle", "previewlink")
        for action in EVERYTHING
    ]
    + ["publish_article"],
    "Reporters": [
        "add_article",
        "change_article",
        "view_article",
        "add_byline",
        "change_byline",
        "delete_byline",
        "view_byline",
        "add_previewlink",
        "delete_previewlink",
        "view_previewlink",
        "view_section",
        "view_tag",
    ],
}


def grant(apps, schema_editor):
    # On a fresh database permissions are made after all migrations; make them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *[
                Permission.objects.get(content_type__app_label="articles", codename=codename)
                for codename in codenames
            ]
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="articles"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_archive_scale"),
        ("newsroom", "0003_reporters"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
