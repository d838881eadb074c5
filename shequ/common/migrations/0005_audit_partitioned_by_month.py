"""Audit rows partitioned by month of `at` on PostgreSQL (issue 19.3, ADR 0008); nothing on SQLite."""

from django.db import migrations

from shequ.common.partitions import partition_by_month, unpartition


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    partition_by_month(schema_editor, "common_auditentry", "at")


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    unpartition(schema_editor, "common_auditentry", "at")


class Migration(migrations.Migration):
    dependencies = [("common", "0004_audit_action_choices")]
    operations = [migrations.RunPython(forward, backward)]
