"""计算依据: the Chinese explanation of each number, for the few rows someone asks about.

Explanations re-run the population evaluators on the asked rows (so the numbers are the
same ones the population run produced) and then describe the rule, the inputs, the
parameters with their provenance, and the intermediate values.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import polars as pl

from shequ.rules import vocab
from shequ.rules.assess import RUN_EXCELLENT, RUN_FAILED, RUN_GOOD, _params, assess, runs
from shequ.rules.evaluate import _derived, _env, pay, place, quota
from shequ.rules.formula import Formula, band_value, bands_of, lookups_of, table_is_nested, to_expr
from shequ.rules.policy import (
    BENEFIT_BASE,
    EMPLOYEE_BENEFITS,
    EMPLOYER_BENEFITS,
    PAY_INPUTS,
    QUOTA_INPUTS,
    TOTAL,
    Policy,
)

LABELS = {
    "post": "岗位", "grade": "等级", "education": "学历", "years": "社区工作年限", "certificate": "职业资格",
    "unit_type": "单位类型", "unit_class": "单位类别", "households": "户数", "population": "常住人口",
    "urban_population": "城镇常住人口", "grade_min": "岗位最低等级", "grade_max": "岗位最高等级",
    "category": "人员类别", "sex": "性别", "age": "年龄", "education_rank": "学历序号",
    "certificate_rank": "职业资格序号", "last_tier": "上年考核等次", "last_tier_rank": "上年考核等次序号",
}


def fmt(v: Any) -> str:
    if v is None:
        return "空"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        if v.is_integer():
            return f"{int(v):,}"
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    if isinstance(v, int):
        return f"{v:,}" if abs(v) >= 10000 else str(v)
    return str(v)


def _prov(policy: Policy, name: str, on: dt.date) -> str:
    key = ("prov", name, on)
    if key not in policy._cache:
        policy._cache[key] = _prov_text(policy, name, on)
    return cast(str, policy._cache[key])


def _prov_text(policy: Policy, name: str, on: dt.date) -> str:
    e = policy.entry("params", name, on)
    if e is None:
        return ""
    if e.assumed:
        return f"假定值，自 {e.since.isoformat()} 起"
    return f"来源 {e.source}，自 {e.since.isoformat()} 起"


def _param_lines(policy: Policy, formulas: list[Formula], row: dict[str, Any], on: dt.date) -> list[str]:
    parts: list[str] = []
    seen: set[str] = set()
    for f in formulas:
        for name in sorted(f.names):
            if name in policy.params_entries and name not in seen:
                seen.add(name)
                parts.append(f"{name} = {fmt(policy.value(name, on))}（{_prov(policy, name, on)}）")
        for table, keys in lookups_of(f):
            if table in seen and not keys:
                continue
            t = policy.value(table, on)
            label = table
            if keys and all(k in row for k in keys):
                kv = [row[k] for k in keys]
                val: Any = t
                for k in kv:
                    val = val.get(str(k)) if isinstance(val, dict) else None
                label = f"{table}[{']['.join(fmt(k) for k in kv)}] = {fmt(val) if val is not None else '（表中没有，取缺省值）'}"
            elif not table_is_nested(t):
                label = f"{table} = {{{'，'.join(f'{k}: {fmt(v)}' for k, v in t.items())}}}"
            if label not in seen:
                seen.add(label)
                seen.add(table)
                parts.append(f"{label}（{_prov(policy, table, on)}）")
        for table, arg in bands_of(f):
            t = policy.value(table, on)
            x = row.get(arg) if arg is not None else None
            hit = band_value(t, float(x)) if x is not None else None
            if x is not None and hit is not None:
                label = f"{table}[{fmt(float(x))} 在 {fmt(hit[0])} 以上一档] = {fmt(hit[1])}"
            else:
                label = f"{table} = {{{'，'.join(f'{k} 起: {fmt(v)}' for k, v in t.items())}}}"
            if label not in seen:
                seen.add(label)
                parts.append(f"{label}（{_prov(policy, table, on)}）")
    return [f"参数：{p}" for p in parts]


def _input_line(row: dict[str, Any], names: set[str] | frozenset[str]) -> str | None:
    shown = [f"{LABELS.get(n, n)}={fmt(row[n])}" for n in sorted(names) if n in row]
    return "输入：" + "，".join(shown) if shown else None


def _row_values(policy: Policy, df: pl.DataFrame, on: dt.date) -> list[dict[str, Any]]:
    cols = _derived(policy, df, on)
    extra = {k: v for k, v in cols.items() if k not in df.columns}
    try:
        return df.with_columns([v.alias(k) for k, v in extra.items()]).to_dicts()
    except Exception:  # derived inputs are only for display; never fail an explanation on them
        return df.to_dicts()


def explain(policy: Policy, kind: str, row: pl.DataFrame, on: dt.date | None = None, **kw: Any) -> list[str]:
    """Chinese lines of 计算依据 for a small frame (one row: one explanation)."""
    if row.height > 1000:
        raise ValueError("explain 只用于少量行；整体计算请直接调用 quota/place/pay/assess")
    per_row, when = _per_row(policy, kind, row, on, **kw)
    lines = [_header(policy, when)]
    labels = _labels(row)
    for label, rl in zip(labels, per_row, strict=True):
        if len(per_row) > 1:
            lines.append(f"{'单位' if kind == 'quota' else '人员'}：{label}")
        lines.extend(rl)
    return lines


def explain_rows(policy: Policy, kind: str, rows: pl.DataFrame, on: dt.date | None = None, **kw: Any) -> list[str]:
    """One 计算依据 string per row (lines joined by "；"), computed in one pass, for sheets."""
    per_row, _ = _per_row(policy, kind, rows, on, **kw)
    return ["；".join(rl) for rl in per_row]


def _labels(df: pl.DataFrame) -> list[str]:
    for key in ("name", "unit", "worker_id", "unit_id"):
        if key in df.columns:
            return [str(v) for v in df.get_column(key).to_list()]
    return [str(i + 1) for i in range(df.height)]


def _per_row(policy: Policy, kind: str, rows: pl.DataFrame, on: dt.date | None, **kw: Any) -> tuple[list[list[str]], dt.date | None]:
    if kind == "assess":
        year = kw.get("year") or (on.year if on else None)
        assert year is not None, "assess 的计算依据需要 year"
        return _assess(policy, rows, year=year, results=kw["results"]), dt.date(year, 12, 31)
    assert on is not None, "explain 需要日期 on"
    fn = {"quota": _quota, "place": _place, "pay": _pay}[kind]
    return fn(policy, rows, on), on


def _header(policy: Policy, on: dt.date | None) -> str:
    when = f"，按 {on.isoformat()} 生效的规定" if on else ""
    return f"依据：{policy.name}（{policy.id} {policy.version}，指纹 {policy.digest}）{when}"


def _quota(policy: Policy, units: pl.DataFrame, on: dt.date) -> list[list[str]]:
    out = quota(policy, units, on)
    section = policy.quota_section
    assert section is not None
    rules = policy.formulas["quota"]
    sub = {n: _values(policy, rules[n], units, on, QUOTA_INPUTS, rules) for n in section.rules}
    used = set().union(*(f.names for f in rules.values())) & QUOTA_INPUTS
    result = []
    for i, r in enumerate(out.to_dicts()):
        lines = []
        line = _input_line(r, used | {"unit_type"})
        if line:
            lines.append(line)
        if section.applies_to and r.get("unit_type") not in section.applies_to:
            lines.append(f"单位类型「{r.get('unit_type')}」不在员额规则适用范围（{'、'.join(section.applies_to)}）内，不核定员额")
            result.append(lines)
            continue
        for name, r_ in section.rules.items():
            lines.append(f"{r_.spec or ''} 规则 {name} = {r_.formula} = {fmt(sub[name][i])}".strip())
        lines.extend(_param_lines(policy, list(rules.values()), r, on))
        lines.append(f"{section.spec or ''} 核定员额 = {section.formula} = {fmt(r['quota'])}".strip())
        result.append(lines)
    return result


def _values(policy: Policy, f: Formula, df: pl.DataFrame, on: dt.date, inputs: frozenset[str], others: dict[str, Formula]) -> list[Any]:
    """Values of one formula over a frame, other rules inlined."""
    from shequ.rules.formula import Env

    cols: dict[str, pl.Expr] = {n: pl.col(n).cast(pl.Float64) if n in ("households", "population", "urban_population") else pl.col(n)
                                for n in inputs if n in df.columns}

    def value(name: str) -> pl.Expr:
        if name in cols:
            return cols[name]
        if name in others:
            return to_expr(others[name], env)
        return pl.lit(float(policy.value(name, on)))

    env = Env(value=value, table=lambda n: policy.value(n, on))
    return df.select(to_expr(f, env).alias("v")).get_column("v").to_list()


def _place(policy: Policy, workers: pl.DataFrame, on: dt.date) -> list[list[str]]:
    placed = place(policy, workers, on)
    f = policy.formulas["place"]["grade"]
    section = policy.placement_section
    assert section is not None
    given = workers.get_column("grade").to_list() if "grade" in workers.columns else [None] * workers.height
    base = placed.drop("grade")
    cols = _derived(policy, base, on)
    raws = base.select(to_expr(f, _env(policy, on, cols)).cast(pl.Float64).alias("v")).get_column("v").to_list()
    rows = _row_values(policy, base.with_columns(placed.get_column("grade").alias("__g")), on)
    result = []
    for i, r in enumerate(rows):
        lines = []
        post = policy.post(r["post"])
        if r.get("community_work_start") is not None:
            lines.append(f"社区工作年限：自 {r['community_work_start']} 至 {on.isoformat()} 满 {r['years']} 年")
        prov = "，".join(x for x in (post.spec, f"来源 {post.source}" if post.source else "假定") if x)
        lines.append(f"岗位：{post.name}，等级范围 {post.grade_min}–{post.grade_max} 级（{prov}）")
        if given[i] is not None:
            lines.append(f"等级：表中已给出 {given[i]} 级，沿用")
            result.append(lines)
            continue
        raw = raws[i]
        line = _input_line(r, f.names - {"grade_min", "grade_max"})
        if line:
            lines.append(line)
        lines.extend(_param_lines(policy, [f], r, on))
        lines.append(f"{section.spec or ''} 定级公式：{f.text} = {fmt(raw)}".strip())
        g = r["__g"]
        if raw is not None and (raw < post.grade_min or raw >= post.grade_max + 1):
            lines.append(f"超出岗位等级范围，取 {g} 级（等级不低于 {post.grade_min}、不高于 {post.grade_max}）")
        lines.append(f"等级：{g} 级")
        result.append(lines)
    return result


def _pay(policy: Policy, workers: pl.DataFrame, on: dt.date) -> list[list[str]]:
    pre: list[list[str]] = [[] for _ in range(workers.height)]
    if "grade" not in workers.columns or workers.get_column("grade").null_count() or "years" not in workers.columns:
        pre = _place(policy, workers, on)
        workers = place(policy, workers, on)
    out = pay(policy, workers, on)
    rows = _row_values(policy, out, on)
    b = policy.params(on).benefits
    used: set[str] = set()
    for f in policy.formulas["pay"].values():
        used |= f.names & PAY_INPUTS
    formulas = list(policy.formulas["pay"].values()) + list(policy.formulas.get("floor", {}).values())
    names = policy.component_names()
    items = "，".join(f"{k} 单位 {i.employer:.1%} 个人 {i.employee:.1%}" for k, i in b.items.items())
    result = []
    for i, r in enumerate(rows):
        lines = list(pre[i])
        line = _input_line(r, used | {"post", "grade"})
        if line:
            lines.append(line)
        lines.extend(_param_lines(policy, formulas, r, on))
        for c in policy.components:
            lines.append(f"{c.spec or 'P-COMP'} {c.name} = {c.formula} = {fmt(r[c.name])}")
        if policy.floor is not None:
            ff = policy.formulas["floor"][policy.floor.name]
            lines.append(f"{policy.floor.spec or 'P-FLOOR'} 保底标准 = {ff.text}；低于保底的差额 {policy.floor.name} = {fmt(r[policy.floor.name])}")
        lines.append(f"P-COMP {TOTAL} = {' + '.join(names)} = {fmt(r[TOTAL])}")
        base = r[TOTAL]
        if b.base_floor is not None:
            base = max(base, b.base_floor)
        if b.base_cap is not None:
            base = min(base, b.base_cap)
        lines.append(f"P-BEN {BENEFIT_BASE} = {fmt(base)}（下限 {fmt(b.base_floor)}，上限 {fmt(b.base_cap)}）")
        if items:
            lines.append(f"P-BEN 费率：{items}")
        lines.append(f"P-BEN {EMPLOYER_BENEFITS} = {fmt(r[EMPLOYER_BENEFITS])}，{EMPLOYEE_BENEFITS} = {fmt(r[EMPLOYEE_BENEFITS])}")
        result.append(lines)
    return result


def _assess(policy: Policy, workers: pl.DataFrame, *, year: int, results: pl.DataFrame) -> list[list[str]]:
    a = _params(policy, year)
    out = assess(policy, workers, results, year)
    ids = workers.get_column("worker_id").to_list()
    hist = runs(policy, results.filter(pl.col("worker_id").cast(workers.schema["worker_id"]).is_in(ids)), year)
    by_worker: dict[Any, list[dict[str, Any]]] = {}
    for x in hist.to_dicts():
        by_worker.setdefault(x["worker_id"], []).append(x)
    result = []
    for r in out.to_dicts():
        lines: list[str] = []
        h = by_worker.get(r["worker_id"], [])
        seq = "，".join(f"{x['year']} {x['tier'] or '无等次'}" + (f"（{fmt(x['score'])}分）" if x.get("score") is not None else "") for x in h)
        lines.append(f"A-TIER 考核记录：{seq or '无'}")
        cur = next((x for x in h if x["year"] == year), None)
        if cur is None:
            lines.append(f"{year} 年无考核结果，不作处理")
            result.append(lines)
            continue
        if a.step_every_years:
            n = cur[RUN_GOOD]
            lines.append(f"A-STEP 连续「{a.step_min_tier}」及以上 {n} 年（每满 {a.step_every_years} 年晋升一级，晋升后重新计算）")
            if vocab.ACTIONS[0] not in r["actions"] and n and n % a.step_every_years == 0:
                lines.append(f"已达岗位最高等级 {policy.post(r['post']).grade_max} 级，不再晋升")
        if a.promote_years:
            lines.append(f"A-STEP 连续「{a.promote_tier}」{cur[RUN_EXCELLENT]} 年（满 {a.promote_years} 年优先晋升）")
        if a.dismiss_years:
            lines.append(f"A-STEP 连续「{a.dismiss_tier}」{cur[RUN_FAILED]} 年（满 {a.dismiss_years} 年解聘）")
        if a.last_place_warning:
            lines.append("A-PTS 年度考评末位的约谈提醒" + ("：本人为末位" if vocab.ACTIONS[2] in r["actions"] else "：本人不是末位"))
        lines.append(f"处理：{r['处理']}；等级 {r['grade']} → {r['new_grade']}")
        result.append(lines)
    return result
