"""PostgreSQL refuses every UPDATE and DELETE of an audit event, but the one-time seal.

TRUNCATE is not a row event: the application's role must not own the tables and
has TRUNCATE revoked (see README, "Security"). SQLite (the embedded default) has
no such guard; its chain still exposes any change on verification.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit events are append-only';
  END IF;
  IF OLD.seq IS NOT NULL OR NEW.seq IS NULL
     OR NEW.id <> OLD.id OR NEW.practice_id <> OLD.practice_id OR NEW.at <> OLD.at
     OR NEW.actor_id IS DISTINCT FROM OLD.actor_id OR NEW.actor_role <> OLD.actor_role
     OR NEW.action <> OLD.action
     OR NEW.therapist_id IS DISTINCT FROM OLD.therapist_id
     OR NEW.client_id IS DISTINCT FROM OLD.client_id
     OR NEW.object_type <> OLD.object_type OR NEW.object_id IS DISTINCT FROM OLD.object_id
     OR NEW.data <> OLD.data THEN
    RAISE EXCEPTION 'audit events are append-only';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
REVOKE TRUNCATE ON audit_auditevent FROM PUBLIC;
"""

REVERSE = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
