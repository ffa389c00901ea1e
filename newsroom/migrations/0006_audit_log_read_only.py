"""
Editors read the audit log; nobody changes it. The admin offers no add, change or
delete to anyone (newsroom/admin.py); the database itself refuses to change an
entry, and on PostgreSQL to delete one. (SQLite's test runs empty tables with
DELETE, so there only changes are refused.)
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_EXTRA = [("newsroom", "view_auditevent")]

POSTGRESQL = [
    """
    CREATE FUNCTION newsroom_auditevent_refuse() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'The audit log is never changed.';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER newsroom_auditevent_read_only
    BEFORE UPDATE OR DELETE ON newsroom_auditevent
    FOR EACH ROW EXECUTE FUNCTION newsroom_auditevent_refuse()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER newsroom_auditevent_read_only ON newsroom_auditevent",
    "DROP FUNCTION newsroom_auditevent_refuse()",
]
SQLITE = [
    """
    CREATE TRIGGER newsroom_auditevent_read_only
    BEFORE UPDATE ON newsroom_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'The audit log is never changed.');
    END
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER newsroom_auditevent_read_only"]


def refuse_changes(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor)
    for statement in statements or []:
        schema_editor.execute(statement)


def allow_changes(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}.get(
        schema_editor.connection.vendor
    )
    for statement in statements or []:
        schema_editor.execute(statement)


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
            *Permission.objects.filter(content_type__app_label="newsroom", codename="view_auditevent")
        )


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0005_audit_log")]

    operations = [
        migrations.RunPython(refuse_changes, allow_changes),
        migrations.RunPython(grant, revoke),
    ]
