"""Engine benchmark: placement + monthly pay of the baohe preset over N synthetic workers.

Peers, measured in the same run on the same population:
  * floor     – the same policy hand-written in plain Polars (what the engine compiles to,
                without the engine's checks and bookkeeping);
  * openfisca – the same policy encoded in openfisca-core (numpy vectors).
All three must produce identical grades and totals; the run fails otherwise.

    uv run python bench/engine_bench.py                 # N = 1,000,000 (OpenFisca too)
    uv run python bench/engine_bench.py --n 200000 --openfisca-n 200000 --write-docs

Not a test: speed is measured here, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shequ.rules import load_policy, place_and_pay  # noqa: E402
from shequ.rules.vocab import CERTIFICATES, EDUCATION  # noqa: E402

ON = dt.date(2025, 7, 1)


# ---- population --------------------------------------------------------------------------

def population(n: int, seed: int = 20251121) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    posts = np.array(["主管", "副主管", "主办", "助理"])
    post = posts[rng.choice(4, n, p=[0.1, 0.15, 0.25, 0.5])]
    edu = np.array(EDUCATION)[rng.choice(7, n, p=[0.03, 0.12, 0.1, 0.35, 0.35, 0.04, 0.01])]
    cert = np.array(CERTIFICATES)[rng.choice(4, n, p=[0.55, 0.3, 0.13, 0.02])]
    start = np.datetime64("1990-01-01") + rng.integers(0, 35 * 365, n).astype("timedelta64[D]")
    return pl.DataFrame({
        "worker_id": np.arange(n, dtype=np.int64),
        "post": post, "education": edu, "certificate": cert,
        "community_work_start": start,
    }).with_columns(pl.col("community_work_start").cast(pl.Date))


# ---- the engine --------------------------------------------------------------------------

def run_engine(policy, df: pl.DataFrame) -> pl.DataFrame:
    # place_and_pay = pay(place(...)) fused into one Polars query (same result, tested).
    return place_and_pay(policy, df, ON)


# ---- the floor: the same policy hand-written in plain Polars ---------------------------------

def run_floor(policy, df: pl.DataFrame) -> pl.DataFrame:
    v = policy.params(ON).values
    posts = policy.posts
    b = policy.params(ON).benefits
    er = sum(i.employer for i in b.items.values())
    ee = sum(i.employee for i in b.items.values())
    start = pl.col("community_work_start")
    before = (start.dt.month() > ON.month) | ((start.dt.month() == ON.month) & (start.dt.day() > ON.day))
    years = pl.lit(ON.year) - start.dt.year().cast(pl.Int64) - before.cast(pl.Int64)
    gmin = pl.col("post").replace_strict(list(posts), [p.grade_min for p in posts.values()], return_dtype=pl.Int64)
    gmax = pl.col("post").replace_strict(list(posts), [p.grade_max for p in posts.values()], return_dtype=pl.Int64)
    edu = pl.col("education").replace_strict(list(v["edu_grades"]), list(v["edu_grades"].values()), default=0, return_dtype=pl.Int64)
    raw = gmin + (years // v["years_per_grade"]) + edu
    grade = pl.min_horizontal(pl.max_horizontal(raw, gmin), gmax)
    post_pay = pl.col("post").replace_strict(list(v["post_pay"]), [float(x) for x in v["post_pay"].values()], return_dtype=pl.Float64)
    cert = pl.col("certificate").replace_strict(list(v["cert_allowance"]), [float(x) for x in v["cert_allowance"].values()], default=0.0, return_dtype=pl.Float64)
    out = (df.lazy()
           .with_columns(years.alias("years"))
           .with_columns(grade.alias("grade"))
           .with_columns(post_pay.alias("岗位工资"),
                         (v["grade_base"] + (pl.col("grade") - 1) * v["grade_step"]).cast(pl.Float64).alias("等级工资"),
                         cert.alias("职业水平津贴"))
           .with_columns(((pl.col("岗位工资") + pl.col("等级工资")) * v["performance_share"]).round(2, mode="half_away_from_zero").alias("绩效工资"))
           .with_columns((pl.col("岗位工资") + pl.col("等级工资") + pl.col("职业水平津贴") + pl.col("绩效工资")).alias("应发合计"))
           .with_columns(base=pl.col("应发合计").clip(b.base_floor, b.base_cap))
           .with_columns((pl.col("base") * er).round(2, mode="half_away_from_zero").alias("单位五险一金"),
                         (pl.col("base") * ee).round(2, mode="half_away_from_zero").alias("个人五险一金"))
           .drop("base"))
    return out.collect()


# ---- OpenFisca ---------------------------------------------------------------------------

def build_openfisca(policy):
    from openfisca_core.entities import build_entity
    from openfisca_core.indexed_enums import Enum
    from openfisca_core.parameters import ParameterNode
    from openfisca_core.periods import DateUnit
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    v = policy.params(ON).values
    b = policy.params(ON).benefits
    since = "2020-08-14"
    Person = build_entity(key="person", plural="persons", label="社区工作者", is_person=True)
    Post = Enum("Post", {name: name for name in policy.post_names()})
    Edu = Enum("Edu", {name: name for name in EDUCATION})
    Cert = Enum("Cert", {name: name for name in CERTIFICATES})

    def values(x: float) -> dict:
        return {"values": {since: float(x)}}

    data = {
        "grade_min": {p: values(policy.post(p).grade_min) for p in policy.post_names()},
        "grade_max": {p: values(policy.post(p).grade_max) for p in policy.post_names()},
        "post_pay": {p: values(x) for p, x in v["post_pay"].items()},
        "edu_grades": {e: values(v["edu_grades"].get(e, 0)) for e in EDUCATION},
        "cert_allowance": {c: values(v["cert_allowance"].get(c, 0)) for c in CERTIFICATES},
        "years_per_grade": values(v["years_per_grade"]),
        "grade_base": values(v["grade_base"]),
        "grade_step": values(v["grade_step"]),
        "performance_share": values(v["performance_share"]),
        "base_floor": values(b.base_floor), "base_cap": values(b.base_cap),
        "employer_rate": values(sum(i.employer for i in b.items.values())),
        "employee_rate": values(sum(i.employee for i in b.items.values())),
    }

    def var(name: str, vtype, formula=None, **extra):
        attrs = {"value_type": vtype, "entity": Person, "definition_period": DateUnit.MONTH, "label": name, **extra}
        if formula is not None:
            attrs["formula"] = formula
        return type(name, (Variable,), attrs)

    def r2(x):
        return np.sign(x) * np.floor(np.abs(x) * 100 + 0.5) / 100

    def f_years(person, period, parameters):
        start = person("community_work_start", period)
        y = start.astype("datetime64[Y]").astype(int) + 1970
        month = (start.astype("datetime64[M]") - start.astype("datetime64[Y]")).astype(int) + 1
        day = (start - start.astype("datetime64[M]")).astype(int) + 1
        before = (month > ON.month) | ((month == ON.month) & (day > ON.day))
        return ON.year - y - before

    def f_grade(person, period, parameters):
        p = parameters(period)
        post = person("post", period)
        lo, hi = p.grade_min[post], p.grade_max[post]
        raw = lo + np.floor(person("years", period) / p.years_per_grade) + p.edu_grades[person("education", period)]
        return np.clip(raw, lo, hi)

    def f_post_pay(person, period, parameters):
        return parameters(period).post_pay[person("post", period)]

    def f_grade_pay(person, period, parameters):
        p = parameters(period)
        return p.grade_base + (person("grade", period) - 1) * p.grade_step

    def f_cert(person, period, parameters):
        return parameters(period).cert_allowance[person("certificate", period)]

    def f_perf(person, period, parameters):
        return r2((person("post_pay", period) + person("grade_pay", period)) * parameters(period).performance_share)

    def f_total(person, period, parameters):
        return person("post_pay", period) + person("grade_pay", period) + person("cert_pay", period) + person("perf_pay", period)

    def f_base(person, period, parameters):
        p = parameters(period)
        return np.clip(person("total", period), p.base_floor, p.base_cap)

    def f_er(person, period, parameters):
        return r2(person("base", period) * parameters(period).employer_rate)

    def f_ee(person, period, parameters):
        return r2(person("base", period) * parameters(period).employee_rate)

    tbs = TaxBenefitSystem([Person])
    tbs.parameters = ParameterNode("", data=data)
    tbs.add_variables(
        var("post", Enum, possible_values=Post, default_value=Post[policy.post_names()[-1]]),
        var("education", Enum, possible_values=Edu, default_value=Edu["高中"]),
        var("certificate", Enum, possible_values=Cert, default_value=Cert["无"]),
        var("community_work_start", dt.date),
        var("years", int, f_years),
        var("grade", int, f_grade),
        var("post_pay", float, f_post_pay),
        var("grade_pay", float, f_grade_pay),
        var("cert_pay", float, f_cert),
        var("perf_pay", float, f_perf),
        var("total", float, f_total),
        var("base", float, f_base),
        var("employer", float, f_er),
        var("employee", float, f_ee),
    )
    return tbs, Post, Edu, Cert


def run_openfisca(built, inputs) -> dict[str, np.ndarray]:
    from openfisca_core.simulations import SimulationBuilder

    tbs, *_ = built
    n = len(inputs["post"])
    sim = SimulationBuilder().build_default_simulation(tbs, count=n)
    period = f"{ON.year}-{ON.month:02d}"
    for k, arr in inputs.items():
        sim.set_input(k, period, arr)
    return {k: sim.calculate(k, period) for k in ("grade", "total", "employer", "employee")}


def openfisca_inputs(built, df: pl.DataFrame) -> dict:
    from openfisca_core.indexed_enums import EnumArray

    _, Post, Edu, Cert = built

    def enum(col: str, E) -> EnumArray:
        names = [m.name for m in E]
        codes = df.get_column(col).replace_strict(names, list(range(len(names))), return_dtype=pl.Int16).to_numpy()
        return EnumArray(codes, E)

    return {"post": enum("post", Post), "education": enum("education", Edu), "certificate": enum("certificate", Cert),
            "community_work_start": df.get_column("community_work_start").to_numpy().astype("datetime64[D]")}


# ---- timing ------------------------------------------------------------------------------

def timed(fn: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    out = fn()  # warm-up (and the result to compare)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times, out


T = TypeVar("T")


def interleaved(fns: list[Callable[[], T]], repeat: int) -> tuple[list[list[float]], list[T]]:
    """Alternate the runs (a, b, a, b, ...) so that both see the same load on a shared machine."""
    outs = [fn() for fn in fns]  # warm-up
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t)
    return times, outs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--openfisca-n", type=int, default=None, help="smaller N for OpenFisca if it is too slow (default: same N)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--write-docs", action="store_true", help="write the Engine section of docs/benchmarks.md")
    args = ap.parse_args()

    policy = load_policy("baohe")
    df = population(args.n)
    rows = []

    (t_engine, t_floor), (engine_out, floor_out) = interleaved(
        [lambda: run_engine(policy, df), lambda: run_floor(policy, df)], args.repeat)
    rows.append(("shequ.rules（引擎）", args.n, t_engine))
    rows.append(("手写 Polars（下限）", args.n, t_floor))
    for col in ("grade", "应发合计", "单位五险一金", "个人五险一金"):
        assert engine_out[col].equals(floor_out[col]), f"engine and floor differ on {col}"

    of_n = args.openfisca_n or args.n
    built = build_openfisca(policy)
    of_df = df.head(of_n)
    inputs = openfisca_inputs(built, of_df)
    t_of, of_out = timed(lambda: run_openfisca(built, inputs), max(1, min(args.repeat, 3)))
    rows.append(("openfisca-core", of_n, t_of))
    eng_head = engine_out.head(of_n)
    assert np.array_equal(of_out["grade"], eng_head["grade"].to_numpy()), "OpenFisca grades differ"  # type: ignore[index]
    assert np.allclose(of_out["total"], eng_head["应发合计"].to_numpy(), atol=0.005), "OpenFisca totals differ"  # type: ignore[index]
    assert np.allclose(of_out["employer"], eng_head["单位五险一金"].to_numpy(), atol=0.005), "OpenFisca benefits differ"  # type: ignore[index]

    us = {name: statistics.median(t) / n * 1e6 for name, n, t in rows}
    best = {name: min(t) / n * 1e6 for name, n, t in rows}
    lines = [
        "| 实现 | 人数 N | 中位数 | 最快一次 | 每人 µs（中位数） | 每人 µs（最快） | 相对下限（中位数） |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    floor_us = us["手写 Polars（下限）"]
    for name, n, t in rows:
        lines.append(f"| {name} | {n:,} | {statistics.median(t) * 1000:,.1f} ms | {min(t) * 1000:,.1f} ms | "
                     f"{us[name]:.3f} | {best[name]:.3f} | {us[name] / floor_us:.2f}× |")
    table = "\n".join(lines)
    print(table)
    print(f"\n引擎 / 下限（中位数） = {us['shequ.rules（引擎）'] / floor_us:.2f}×；OpenFisca / 引擎（每人） = {us['openfisca-core'] / us['shequ.rules（引擎）']:.1f}×")
    print("三者结果一致：等级、应发合计、五险一金逐人相同。")

    if args.write_docs:
        write_docs(table, args, of_n, us, best)


def write_docs(table: str, args: argparse.Namespace, of_n: int, us: dict[str, float], best: dict[str, float]) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cmd = f"uv run python bench/engine_bench.py --n {args.n}" + (f" --openfisca-n {of_n}" if of_n != args.n else "") + f" --repeat {args.repeat} --write-docs"
    note = "" if of_n == args.n else f"\nOpenFisca 在 N = {of_n:,} 上测量（{args.n:,} 人时太慢），表中按每人折算比较。\n"
    section = f"""## Engine

