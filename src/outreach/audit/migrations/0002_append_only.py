"""Make the audit table append-only in the database itself, for every role that uses it,
including the application's own: an UPDATE or DELETE raises an error."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete"]

POSTGRES = [
    """CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$""",
    """CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
    # TRUNCATE bypasses row triggers; refuse it too.
    """CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
    # And take the privileges away from the role that runs the application.
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM CURRENT_USER",
]
POSTGRES_REVERSE = [
    "GRANT UPDATE, DELETE, TRUNCATE ON audit_auditevent TO CURRENT_USER",
    "DROP TRIGGER audit_no_truncate ON audit_auditevent",
    "DROP TRIGGER audit_append_only ON audit_auditevent",
    "DROP FUNCTION audit_append_only()",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor)
    for sql in statements or []:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor
    )
    for sql in statements or []:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
