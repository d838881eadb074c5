"""The database itself refuses any change to a locked run or to the lines of a locked run,
so no code path (ORM, raw SQL, COPY) can edit what was paid.

PostgreSQL: statement-level triggers with transition tables (one check per statement,
cheap under COPY). SQLite: row triggers for INSERT and UPDATE; SQLite has no TRUNCATE,
so Django's test flush deletes rows and a DELETE trigger would break it; deletion there is
refused by the service only.

Any later migration that alters pay_payline or pay_payrun on SQLite rebuilds the table and
drops these triggers: such a migration must run `create` again (tests/pay/test_run_states
fails if the triggers are gone)."""

from django.db import migrations

LOCKED_MESSAGE = "已锁定的薪酬核算不能修改"

PG_SQL = f"""
CREATE OR REPLACE FUNCTION pay_refuse_locked_lines() RETURNS trigger AS $$
BEGIN
  -- Nested IFs: a transition table exists only for the operations that have it.
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF EXISTS (SELECT 1 FROM new_rows n JOIN pay_payrun r ON r.id = n.run_id WHERE r.status = 'locked') THEN
      RAISE EXCEPTION '{LOCKED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF EXISTS (SELECT 1 FROM old_rows o JOIN pay_payrun r ON r.id = o.run_id WHERE r.status = 'locked') THEN
      RAISE EXCEPTION '{LOCKED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER pay_line_locked_insert AFTER INSERT ON pay_payline
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pay_refuse_locked_lines();
CREATE TRIGGER pay_line_locked_update AFTER UPDATE ON pay_payline
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pay_refuse_locked_lines();
CREATE TRIGGER pay_line_locked_delete AFTER DELETE ON pay_payline
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pay_refuse_locked_lines();

CREATE OR REPLACE FUNCTION pay_refuse_locked_run() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'locked' THEN
    RAISE EXCEPTION '{LOCKED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER pay_run_locked BEFORE UPDATE OR DELETE ON pay_payrun
  FOR EACH ROW EXECUTE FUNCTION pay_refuse_locked_run();
"""

PG_DROP = """
DROP TRIGGER IF EXISTS pay_run_locked ON pay_payrun;
DROP TRIGGER IF EXISTS pay_line_locked_insert ON pay_payline;
DROP TRIGGER IF EXISTS pay_line_locked_update ON pay_payline;
DROP TRIGGER IF EXISTS pay_line_locked_delete ON pay_payline;
DROP FUNCTION IF EXISTS pay_refuse_locked_run();
DROP FUNCTION IF EXISTS pay_refuse_locked_lines();
"""

SQLITE_SQL = [
    f"""CREATE TRIGGER pay_line_locked_insert BEFORE INSERT ON pay_payline
        WHEN (SELECT status FROM pay_payrun WHERE id = NEW.run_id) = 'locked'
        BEGIN SELECT RAISE(ABORT, '{LOCKED_MESSAGE}'); END""",
    f"""CREATE TRIGGER pay_line_locked_update BEFORE UPDATE ON pay_payline
        WHEN (SELECT status FROM pay_payrun WHERE id = OLD.run_id) = 'locked'
          OR (SELECT status FROM pay_payrun WHERE id = NEW.run_id) = 'locked'
        BEGIN SELECT RAISE(ABORT, '{LOCKED_MESSAGE}'); END""",
    f"""CREATE TRIGGER pay_run_locked BEFORE UPDATE ON pay_payrun
        WHEN OLD.status = 'locked'
        BEGIN SELECT RAISE(ABORT, '{LOCKED_MESSAGE}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS pay_line_locked_insert",
    "DROP TRIGGER IF EXISTS pay_line_locked_update",
    "DROP TRIGGER IF EXISTS pay_run_locked",
]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_SQL)
    elif vendor == "sqlite":
        for sql in SQLITE_SQL:
            schema_editor.execute(sql)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("pay", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
