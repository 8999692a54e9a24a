"""PostgreSQL: the chain head only moves forward, checkpoints and break-glass reads are kept.

- audit_chainhead: an UPDATE may only raise `seq` (and then set its hash); a lower or equal
  seq with another hash, another practice, and every DELETE are refused. Truncating the
  events and resetting the head, or deleting the head, then needs a superuser who switches
  triggers off, and verification against an earlier signed checkpoint shows it.
- audit_checkpoint: append-only.
- audit_breakglassread: append-only but for re-encrypting `reason` (key rotation).

TRUNCATE fires no row trigger: the application's role does not own these tables and holds
no TRUNCATE (README, "The audit chain"). SQLite has no such guard; the chain and the
checkpoints still expose a rewrite on verification.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_chainhead_forward_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'the audit chain head cannot be deleted';
  END IF;
  IF NEW.practice_id <> OLD.practice_id OR NEW.seq < OLD.seq
     OR (NEW.seq = OLD.seq AND NEW.head_hash <> OLD.head_hash) THEN
    RAISE EXCEPTION 'the audit chain head only moves forward (seq % to %)', OLD.seq, NEW.seq;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_chainhead_forward_only ON audit_chainhead;
CREATE TRIGGER audit_chainhead_forward_only BEFORE UPDATE OR DELETE ON audit_chainhead
  FOR EACH ROW EXECUTE FUNCTION audit_chainhead_forward_only();

CREATE OR REPLACE FUNCTION audit_checkpoint_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit checkpoints are append-only';
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_checkpoint;
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
  FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_append_only();

CREATE OR REPLACE FUNCTION audit_breakglassread_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.event_id <> OLD.event_id OR NEW.practice_id <> OLD.practice_id
     OR NEW.exception_id <> OLD.exception_id OR NEW.admin_id <> OLD.admin_id
     OR NEW.therapist_id <> OLD.therapist_id OR NEW.message_id <> OLD.message_id OR NEW.at <> OLD.at THEN
    RAISE EXCEPTION 'break-glass reads are append-only';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_breakglassread_append_only ON audit_breakglassread;
CREATE TRIGGER audit_breakglassread_append_only BEFORE UPDATE OR DELETE ON audit_breakglassread
  FOR EACH ROW EXECUTE FUNCTION audit_breakglassread_append_only();

REVOKE TRUNCATE ON audit_chainhead, audit_checkpoint, audit_breakglassread FROM PUBLIC;
"""

REVERSE = """
DROP TRIGGER IF EXISTS audit_chainhead_forward_only ON audit_chainhead;
DROP FUNCTION IF EXISTS audit_chainhead_forward_only();
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_checkpoint;
DROP FUNCTION IF EXISTS audit_checkpoint_append_only();
DROP TRIGGER IF EXISTS audit_breakglassread_append_only ON audit_breakglassread;
DROP FUNCTION IF EXISTS audit_breakglassread_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)  # params=None: its % are PL/pgSQL placeholders


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_break_glass_and_checkpoints")]
    operations = [migrations.RunPython(forwards, backwards)]
