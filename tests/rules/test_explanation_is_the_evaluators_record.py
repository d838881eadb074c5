"""计算依据 formats what the evaluators recorded (issue 11.4): its numbers are the evaluator's
numbers for the same rows, and explain.py reads no private part of the engine."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shequ.rules import assess, explain_rows, load_policy, pay, place, quota
from shequ.rules.explain import fmt
from shequ.rules.policy import BENEFIT_BASE, EMPLOYEE_BENEFITS, EMPLOYER_BENEFITS, TOTAL
from shequ.rules.trace import Tracer
from shequ.rules.vocab import CERTIFICATES, EDUCATION, TIERS, UNIT_CLASSES, UNIT_TYPES

PRESETS = ["hunchun", "dalian", "baixiang", "baohe", "tongren"]
POLICIES = {p: load_policy(p) for p in PRESETS}
ON = dt.date(2025, 7, 1)
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

worker = st.fixed_dictionaries({
    "post_i": st.integers(0, 9),
    "education": st.sampled_from(EDUCATION),
    "certificate": st.sampled_from(CERTIFICATES),
    "years": st.integers(0, 45),
    "last_tier": st.one_of(st.none(), st.sampled_from(TIERS)),
})


def roster(policy: Any, rows: list[dict[str, Any]]) -> pl.DataFrame:
    posts = policy.post_names()
    return pl.DataFrame({
        "worker_id": list(range(1, len(rows) + 1)),
        "post": [posts[r["post_i"] % len(posts)] for r in rows],
        "education": [r["education"] for r in rows],
        "certificate": [r["certificate"] for r in rows],
        "community_work_start": [dt.date(ON.year - r["years"], 3, 1) for r in rows],
        "last_tier": [r["last_tier"] for r in rows],
    }, schema_overrides={"last_tier": pl.Utf8})


def line_with(text: str, start: str) -> str:
    return next(part for part in text.split("；") if part.startswith(start))


@pytest.mark.parametrize("preset", PRESETS)
@SETTINGS
@given(rows=st.lists(worker, min_size=1, max_size=12))
def test_every_number_in_a_pay_explanation_is_the_evaluators_number_for_that_worker(preset: str, rows: list[dict[str, Any]]) -> None:
    p = POLICIES[preset]
    df = roster(p, rows)
    paid = pay(p, place(p, df, ON), ON)
    texts = explain_rows(p, "pay", df, ON)
    b = p.params(ON).benefits
    for i, text in enumerate(texts):
        r = paid.row(i, named=True)
        assert f"等级：{r['grade']} 级" in text
        for c in p.components:
            assert line_with(text, f"{c.spec or 'P-COMP'} {c.name} = ").endswith(f" = {fmt(r[c.name])}")
        assert line_with(text, f"P-COMP {TOTAL} = ").endswith(f" = {fmt(r[TOTAL])}")
        base = min(max(r[TOTAL], b.base_floor or r[TOTAL]), b.base_cap or r[TOTAL])
        assert line_with(text, f"P-BEN {BENEFIT_BASE} = ").startswith(f"P-BEN {BENEFIT_BASE} = {fmt(base)}（")
        assert f"{EMPLOYER_BENEFITS} = {fmt(r[EMPLOYER_BENEFITS])}，{EMPLOYEE_BENEFITS} = {fmt(r[EMPLOYEE_BENEFITS])}" in text


units = st.lists(st.fixed_dictionaries({
    "unit_type": st.sampled_from(UNIT_TYPES),
    "unit_class": st.one_of(st.none(), st.sampled_from(UNIT_CLASSES)),
    "households": st.integers(0, 20000),
    "urban_population": st.integers(0, 200000),
}), min_size=1, max_size=12)


@pytest.mark.parametrize("preset", [p for p in PRESETS if POLICIES[p].quota_section is not None])
@SETTINGS
@given(rows=units)
def test_the_quota_in_an_explanation_is_the_evaluators_quota_for_that_unit(preset: str, rows: list[dict[str, Any]]) -> None:
    p = POLICIES[preset]
    df = pl.DataFrame(rows, schema_overrides={"unit_class": pl.Utf8}).with_columns(population=pl.col("urban_population"))
    out = quota(p, df, ON)
    for i, text in enumerate(explain_rows(p, "quota", df, ON)):
        q = out["quota"][i]
        if q is None:
            assert "不核定员额" in text
        else:
            assert line_with(text, f"{p.quota_section.spec or ''} 核定员额 = ".strip()).endswith(f" = {fmt(q)}")


@pytest.mark.parametrize("preset", ["baohe", "hunchun", "dalian"])
@SETTINGS
@given(tiers=st.lists(st.lists(st.sampled_from(TIERS), min_size=1, max_size=4), min_size=1, max_size=6))
def test_the_consequence_in_an_assessment_explanation_is_the_evaluators(preset: str, tiers: list[list[str]]) -> None:
    p = POLICIES[preset]
    post = p.post_names()[0]
    workers = pl.DataFrame({"worker_id": list(range(1, len(tiers) + 1)), "post": [post] * len(tiers),
                            "grade": [p.post(post).grade_min] * len(tiers)})
    results = pl.DataFrame([{"worker_id": w + 1, "year": 2024 - len(ts) + 1 + k, "tier": t}
                            for w, ts in enumerate(tiers) for k, t in enumerate(ts)])
    out = assess(p, workers, results, 2024)
    for i, text in enumerate(explain_rows(p, "assess", workers, year=2024, results=results)):
        r = out.row(i, named=True)
        assert f"处理：{r['处理']}；等级 {r['grade']} → {r['new_grade']}" in text


def test_a_tracer_records_each_parameter_read_with_its_provenance_and_the_benefit_base() -> None:
    p = POLICIES["hunchun"]
    tracer = Tracer()
    df = roster(p, [{"post_i": 0, "education": "本科", "certificate": "无", "years": 6, "last_tier": None}])
    out = pay(p, place(p, df, ON), ON, tracer=tracer)
    step = tracer["pay"]
    anchor = step.params["anchor_pay"]
    assert anchor.value == p.value("anchor_pay", ON) and anchor.source == p.entry("params", "anchor_pay", ON).source
    assert "anchor_pay" in next(ft for ft in step.formulas if ft.name == "级别工资").params
    b = p.params(ON).benefits
    assert step.column(f"rule:{BENEFIT_BASE}")[0] == max(out[TOTAL][0], b.base_floor or 0)
    assert not [c for c in out.columns if c.startswith("__shequ")]


def test_the_traced_run_returns_exactly_what_the_untraced_run_returns() -> None:
    for p in POLICIES.values():
        df = roster(p, [{"post_i": i, "education": EDUCATION[i % len(EDUCATION)], "certificate": CERTIFICATES[i % len(CERTIFICATES)],
                         "years": 3 * i, "last_tier": TIERS[i % len(TIERS)]} for i in range(8)])
        placed = place(p, df, ON)
        assert place(p, df, ON, tracer=Tracer()).equals(placed)
        assert pay(p, placed, ON, tracer=Tracer()).equals(pay(p, placed, ON))


def test_explain_imports_no_private_name_of_the_engine_and_touches_no_private_attribute() -> None:
    module = importlib.import_module("shequ.rules.explain")  # the package re-exports a function of that name
    tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
    private_imports = [a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names if a.name.startswith("_")]
    private_attrs = [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
                     and n.attr.startswith("_") and not n.attr.startswith("__")]
    assert private_imports == [] and private_attrs == []
