"""`shequ backup` / `shequ restore`: a backup restored into a fresh database has the same
rows in every table and the same locked pay run, to the cent."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from shequ.cli import main
from shequ.common.backup import BackupError, backup, restore
from shequ.pay.models import PayLine, PayRun
from tests.factories import make_worker

pytestmark = pytest.mark.django_db(transaction=True)


def _live_counts() -> dict[str, int]:
    with connection.cursor() as cur:
        tables = connection.introspection.table_names(cur)
        counts = {}
        for table in tables:
            cur.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cur.fetchone()[0]
    return counts


def _locked_run(world: Any, bind: Any, run_month: Any, lock: Any) -> PayRun:
    bind(world.city, "baohe")
    for i in range(5):
        make_worker(world.community_a1, name=f"工作者{i}", post="助理")
    run = lock(run_month(world.street_a, date(2026, 3, 1)))
    assert run.status == "locked" and PayLine.objects.filter(run=run).count() == 6
    return run


def _line_total(run: PayRun) -> str:
    return str(sum(line.gross for line in PayLine.objects.filter(run=run)))


def test_a_sqlite_backup_restored_into_a_fresh_file_has_every_row_and_the_locked_pay_run(
    world: Any, bind: Any, run_month: Any, lock: Any, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; the PostgreSQL one is tested below")
    run = _locked_run(world, bind, run_month, lock)
    connection.ensure_connection()
    backup(db=connection.settings_dict, path=tmp_path / "shequ.bak", source=connection.connection)
    fresh = tmp_path / "restored.sqlite3"
    restore(db={"ENGINE": "django.db.backends.sqlite3", "NAME": str(fresh)}, path=tmp_path / "shequ.bak")
    restored = sqlite3.connect(fresh)
    counts = {t: restored.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in _live_counts()}
    assert counts == _live_counts() and counts["pay_payline"] == 6 and counts["workers_worker"] == 7
    row = restored.execute("SELECT status, headcount, total FROM pay_payrun WHERE id = ?", [run.pk]).fetchone()
    assert (row[0], row[1], Decimal(str(row[2]))) == ("locked", 6, run.total)
    gross = restored.execute("SELECT SUM(gross) FROM pay_payline WHERE run_id = ?", [run.pk]).fetchone()[0]
    assert f"{float(gross):.2f}" == f"{float(_line_total(run)):.2f}" == f"{float(run.total):.2f}"


@pytest.mark.postgres
def test_a_postgresql_backup_restored_into_a_fresh_database_has_every_row_and_the_locked_pay_run(
    world: Any, bind: Any, run_month: Any, lock: Any, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (pg_dump / pg_restore)")
    import psycopg

    run = _locked_run(world, bind, run_month, lock)
    db = dict(connection.settings_dict)
    backup(db=db, path=tmp_path / "shequ.dump")
    fresh = f"{db['NAME']}_restore"
    admin_dsn = f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname=postgres"
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restore(db={**db, "NAME": fresh}, path=tmp_path / "shequ.dump")
        live = _live_counts()
        with psycopg.connect(f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname={fresh}") as restored:
            counts = {t: restored.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in live}
            row = restored.execute("SELECT status, headcount, total FROM pay_payrun WHERE id = %s", [run.pk]).fetchone()
            gross = restored.execute("SELECT SUM(gross) FROM pay_payline WHERE run_id = %s", [run.pk]).fetchone()
        assert counts == live and counts["pay_payline"] == 6
        assert row == ("locked", 6, run.total) and gross is not None and gross[0] == run.total
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')


def test_restore_refuses_a_file_that_is_not_a_backup_and_without_yes_does_nothing(
    world: Any, tmp_path: Path, capsys: Any
) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("这不是备份")
    with pytest.raises(BackupError, match="不是 .* 的备份文件"):
        restore(db=connection.settings_dict, path=bogus)
    with pytest.raises(BackupError, match="找不到备份文件"):
        restore(db=connection.settings_dict, path=tmp_path / "missing.bak")
    assert main(["restore", str(bogus)]) == 2
    assert "确认请加 --yes" in capsys.readouterr().out
