"""Pay run benchmark on PostgreSQL: one month for N synthetic workers, end to end
(read the roster and later events, evaluate through the engine, write the lines with COPY,
summaries and audit), next to the COPY floor measured in the same run on the same data:
COPY the roster out, and COPY the same number of pay lines in (the very CSV bytes the
run writes, into the same table with its indexes, constraints and triggers, committed).
Floor and fresh runs (next months) are interleaved so both see the same machine load.

    uv run python bench/pay_bench.py                    # N = 300,000
    uv run python bench/pay_bench.py --workers 20000 --repeat 1

The population comes from shequ.synth (deterministic) and is loaded with COPY into a
dedicated database (default shequ_pay_bench, dropped and recreated). About 1% of workers
get a grade change effective after the month, so the as-of-date reconstruction has work;
7% have monthly items (P-ITEM), 10% special additional deductions (P-NET) and 3% three
days of unpaid leave (P-LEAVE) in every month computed, and every line is taxed.

Not a test: speed is measured here, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MONTH = date(2026, 1, 1)


def _recreate(dbname: str, server: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        conn.execute(f'CREATE DATABASE "{dbname}"')


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _copy_in(cur, table: str, columns: list[str], frame) -> None:
    data = frame.select(columns).write_csv(include_header=False, null_value="\\N")
    cols = ", ".join(f'"{c}"' for c in columns)  # quoted: pay_leave has a column named "end"
    with cur.copy(f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy:
        copy.write(data.encode())


def load_population(workers: int, seed: int) -> dict[str, float]:
    """Units and roster from shequ.synth into org_unit / workers_worker / workers_workerevent with COPY."""
    import polars as pl
    from django.db import connection

    from shequ.synth import synth_roster, synth_units

    t0 = time.perf_counter()
    units = synth_units(max(1, workers // 12), seed)
    roster = synth_roster(units, workers, seed, on=MONTH)
    t1 = time.perf_counter()
    units = units.sort("level").with_row_index("id", offset=1).with_columns(pl.col("id").cast(pl.Int64))
    ids = units.select(pl.col("unit_id").alias("parent_id"), pl.col("id").alias("parent_pk"))
    units = units.join(ids, on="parent_id", how="left").with_columns(
        pl.format("{}/", pl.col("id").cast(pl.Utf8).str.zfill(10)).alias("seg")
    )
    # Materialised paths, one level at a time (levels 0..3 from synth).
    paths = units.filter(pl.col("level") == 0).select("id", pl.col("seg").alias("path"))
    for level in range(1, int(units.get_column("level").cast(pl.Int64).max() or 0) + 1):  # type: ignore[arg-type]
        nxt = units.filter(pl.col("level") == level).join(
            paths.rename({"id": "parent_pk", "path": "ppath"}), on="parent_pk"
        ).select("id", (pl.col("ppath") + pl.col("seg")).alias("path"))
        paths = pl.concat([paths, nxt])
    now = datetime.now(UTC).isoformat()
    units = units.join(paths, on="id").with_columns(
        pl.col("unit").alias("name"), pl.col("parent_pk").alias("parent_id"), pl.col("level").alias("depth"),
        pl.col("unit_id").alias("code"), pl.lit(now).alias("created_at"),
    )
    code_to_pk = units.select(pl.col("code").alias("unit_code"), pl.col("id").alias("unit_pk"))
    roster = (
        roster.with_row_index("id", offset=1)
        .with_columns(pl.col("id").cast(pl.Int64))
        .join(code_to_pk, left_on="unit_id", right_on="unit_code", how="left")
        .with_columns(
            pl.col("unit_pk").alias("unit_id"), pl.col("grade").cast(pl.Int64, strict=False),
            pl.lit("active").alias("status"), pl.col("community_work_start").alias("hired_on"),
            pl.lit(None, dtype=pl.Date).alias("probation_until"), pl.lit(None, dtype=pl.Date).alias("left_on"),
            pl.lit("").alias("exit_reason"), pl.lit("").alias("phone"), pl.lit("{}").alias("extra"),
            pl.lit(now).alias("created_at"), pl.lit(now).alias("updated_at"),
            pl.lit("").alias("education_full_time"),
        )
    )
    # Every worker's import event, plus a grade change after the month for 1% of them.
    events = roster.select(
        pl.col("id").alias("worker_id"), pl.lit("import").alias("kind"), pl.col("hired_on").alias("effective"),
        pl.lit("基准测试导入").alias("cause"), "unit_id", pl.lit("").alias("policy_version"),
        pl.lit("{}").alias("data"), pl.lit(now).alias("recorded_at"),
    )
    later = roster.filter(pl.col("id") % 100 == 0).select(
        pl.col("id").alias("worker_id"), pl.lit("grade_step").alias("kind"), pl.lit(date(2026, 3, 1)).alias("effective"),
        pl.lit("基准测试：月后晋级").alias("cause"), "unit_id", pl.lit("").alias("policy_version"),
        pl.lit('{"before": {"grade": null}, "after": {"grade": 99}}').alias("data"), pl.lit(now).alias("recorded_at"),
    )
    with connection.cursor() as cur:
        raw = cur.cursor
        _copy_in(raw, "org_unit", ["id", "name", "unit_type", "parent_id", "path", "depth", "code", "created_at"], units)
        _copy_in(raw, "workers_worker", [
            "id", "name", "id_number", "sex", "birth_date", "unit_id", "category", "post", "education",
            "community_work_start", "certificate", "grade", "status", "hired_on", "probation_until", "left_on",
            "exit_reason", "phone", "extra", "created_at", "updated_at", "education_full_time",
        ], roster)
        cols = ["worker_id", "kind", "effective", "cause", "unit_id", "policy_version", "data", "recorded_at"]
        _copy_in(raw, "workers_workerevent", cols, pl.concat([events, later]))
        # P-ITEM / P-NET: 5% of workers get a 奖励 and 2% a 扣款, 10% declare special
        # additional deductions, in each month the bench computes.
        months = [date(2026, m, 1) for m in range(1, 6)]
        ids = roster.select(pl.col("id").alias("worker_id"))
        items = pl.concat([
            ids.filter(pl.col("worker_id") % 20 == 1).with_columns(pl.lit("奖励").alias("item"), pl.lit(500.0).alias("amount")),
            ids.filter(pl.col("worker_id") % 50 == 2).with_columns(pl.lit("扣款").alias("item"), pl.lit(80.0).alias("amount")),
        ])
        items = pl.concat([items.with_columns(pl.lit(m).alias("month")) for m in months]).with_columns(
            pl.lit("基准测试").alias("note"), pl.lit(now).alias("entered_at"))
        _copy_in(raw, "pay_monthlyitem", ["worker_id", "month", "item", "amount", "note", "entered_at"], items)
        special = ids.filter(pl.col("worker_id") % 10 == 3).with_columns(
            pl.lit('{"子女教育": "2000.00"}').alias("amounts"), pl.lit(2000.0).alias("total"), pl.lit(now).alias("entered_at"))
        special = pl.concat([special.with_columns(pl.lit(m).alias("month")) for m in months])
        _copy_in(raw, "pay_specialdeduction", ["worker_id", "month", "amounts", "total", "entered_at"], special)
        # P-LEAVE: 3% of workers take 3 days of unpaid 事假 (approved) in each month.
        leave = pl.concat([
            ids.filter(pl.col("worker_id") % 33 == 4).with_columns(
                pl.lit("事假").alias("kind"), pl.lit(m.replace(day=10)).alias("start"), pl.lit(m.replace(day=12)).alias("end"),
                pl.lit(3).alias("days"), pl.lit("approved").alias("status"), pl.lit("基准测试").alias("note"),
                pl.lit(now).alias("entered_at"))
            for m in months
        ])
        _copy_in(raw, "pay_leave", ["worker_id", "kind", "start", "end", "days", "status", "note", "entered_at"], leave)
        for table in ("org_unit", "workers_worker", "workers_workerevent", "pay_monthlyitem", "pay_specialdeduction",
                      "pay_leave"):
            raw.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        raw.execute("ANALYZE")
    t2 = time.perf_counter()
    return {"generate_s": t1 - t0, "load_s": t2 - t1, "units": units.height, "workers": roster.height}


def line_bytes(city, scratch_run_id: int) -> bytes:
    """The exact CSV the pay run writes for MONTH, addressed to the scratch run (untimed)."""
    import polars as pl

    from shequ.common.bulk import csv_bytes
    from shequ.pay.compute import compute_month
    from shequ.pay.net import with_net_pay
    from shequ.pay.services import LINE_COLUMNS, lines_for_copy

    month = compute_month(scope=city, month=MONTH)
    frame = month.frame.with_columns(
        pl.lit("regular").alias("kind"), pl.lit(MONTH).alias("for_month"), pl.lit("").alias("reason"),
    )
    frame = with_net_pay(frame, scope=city, month=MONTH, governing=month.governing).with_columns(
        pl.lit(scratch_run_id, dtype=pl.Int64).alias("run_id"),
    )
    return csv_bytes(LINE_COLUMNS, lines_for_copy(frame))


def copy_floor(scope_path: str, lines: bytes, scratch_run_id: int) -> dict[str, float]:
    """COPY the roster out, and COPY the run's own line bytes into pay_payline under a
    scratch (draft) run: same table, indexes, constraints and triggers, same bytes."""
    from django.db import connection, transaction

    from shequ.common.bulk import copy_statement
    from shequ.pay.services import LINE_COLUMNS

    with transaction.atomic(), connection.cursor() as cur:
        raw = cur.cursor
        t0 = time.perf_counter()
        out = io.BytesIO()
        with raw.copy(
            "COPY (SELECT w.id, w.name, w.id_number, w.unit_id, w.post, w.grade, w.education, w.certificate, "
            "w.category, w.sex, w.birth_date, w.community_work_start, w.status, w.hired_on, w.probation_until, "
            "w.left_on FROM workers_worker w WHERE w.unit_id IN (SELECT id FROM org_unit WHERE path LIKE %s)) "
            "TO STDOUT WITH (FORMAT csv, NULL '\\N')", [scope_path + "%"],
        ) as copy:
            for block in copy:
                out.write(block)
        t1 = time.perf_counter()
        with raw.copy(copy_statement("pay_payline", LINE_COLUMNS)) as copy:
            copy.write(lines)
        t2 = time.perf_counter()
    t3 = time.perf_counter()  # commit (deferred FK checks) included
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM pay_payline WHERE run_id = %s", [scratch_run_id])
    # Leave no dead tuples behind for the next round (untimed).
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE pay_payline")
    return {"roster_out_s": t1 - t0, "lines_in_s": t3 - t1, "lines_in_copy_only_s": t2 - t1, "floor_s": t3 - t0,
            "roster_bytes": out.tell(), "line_bytes": len(lines)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--db", default="shequ_pay_bench")
    ap.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of (COPY floor, fresh run of the next month)")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "pay_bench.json")
    args = ap.parse_args()

    _recreate(args.db, args.server)
    _setup_django(f"{args.server}/{args.db}")
    from django.db import connection

    from shequ.accounts.models import User
    from shequ.org.models import Unit
    from shequ.pay.models import PayLine
    from shequ.pay.services import payrun_compute, payrun_create
    from shequ.policy.services import policy_bind, policy_version_from_preset

    loaded = load_population(args.workers, args.seed)
    print(f"总体：{loaded['workers']:,} 人，{loaded['units']:,} 个单位；生成 {loaded['generate_s']:.1f} 秒，COPY 载入 {loaded['load_s']:.1f} 秒")
    actor = User.objects.create_superuser("bench", password="x")
    city = Unit.objects.get(depth=0)
    policy_bind(unit=city, version=policy_version_from_preset(preset="baohe", actor=actor), since=date(2020, 1, 1), actor=actor)

    def timed_run(month: date) -> tuple[float, Any]:
        run, _ = payrun_create(unit=city, month=month, actor=actor)
        t0 = time.perf_counter()
        run = payrun_compute(run=run, actor=actor)
        return time.perf_counter() - t0, run

    first, run = timed_run(MONTH)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE pay_payline")
    lines = PayLine.objects.filter(run=run).count()
    print(f"首次核算（冷启动）：{first:.2f} 秒，{lines:,} 行，应发合计 {run.total:,}")
    lines_csv = line_bytes(city, 0)
    # Interleave floor and fresh runs (next months), so both see the same machine load.
    runs: list[float] = []
    floors: list[dict[str, float]] = []
    for i in range(args.repeat):
        # A fresh scratch run per round: the run id is each CSV row's first field.
        scratch, _ = payrun_create(unit=city, month=date(1999, 1 + i, 1), actor=actor)
        rows = lines_csv.split(b"\n")
        head = str(scratch.pk).encode()
        scratch_csv = b"\n".join(head + r[r.index(b","):] for r in rows if r) + b"\n"
        floors.append(copy_floor(city.path, scratch_csv, scratch.pk))
        seconds, _ = timed_run(date(2026, 2 + i, 1))
        runs.append(seconds)
        f = floors[-1]
        print(f"第 {i + 1} 轮：地板 {f['floor_s']:.2f} 秒（名册导出 {f['roster_out_s']:.2f} + 明细导入含提交 {f['lines_in_s']:.2f}），"
              f"核算 {seconds:.2f} 秒，比值 {seconds / f['floor_s']:.2f}")
    t0 = time.perf_counter()
    payrun_compute(run=run, actor=actor)
    recompute = time.perf_counter() - t0
    print(f"草稿重新核算（含删除旧明细 {lines:,} 行）：{recompute:.2f} 秒")
    ratios = [r / f["floor_s"] for r, f in zip(runs, floors, strict=True)]
    if ratios:
        print(f"核算 / COPY 地板：中位数 {statistics.median(ratios):.2f}（各轮 {', '.join(f'{x:.2f}' for x in ratios)}）")

    result = {
        "workers": loaded["workers"], "units": loaded["units"], "lines": lines, "first_run_s": first,
        "runs_s": runs, "floors": floors, "ratios": ratios,
        "median_ratio": statistics.median(ratios) if ratios else None, "recompute_with_delete_s": recompute,
        "machine": platform.platform(), "cpus": os.cpu_count(), "load_avg": os.getloadavg(),
        "postgres": connection.cursor().connection.info.server_version,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"结果已写入 {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
