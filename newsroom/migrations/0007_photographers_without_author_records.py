"""
Photographers no longer read author records: an author's record links a staff
member's account (and so their login name), and crediting a staff photographer
is done for them on upload (from their own profile) or by an editor.
"""

from django.db import migrations

PHOTOGRAPHER_REVOKED = [("newsroom", "view_author")]


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    photographers = Group.objects.filter(name="Photographers").first()
    if photographers:
        photographers.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label__in=[app for app, _ in PHOTOGRAPHER_REVOKED],
                codename__in=[codename for _, codename in PHOTOGRAPHER_REVOKED],
            )
        )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    photographers = Group.objects.filter(name="Photographers").first()
    if photographers:
        photographers.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=[app for app, _ in PHOTOGRAPHER_REVOKED],
                codename__in=[codename for _, codename in PHOTOGRAPHER_REVOKED],
            )
        )


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0006_audit_log_read_only")]

    operations = [migrations.RunPython(revoke, grant)]
