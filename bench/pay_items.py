"""Pay run end to end on PostgreSQL beside the COPY floor, through the pay helper's
bench/pay_bench.py (it loads its own population into its own database, runs the month,
recomputes the draft, and measures the floor in the same run); this wrapper gives it a
bench_shequ_* database, turns its JSON into rows and drops the database afterwards."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.common import PG_SERVER, ROOT, Row, db_drop, not_measured, write_rows

RATIO_TARGET = 2.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, required=True)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--out")
    a = ap.parse_args()
    size = f"{a.workers:,} workers"
    name = "pay run end to end on PostgreSQL (read, evaluate, write lines)"
    target = f"≤ {RATIO_TARGET:.0f}× COPY floor"
    try:
        import shequ.pay.services  # noqa: F401  (the pay run itself must be on main)

        from bench import pay_bench
    except ImportError as exc:
        write_rows(a.out, [not_measured(name, size, target, f"pay run not importable ({exc})")])
        return
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
    floor = r["floor_s"]
    first = r["first_run_s"]
    best = min([first, *r.get("recompute_s", [])])
    rows = [
        Row(name=name, size=f"{r['workers']:,} workers ({r['lines']:,} lines)",
            figure=f"{first:.1f} s first run ({best:.1f} s best recompute); COPY floor {floor:.1f} s; "
                   f"ratio {first / floor:.2f}× (best {best / floor:.2f}×)",
            target=target, met=first / floor <= RATIO_TARGET, data=r),
    ]
    write_rows(a.out, rows)


if __name__ == "__main__":
    main()
