"""计算依据: the Chinese explanation of each number, for the few rows someone asks about.

Explanations run the population evaluators on the asked rows with a ``Tracer`` and only
format what it recorded: the inputs the formulas read, every parameter with its
provenance, each lookup's key and value, and the intermediate values. Nothing here
computes a number of its own, so the explanation cannot drift from the evaluator.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from shequ.rules import vocab
from shequ.rules.assess import RUN_EXCELLENT, RUN_FAILED, RUN_GOOD, assess
from shequ.rules.evaluate import pay, place, quota
from shequ.rules.formula import band_value, table_is_nested
from shequ.rules.policy import (
    BENEFIT_BASE,
    EMPLOYEE_BENEFITS,
    EMPLOYER_BENEFITS,
    TOTAL,
    Policy,
)
from shequ.rules.trace import Step, Tracer

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


def _as_written(value: Any, table: Any) -> Any:
    """A found lookup value as the table writes it (whole numbers stay whole numbers)."""
    if isinstance(value, float) and value.is_integer() and isinstance(table, dict):
        leaves = [x for v in table.values() for x in (v.values() if isinstance(v, dict) else [v])]
        if leaves and all(isinstance(x, int) and not isinstance(x, bool) for x in leaves):
            return int(value)
    return value


def _param_lines(step: Step, order: list[str], i: int) -> list[str]:
    """Every parameter and table the evaluator read for row i, with its provenance."""
    parts: list[str] = []
    seen: set[str] = set()
    rank = {n: k for k, n in enumerate(order)}
    for ft in sorted(step.formulas, key=lambda ft: rank.get(ft.name, len(rank))):
        for name in sorted(ft.params):
            if name not in seen:
                seen.add(name)
                p = step.params[name]
                parts.append(f"{name} = {fmt(p.value)}（{p.provenance}）")
        for lk in ft.lookups:
            if lk.table in seen and not lk.keys:
                continue
            read = step.params[lk.table]
            t = read.value
            label = lk.table
            is_band = f"band({lk.table}" in ft.formula.text.replace(" ", "")
            if lk.keys and is_band:
                x = step.values(lk.key_columns[0])[i]
                hit = band_value(t, float(x)) if x is not None and isinstance(t, dict) else None
                label = (f"{lk.table}[{fmt(float(x))} 在 {fmt(hit[0])} 以上一档] = {fmt(hit[1])}" if hit is not None
                         else f"{lk.table}[{fmt(x)}] = （低于最低一档，取缺省值）")
            elif lk.keys:
                kv = [step.values(c)[i] for c in lk.key_columns]
                val = step.values(lk.value_column)[i]
                label = f"{lk.table}[{']['.join(fmt(k) for k in kv)}] = {fmt(_as_written(val, t)) if val is not None else '（表中没有，取缺省值）'}"
            elif isinstance(t, dict) and not table_is_nested(t):
                label = f"{lk.table} = {{{'，'.join(f'{k}: {fmt(v)}' for k, v in t.items())}}}"
            if label not in seen:
                seen.add(label)
                seen.add(lk.table)
                parts.append(f"{label}（{read.provenance}）")
    return [f"参数：{p}" for p in parts]


def _input_line(row: dict[str, Any], names: set[str] | frozenset[str]) -> str | None:
    shown = [f"{LABELS.get(n, n)}={fmt(row[n])}" for n in sorted(names) if n in row]
    return "输入：" + "，".join(shown) if shown else None


def _rows(step: Step, out: pl.DataFrame) -> list[dict[str, Any]]:
    """The output rows with the inputs the engine derived for them (as traced)."""
    rows = out.to_dicts()
    derived = {role.removeprefix("input:"): step.column(role) for role in step.columns if role.startswith("input:")}
    for i, r in enumerate(rows):
        for name, values in derived.items():
            r.setdefault(name, values[i])
    return rows


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
    tracer = Tracer()
    out = quota(policy, units, on, tracer=tracer)
    step = tracer["quota"]
    section = policy.quota_section
    assert section is not None
    result = []
    for i, r in enumerate(out.to_dicts()):
        lines = []
        line = _input_line(r, step.inputs)
        if line:
            lines.append(line)
        if section.applies_to and r.get("unit_type") not in section.applies_to:
            lines.append(f"单位类型「{r.get('unit_type')}」不在员额规则适用范围（{'、'.join(section.applies_to)}）内，不核定员额")
            result.append(lines)
            continue
        for name, r_ in section.rules.items():
            lines.append(f"{r_.spec or ''} 规则 {name} = {r_.formula} = {fmt(step.column(f'rule:{name}')[i])}".strip())
        lines.extend(_param_lines(step, list(policy.formulas["quota"]), i))
        lines.append(f"{section.spec or ''} 核定员额 = {section.formula} = {fmt(r['quota'])}".strip())
        result.append(lines)
    return result


def _place_lines(policy: Policy, step: Step, placed: pl.DataFrame, given: list[Any]) -> list[list[str]]:
    section = policy.placement_section
    assert section is not None
    f = policy.formulas["place"]["grade"]
    raws = step.column("rule:grade")
    result = []
    for i, r in enumerate(_rows(step, placed)):
        lines = []
        post = policy.post(r["post"])
        if r.get("community_work_start") is not None:
            lines.append(f"社区工作年限：自 {r['community_work_start']} 至 {step.on.isoformat()} 满 {r['years']} 年")
        prov = "，".join(x for x in (post.spec, f"来源 {post.source}" if post.source else "假定") if x)
        lines.append(f"岗位：{post.name}，等级范围 {post.grade_min}–{post.grade_max} 级（{prov}）")
        if given[i] is not None:
            lines.append(f"等级：表中已给出 {given[i]} 级，沿用")
            result.append(lines)
            continue
        raw = raws[i]
        line = _input_line(r, step.inputs - {"grade_min", "grade_max"})
        if line:
            lines.append(line)
        lines.extend(_param_lines(step, ["grade"], i))
        lines.append(f"{section.spec or ''} 定级公式：{f.text} = {fmt(raw)}".strip())
        g = r["grade"]
        if raw is not None and (raw < post.grade_min or raw >= post.grade_max + 1):
            lines.append(f"超出岗位等级范围，取 {g} 级（等级不低于 {post.grade_min}、不高于 {post.grade_max}）")
        lines.append(f"等级：{g} 级")
        result.append(lines)
    return result


def _given_grades(workers: pl.DataFrame) -> list[Any]:
    return workers.get_column("grade").to_list() if "grade" in workers.columns else [None] * workers.height


def _place(policy: Policy, workers: pl.DataFrame, on: dt.date) -> list[list[str]]:
    tracer = Tracer()
    placed = place(policy, workers, on, tracer=tracer)
    return _place_lines(policy, tracer["place"], placed, _given_grades(workers))


def _pay(policy: Policy, workers: pl.DataFrame, on: dt.date) -> list[list[str]]:
    tracer = Tracer()
    pre: list[list[str]] = [[] for _ in range(workers.height)]
    if "grade" not in workers.columns or workers.get_column("grade").null_count() or "years" not in workers.columns:
        placed = place(policy, workers, on, tracer=tracer)
        pre = _place_lines(policy, tracer["place"], placed, _given_grades(workers))
        workers = placed
    out = pay(policy, workers, on, tracer=tracer)
    step = tracer["pay"]
    b = step.extra["benefits"]
    order = [*policy.formulas["pay"], *policy.formulas.get("floor", {})]
    names = policy.component_names()
    items = "，".join(f"{k} 单位 {i.employer:.1%} 个人 {i.employee:.1%}" for k, i in b.items.items())
    bases = step.column(f"rule:{BENEFIT_BASE}")
    result = []
    for i, r in enumerate(_rows(step, out)):
        lines = list(pre[i])
        line = _input_line(r, step.inputs | {"post", "grade"})
        if line:
            lines.append(line)
        lines.extend(_param_lines(step, order, i))
        for c in policy.components:
            lines.append(f"{c.spec or 'P-COMP'} {c.name} = {c.formula} = {fmt(r[c.name])}")
        if policy.floor is not None:
            ff = policy.formulas["floor"][policy.floor.name]
            lines.append(f"{policy.floor.spec or 'P-FLOOR'} 保底标准 = {ff.text}；低于保底的差额 {policy.floor.name} = {fmt(r[policy.floor.name])}")
        lines.append(f"P-COMP {TOTAL} = {' + '.join(names)} = {fmt(r[TOTAL])}")
        lines.append(f"P-BEN {BENEFIT_BASE} = {fmt(bases[i])}（下限 {fmt(b.base_floor)}，上限 {fmt(b.base_cap)}）")
        if items:
            lines.append(f"P-BEN 费率：{items}")
        lines.append(f"P-BEN {EMPLOYER_BENEFITS} = {fmt(r[EMPLOYER_BENEFITS])}，{EMPLOYEE_BENEFITS} = {fmt(r[EMPLOYEE_BENEFITS])}")
        result.append(lines)
    return result


def _assess(policy: Policy, workers: pl.DataFrame, *, year: int, results: pl.DataFrame) -> list[list[str]]:
    tracer = Tracer()
    out = assess(policy, workers, results, year, tracer=tracer)
    step = tracer["assess"]
    a = step.extra["assessment"]
    by_worker: dict[Any, list[dict[str, Any]]] = {}
    for x in step.extra["history"].to_dicts():
        by_worker.setdefault(x["worker_id"], []).append(x)
    good, excellent, failed = (step.column(f"rule:{n}") for n in (RUN_GOOD, RUN_EXCELLENT, RUN_FAILED))
    tops = step.column("input:grade_max")
    result = []
    for i, r in enumerate(out.to_dicts()):
        lines: list[str] = []
        h = by_worker.get(r["worker_id"], [])
        seq = "，".join(f"{x['year']} {x['tier'] or '无等次'}" + (f"（{fmt(x['score'])}分）" if x.get("score") is not None else "") for x in h)
        lines.append(f"A-TIER 考核记录：{seq or '无'}")
        if not any(x["year"] == year for x in h):
            lines.append(f"{year} 年无考核结果，不作处理")
            result.append(lines)
            continue
        if a.step_every_years:
            n = good[i]
            lines.append(f"A-STEP 连续「{a.step_min_tier}」及以上 {n} 年（每满 {a.step_every_years} 年晋升一级，晋升后重新计算）")
            if vocab.ACTIONS[0] not in r["actions"] and n and n % a.step_every_years == 0:
                lines.append(f"已达岗位最高等级 {tops[i]} 级，不再晋升")
        if a.promote_years:
            lines.append(f"A-STEP 连续「{a.promote_tier}」{excellent[i]} 年（满 {a.promote_years} 年优先晋升）")
        if a.dismiss_years:
            lines.append(f"A-STEP 连续「{a.dismiss_tier}」{failed[i]} 年（满 {a.dismiss_years} 年解聘）")
        if a.last_place_warning:
            lines.append("A-PTS 年度考评末位的约谈提醒" + ("：本人为末位" if vocab.ACTIONS[2] in r["actions"] else "：本人不是末位"))
        lines.append(f"处理：{r['处理']}；等级 {r['grade']} → {r['new_grade']}")
        result.append(lines)
    return result
