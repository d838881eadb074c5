"""Rows from the other helpers' benchmark scripts, run inside this suite's child processes.

Only the stable parts of bench/engine_bench.py are used (population, run_engine,
run_floor, build_openfisca, openfisca_inputs, run_openfisca); timing is done here."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

from bench.common import Row

T = TypeVar("T")

ENGINE_TARGET_US = 0.2


def _interleaved(fns: list[Callable[[], T]], repeat: int) -> tuple[list[list[float]], list[T]]:
    """Warm up, then alternate the runs so every implementation sees the same machine load."""
    outs = [fn() for fn in fns]
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(max(1, repeat)):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t)
    return times, outs


def engine_bench_rows(workers: int, repeat: int) -> list[Row]:
    """The engine, the same policy hand-written in Polars, and in openfisca-core, on one
    population; the three must agree person by person (checked here too)."""
    import numpy as np

    from bench import engine_bench as eb
    from shequ.rules import load_policy

    policy = load_policy("baohe")
    df = eb.population(workers)
    (t_engine, t_floor), (engine_out, floor_out) = _interleaved(
        [lambda: eb.run_engine(policy, df), lambda: eb.run_floor(policy, df)], repeat)
    for col in ("grade", "应发合计", "单位五险一金", "个人五险一金"):
        assert engine_out[col].equals(floor_out[col]), f"engine and hand-written Polars differ on {col}"
    built = eb.build_openfisca(policy)
    inputs = eb.openfisca_inputs(built, df)
    (t_of,), (of_out,) = _interleaved([lambda: eb.run_openfisca(built, inputs)], min(repeat, 3))
    assert np.array_equal(of_out["grade"], engine_out["grade"].to_numpy()), "OpenFisca grades differ"
    assert np.allclose(of_out["total"], engine_out["应发合计"].to_numpy(), atol=0.005), "OpenFisca totals differ"

    med = {k: statistics.median(t) / workers * 1e6 for k, t in (("engine", t_engine), ("floor", t_floor), ("openfisca", t_of))}
    best = {k: min(t) / workers * 1e6 for k, t in (("engine", t_engine), ("floor", t_floor), ("openfisca", t_of))}
    size = f"{workers:,} workers"
    how = f"median of {max(1, repeat)} after a warm-up, interleaved with the hand-written run"
    return [
        Row(name="engine placement + pay (baohe)", size=size,
            figure=f"{med['engine']:.3f} µs/worker (best {best['engine']:.3f}; {how})",
            target=f"≤ {ENGINE_TARGET_US} µs/worker", met=med["engine"] <= ENGINE_TARGET_US,
            data={"median": med, "best": best}),
        Row(name="hand-written Polars, same policy", size=size,
            figure=f"{med['floor']:.3f} µs/worker (best {best['floor']:.3f}); engine / hand-written = "
                   f"{med['engine'] / med['floor']:.2f}×",
            target="(ratio)", met=None, data={"median": med, "best": best}),
        Row(name="openfisca-core, same policy", size=size,
            figure=f"{med['openfisca']:.3f} µs/worker; OpenFisca / engine = {med['openfisca'] / med['engine']:.1f}×",
            target="engine ahead", met=med["engine"] < med["openfisca"], data={"median": med, "best": best}),
    ]