包河（baohe）预置政策：对 {args.n:,} 名合成社区工作者定级（place）并计算月薪酬（pay：四个薪酬项目、应发合计、五险一金）。
同一次运行、同一人群上比较三种实现；三者逐人结果一致（脚本会校验，不一致即失败）。

{table}
{note}
- 目标：每人 ≤ 0.2 µs；快于 OpenFisca；不超过手写 Polars 的 2 倍。
  本次：引擎每人 {us['shequ.rules（引擎）']:.3f} µs（最快一次 {best['shequ.rules（引擎）']:.3f} µs），为下限的 {us['shequ.rules（引擎）'] / us['手写 Polars（下限）']:.2f} 倍，OpenFisca 每人 {us['openfisca-core']:.3f} µs。
- 命令：`{cmd}`
- 机器：{os.cpu_count()} 核（{cpu}），与其他进程共用（运行结束时 1 分钟平均负载 {os.getloadavg()[0]:.1f}）；Python {platform.python_version()}，Polars {pl.__version__}。
- 日期：{dt.date.today().isoformat()}
- 预热一次后，引擎与手写 Polars 交替各运行 {args.repeat} 次（两者经历相同的机器负载），OpenFisca 最多 3 次；
  耗时含从输入表到结果表的全部工作；
  OpenFisca 的输入已预先编码为枚举数组（不计入其耗时），它计算等级与薪酬各变量。
- 计算依据（explain）只对被询问的行生成，不包含在此计时中。
"""
    text = path.read_text(encoding="utf-8") if path.exists() else "# 性能测量（Benchmarks）\n"
    if "## Engine" in text:
        head, _, rest = text.partition("## Engine")
        nxt = rest.find("\n## ")
        text = head + section + (rest[nxt + 1:] if nxt >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text, encoding="utf-8")
    print(f"已写入 {path}")


if __name__ == "__main__":
    main()
