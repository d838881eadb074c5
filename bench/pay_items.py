"""Pay run end to end on PostgreSQL beside the COPY floor, through the pay helper's
bench/pay_bench.py (it loads its own population into its own database, runs the month,
recomputes the draft, and measures the floor in the same run); this wrapper gives it a
bench_shequ_* database, turns its JSON into rows and drops the database afterwards."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

from bench.common import PG_SERVER, ROOT, Row, db_drop, not_measured, write_rows

RATIO_TARGET = 2.0


def _row(name: str, target: str, r: dict) -> Row:
    """Both shapes of pay_bench.py's JSON: rounds of (floor, fresh run) with ratios, or one
    first run beside the best of two floors."""
    import statistics

    size = f"{r['workers']:,} workers ({r['lines']:,} lines)"
    first = r["first_run_s"]
    if r.get("ratios"):
        ratio = statistics.median(r["ratios"])
        run = statistics.median(r["runs_s"])
        floor = statistics.median(f["floor_s"] for f in r["floors"])
        figure = (f"{run:.1f} s per run (median of {len(r['runs_s'])}; first, cold {first:.1f} s); "
                  f"COPY floor {floor:.1f} s in the same rounds; ratio {ratio:.2f}×")
    else:
        floor = r["floor_s"]
        ratio = first / floor
        figure = f"{first:.1f} s; COPY floor {floor:.1f} s; ratio {ratio:.2f}×"
    return Row(name=name, size=size, figure=figure, target=target, met=ratio <= RATIO_TARGET, data=r)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, required=True)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--out")
    a = ap.parse_args()
    size = f"{a.workers:,} workers"
    name = "pay run end to end on PostgreSQL (read, evaluate, write lines)"
    target = f"≤ {RATIO_TARGET:.0f}× COPY floor"
    # The pay run itself must be on main too (imported after Django is set up, by pay_bench).
    if importlib.util.find_spec("shequ.pay.services") is None:
        write_rows(a.out, [not_measured(name, size, target, "shequ.pay.services not on main")])
        return
    from bench import pay_bench
    db = f"bench_shequ_pay_{a.workers}"
    out = ROOT / "var" / f"pay-bench-{a.workers}.json"
    sys.argv = ["pay_bench", "--workers", str(a.workers), "--db", db, "--server", PG_SERVER,
                "--repeat", str(a.repeat), "--json", str(out)]
    try:
        pay_bench.main()
        r = json.loads(Path(out).read_text(encoding="utf-8"))
    finally:
        from django.db import connections

        connections.close_all()
        db_drop(db)
    rows = [_row(name, target, r)]
    write_rows(a.out, rows)


if __name__ == "__main__":
    main()
