"""Pay lines partitioned by month of `for_month` on PostgreSQL (issue 19.3, ADR 0008); nothing
on SQLite. The locked-run triggers of 0002 go with the old table and are made again on the
partitioned one (statement triggers on the parent see every partition's rows)."""

from django.db import migrations

from shequ.common.partitions import partition_by_month, unpartition

LINE_TRIGGERS = """
CREATE TRIGGER pay_line_locked_insert AFTER INSERT ON pay_payline
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pay_refuse_locked_lines();
CREATE TRIGGER pay_line_locked_update AFTER UPDATE ON pay_payline
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pay_refuse_locked_lines();
CREATE TRIGGER pay_line_locked_delete AFTER DELETE ON pay_payline
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pay_refuse_locked_lines();
"""


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    partition_by_month(schema_editor, "pay_payline", "for_month")
    schema_editor.execute(LINE_TRIGGERS)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    unpartition(schema_editor, "pay_payline", "for_month")
    schema_editor.execute(LINE_TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [("pay", "0006_welfare")]
    operations = [migrations.RunPython(forward, backward)]
