"""Engine placement + pay over a synthetic roster (µs per worker).

When the engine helper's bench/engine_bench.py is present its rows are used (engine beside
hand-written Polars and openfisca-core); otherwise only the engine itself is measured
here and the comparisons are reported as not measured."""

from __future__ import annotations

import argparse
import importlib.util
from datetime import date

import polars as pl

from bench.common import Row, not_measured, timed, write_rows

ON = date(2026, 1, 1)
TARGET_US = 0.2


def roster_frame(workers: int, seed: int = 1) -> pl.DataFrame:
    from shequ.synth import SynthSpec

    _, roster = SynthSpec(workers=workers, seed=seed).build()
    return roster.with_row_index("worker_id").select(
        pl.col("worker_id").cast(pl.Int64), "post", "education", "community_work_start", "certificate",
        pl.col("grade").cast(pl.Int64), "birth_date", "category", "sex",
    )


def engine_rows(workers: int, repeat: int) -> list[Row]:
    from shequ.rules import load_policy, place_and_pay

    df = roster_frame(workers)
    policy = load_policy("baohe")
    seconds, out = timed(place_and_pay, policy, df, ON, repeat=repeat)
    assert out.height == workers
    us = seconds / workers * 1e6
    return [Row(
        name="engine placement + pay (baohe)", size=f"{workers:,} workers",
        figure=f"{us:.3f} µs/worker ({seconds:.2f} s, best of {repeat})",
        target=f"≤ {TARGET_US} µs/worker", met=us <= TARGET_US,
        data={"seconds": seconds, "us_per_worker": us},
    )]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out")
    a = ap.parse_args()
    size = f"{a.workers:,} workers"
    if importlib.util.find_spec("bench.engine_bench") is not None:
        from bench.adapters import engine_bench_rows

        rows = engine_bench_rows(a.workers, a.repeat)
    else:
        rows = engine_rows(a.workers, a.repeat)
        reason = "bench/engine_bench.py (engine helper) not on main"
        rows += [
            not_measured("hand-written Polars, same policy", size, "(ratio)", reason),
            not_measured("openfisca-core, same policy", size, "engine ahead", reason),
        ]
    write_rows(a.out, rows)


if __name__ == "__main__":
    main()
