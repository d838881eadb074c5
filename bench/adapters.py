"""Rows from the other helpers' benchmark scripts, run inside this suite's child processes."""

from __future__ import annotations

from bench.common import Row

ENGINE_TARGET_US = 0.2


def engine_bench_rows(workers: int, repeat: int) -> list[Row]:
    """bench/engine_bench.py: the engine, the same policy hand-written in Polars, and in
    openfisca-core, on one population (it asserts the three agree person by person)."""
    import numpy as np

    from bench import engine_bench as eb
    from shequ.rules import load_policy

    policy = load_policy("baohe")
    df = eb.population(workers)
    t_engine, engine_out = eb.timed(lambda: eb.run_engine(policy, df), repeat)
    t_floor, floor_out = eb.timed(lambda: eb.run_floor(policy, df), repeat)
    for col in ("grade", "应发合计", "单位五险一金", "个人五险一金"):
        assert engine_out[col].equals(floor_out[col]), f"engine and hand-written Polars differ on {col}"
    built = eb.build_openfisca(policy)
    inputs = eb.openfisca_inputs(built, df)
    t_of, of_out = eb.timed(lambda: eb.run_openfisca(built, inputs), max(1, min(repeat, 3)))
    assert np.array_equal(of_out["grade"], engine_out["grade"].to_numpy()), "OpenFisca grades differ"
    assert np.allclose(of_out["total"], engine_out["应发合计"].to_numpy(), atol=0.005), "OpenFisca totals differ"

    us = {k: t / workers * 1e6 for k, t in (("engine", t_engine), ("floor", t_floor), ("openfisca", t_of))}
    size = f"{workers:,} workers"
    how = f"median of {repeat} after a warm-up"
    return [
        Row(name="engine placement + pay (baohe)", size=size,
            figure=f"{us['engine']:.3f} µs/worker ({t_engine:.2f} s, {how})",
            target=f"≤ {ENGINE_TARGET_US} µs/worker", met=us["engine"] <= ENGINE_TARGET_US, data=us),
        Row(name="hand-written Polars, same policy", size=size,
            figure=f"{us['floor']:.3f} µs/worker; engine / hand-written = {us['engine'] / us['floor']:.2f}×",
            target="(ratio)", met=None, data=us),
        Row(name="openfisca-core, same policy", size=size,
            figure=f"{us['openfisca']:.3f} µs/worker; OpenFisca / engine = {us['openfisca'] / us['engine']:.1f}×",
            target="engine ahead", met=us["engine"] < us["openfisca"], data=us),
    ]
