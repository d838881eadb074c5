"""History that grows (issue 19.3, ADR 0008): pay lines and audit rows are partitioned by
month on PostgreSQL, so a month's rows sit in that month's partition; SQLite is unchanged."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection

from shequ.common.audit import audit_record
from shequ.common.audit_actions import AuditAction
from shequ.common.partitions import ensure_months, is_partitioned

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("按月分区是 PostgreSQL 的事：DATABASE_URL=postgres://... 运行")


def partition_of(table: str, where: str, params: list[Any]) -> list[str]:
    with connection.cursor() as cur:
        cur.execute(f"SELECT DISTINCT tableoid::regclass::text FROM {table} WHERE {where}", params)
        return [r[0] for r in cur.fetchall()]


def test_pay_lines_and_audit_rows_are_partitioned_tables_on_postgresql(db: Any) -> None:
    needs_postgres()
    with connection.cursor() as cur:
        assert is_partitioned(cur, "pay_payline")
        assert is_partitioned(cur, "common_auditentry")
        cur.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'pay_payline'::regclass")
        assert cur.fetchone()[0] > 36  # three years back, two ahead, and DEFAULT


def test_a_months_pay_lines_land_in_that_months_partition_and_locked_lines_stay_refused(
    world: Any, bind: Any, run_month: Any, lock: Any
) -> None:
    needs_postgres()
    from django.db import IntegrityError, transaction

    from shequ.pay.models import PayLine

    bind(world.city, "baohe")
    run = lock(run_month(world.street_a, date(2025, 3, 1)))
    assert partition_of("pay_payline", "run_id = %s", [run.pk]) == ["pay_payline_m202503"]
    line = PayLine.objects.filter(run=run).first()
    assert line is not None
    # The locked-run trigger of pay.0002 was made again on the partitioned table.
    with pytest.raises(IntegrityError), transaction.atomic():
        PayLine.objects.filter(pk=line.pk).update(gross=1)


def test_an_audit_row_lands_in_the_partition_of_its_month(world: Any) -> None:
    needs_postgres()
    from django.db import transaction

    with transaction.atomic():
        audit_record(actor=world.city_admin, action=AuditAction.TOKEN_CREATE, target=world.worker_a1, unit=world.community_a1)
    today = date.today()
    assert partition_of("common_auditentry", "action = %s", [AuditAction.TOKEN_CREATE]) == [
        f"common_auditentry_m{today.year:04d}{today.month:02d}"
    ]


def test_ensuring_a_month_moves_its_rows_out_of_the_default_partition(db: Any) -> None:
    needs_postgres()
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS h_part_probe")
        cur.execute("CREATE TABLE h_part_probe (id int, on_day date) PARTITION BY RANGE (on_day)")
        cur.execute("CREATE TABLE h_part_probe_default PARTITION OF h_part_probe DEFAULT")
        cur.execute("INSERT INTO h_part_probe VALUES (1, '2031-05-09'), (2, '2031-06-01')")
        created = ensure_months(cur, "h_part_probe", since=date(2031, 5, 1), through=date(2031, 6, 1))
        cur.execute("SELECT id, tableoid::regclass::text FROM h_part_probe ORDER BY id")
        rows = cur.fetchall()
        cur.execute("DROP TABLE h_part_probe")
    assert created == 2
    assert rows == [(1, "h_part_probe_m203105"), (2, "h_part_probe_m203106")]
