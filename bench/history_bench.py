"""History that grows (issue 19.3, ADR 0008): one province's pay run, a payslip lookup and the
finance export with one locked month behind them, and again with N more locked months of
pay lines in the partitioned table.

    uv run python -m bench.history_bench                         # 300,000 workers, 36 months
    uv run python -m bench.history_bench --workers 50000 --months 12   # a quick look

The population is bench.pay_bench's (shequ.synth, COPY) in h_nation_hist (dropped and
recreated). The first month is computed, approved and locked through the services; the
history months are that run's lines copied in SQL under new locked runs, older than the
arrears window (see add_history), so the table holds workers × (months + 1) lines. Each measurement is the median of --repeat.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIRST = date(2026, 1, 1)


def _month(start: date, n: int) -> date:
    index = start.year * 12 + start.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def measure(city: Any, actor: Any, locked: Any, next_month: date, repeat: int) -> dict[str, float]:
    """Median seconds of: a fresh pay run of `next_month`, one payslip, the locked run's finance export."""
    from shequ.pay.exports import finance_export
    from shequ.pay.models import PayLine
    from shequ.pay.selectors import payslip_get
    from shequ.pay.services import payrun_compute, payrun_create

    worker_ids = list(PayLine.objects.filter(run=locked).order_by("id").values_list("worker_id", flat=True)[:: max(1, locked.headcount // 50)])
    run_s, slip_s, export_s = [], [], []
    for i in range(repeat):
        run, _ = payrun_create(unit=city, month=_month(next_month, i), actor=actor)
        t = time.perf_counter()
        payrun_compute(run=run, actor=actor)
        run_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        for w in worker_ids:
            payslip_get(user=actor, run_pk=locked.pk, worker_pk=w)
        slip_s.append((time.perf_counter() - t) / len(worker_ids))
        t = time.perf_counter()
        finance_export(locked)
        export_s.append(time.perf_counter() - t)
    return {"pay_run_s": round(statistics.median(run_s), 2), "payslip_ms": round(statistics.median(slip_s) * 1000, 2),
            "finance_export_s": round(statistics.median(export_s), 2)}


def add_history(locked: Any, months: int) -> float:
    """`months` locked runs before the arrears window, each with a copy of `locked`'s lines.

    Months inside the window (ARREARS_WINDOW_MONTHS) are re-evaluated by every pay run for
    补发/扣回: more of them is more work by design, not the table growing. The history goes
    beyond it, so both measurements do the same work and differ only in what the table holds."""
    from django.db import connection

    from shequ.pay.arrears import ARREARS_WINDOW_MONTHS

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'pay_payrun' AND column_name NOT IN ('id', 'month', 'status')")
        run_cols = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'pay_payline' AND column_name NOT IN ('id', 'run_id', 'for_month') ORDER BY ordinal_position")
        line_cols = [r[0] for r in cur.fetchall()]
        rc, lc = ", ".join(run_cols), ", ".join(line_cols)
        for n in range(1, months + 1):
            month = _month(FIRST, -n - ARREARS_WINDOW_MONTHS - 1)
            # Draft first: the locked-run trigger refuses lines under a locked run.
            cur.execute(f"INSERT INTO pay_payrun (month, status, {rc}) SELECT %s, 'draft', {rc} FROM pay_payrun WHERE id = %s RETURNING id",
                        [month, locked.pk])
            run_id = cur.fetchone()[0]
            cur.execute(f"INSERT INTO pay_payline (run_id, for_month, {lc}) SELECT %s, %s, {lc} FROM pay_payline WHERE run_id = %s",
                        [run_id, month, locked.pk])
            cur.execute("UPDATE pay_payrun SET status = 'locked' WHERE id = %s", [run_id])
        cur.execute("VACUUM ANALYZE pay_payline")
        cur.execute("VACUUM ANALYZE pay_payrun")
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=300_000)
    ap.add_argument("--months", type=int, default=36, help="locked months of history to add")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--db", default="h_nation_hist")
    ap.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = ap.parse_args()

    from bench.pay_bench import _recreate, _setup_django, load_population

    _recreate(args.db, args.server)
    _setup_django(f"{args.server}/{args.db}")
    from django.db import connection

    from shequ.accounts.models import User
    from shequ.common.partitions import is_partitioned
    from shequ.org.models import Unit
    from shequ.pay.models import PayLine
    from shequ.pay.services import payrun_approve, payrun_compute, payrun_create, payrun_lock
    from shequ.policy.services import policy_bind, policy_version_from_preset

    loaded = load_population(args.workers, 20260101)
    actor = User.objects.create_superuser("bench", password="x")
    city = Unit.objects.get(depth=0)
    policy_bind(unit=city, version=policy_version_from_preset(preset="baohe", actor=actor), since=date(2020, 1, 1), actor=actor)
    run, _ = payrun_create(unit=city, month=FIRST, actor=actor)
    run = payrun_lock(run=payrun_approve(run=payrun_compute(run=run, actor=actor), actor=actor), actor=actor)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE pay_payline")
        partitioned = is_partitioned(cur, "pay_payline")
    one = measure(city, actor, run, date(2026, 2, 1), args.repeat)
    print("one month:", json.dumps(one), flush=True)
    from django.core.management import call_command

    from shequ.pay.arrears import ARREARS_WINDOW_MONTHS

    # As a province loading older history would: its months get partitions first.
    oldest = _month(FIRST, -args.months - ARREARS_WINDOW_MONTHS - 1)
    call_command("partitions_ensure", since=f"{oldest:%Y-%m}", verbosity=0)
    history_s = add_history(run, args.months)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pay_payline_default")
        in_default = cur.fetchone()[0]
    lines = PayLine.objects.count()
    many = measure(city, actor, run, date(2026, 2 + args.repeat, 1), args.repeat)
    print(f"{args.months + 1} months:", json.dumps(many), flush=True)
    result = {"workers": loaded["workers"], "partitioned": partitioned, "history_months": args.months,
              "lines_in_table": lines, "lines_in_default_partition": in_default, "history_load_s": round(history_s, 1), "one_month": one, "with_history": many}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
