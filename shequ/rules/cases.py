"""Policy cases as data (like OpenFisca's YAML tests): inputs → expected outputs.

A case file is TOML with a `[[cases]]` list; each case is titled as a sentence naming its
SPEC id. Kinds: quota, quota_use, place, pay, pay_summary, assess, params, retirement, exam, dispatch, training
(`results` holds the trainings), certification, conversion, post_change.
`expect_error` turns a case into "this must be refused with this message".
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from shequ.rules.assess import assess
from shequ.rules.entry import (
    conversion_eligible,
    dispatch_conversion,
    exam_rank,
    post_change,
    retirement,
)
from shequ.rules.errors import PolicyError
from shequ.rules.evaluate import pay, pay_summary, place, quota, quota_use
from shequ.rules.explain import explain
from shequ.rules.growth import certification_due, training_due
from shequ.rules.policy import Policy, load_policy

CASES_DIR = Path(__file__).resolve().parents[2] / "policies" / "cases"
KINDS = {"quota", "quota_use", "place", "pay", "pay_summary", "assess", "params", "retirement", "exam", "dispatch", "training", "certification", "conversion", "post_change"}


@dataclass
class Case:
    name: str
    kind: str
    policy: str
    on: dt.date | None = None
    year: int | None = None
    input: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    expect: Any = None
    expect_error: str | None = None
    explain_contains: list[str] = field(default_factory=list)
    file: str = ""


def load_cases(path: str | Path) -> list[Case]:
    path = Path(path)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    default_policy = data.get("policy", path.stem)
    out = []
    for i, c in enumerate(data.get("cases", [])):
        kind = c.get("kind")
        if kind not in KINDS:
            raise ValueError(f"{path} 第 {i + 1} 个用例：未知类型 {kind!r}")
        out.append(Case(name=c["name"], kind=kind, policy=c.get("policy", default_policy), on=c.get("on"),
                        year=c.get("year"), input=c.get("input", []), results=c.get("results", []),
                        expect=c.get("expect"), expect_error=c.get("expect_error"),
                        explain_contains=c.get("explain_contains", []), file=str(path)))
    return out


def all_cases(directory: Path = CASES_DIR) -> list[Case]:
    return [c for p in sorted(directory.glob("*.toml")) for c in load_cases(p)]


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    cols = sorted({k for r in rows for k in r}, key=lambda k: next(i for i, r in enumerate(rows) if k in r))
    data = {k: [r.get(k) for r in rows] for k in cols}
    if "worker_id" not in data and rows:
        data = {"worker_id": list(range(1, len(rows) + 1)), **data}
    return pl.DataFrame(data, strict=False)


NULL = "空"  # TOML has no null; an expected "空" means "no value"


def _same(actual: Any, expected: Any) -> bool:
    if expected == NULL:
        return actual is None
    if isinstance(expected, float) or isinstance(actual, float):
        return actual is not None and expected is not None and math.isclose(float(actual), float(expected), abs_tol=0.005)
    return bool(actual == expected)


def _compare_rows(out: pl.DataFrame, expect: list[dict[str, Any]]) -> list[str]:
    problems = []
    rows = out.to_dicts()
    if len(rows) != len(expect):
        return [f"行数：期望 {len(expect)}，实际 {len(rows)}"]
    for i, (row, want) in enumerate(zip(rows, expect, strict=True)):
        for k, v in want.items():
            if k not in row:
                problems.append(f"第 {i + 1} 行缺少输出列 {k}")
            elif not _same(row[k], v):
                problems.append(f"第 {i + 1} 行 {k}：期望 {v!r}，实际 {row[k]!r}")
    return problems


def _resolve(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return obj


def run_case(case: Case, policy: Policy | None = None) -> None:
    """Run one case; raise AssertionError listing every difference."""
    policy = policy or load_policy(case.policy)
    on = case.on or (dt.date(case.year, 12, 31) if case.year else dt.date.today())
    try:
        out, kind = _evaluate(case, policy, on)
    except PolicyError as exc:
        if case.expect_error and case.expect_error in str(exc):
            return
        raise AssertionError(f"{case.name}: 意外错误 {exc}") from exc
    if case.expect_error:
        raise AssertionError(f"{case.name}: 期望报错「{case.expect_error}」，却算出了结果")
    problems: list[str] = []
    if isinstance(out, pl.DataFrame):
        problems = _compare_rows(out, case.expect or [])
    else:
        for k, v in (case.expect or {}).items():
            actual = _resolve(out, k)
            if not _same(actual, v):
                problems.append(f"{k}：期望 {v!r}，实际 {actual!r}")
    if case.explain_contains:
        rows = _frame(case.input)
        kw: dict[str, Any] = {}
        if kind == "assess":
            kw = {"results": _frame(case.results), "year": case.year}
        text = "\n".join(explain(policy, kind, rows, on, **kw))
        for want in case.explain_contains:
            if want not in text:
                problems.append(f"计算依据中没有「{want}」：\n{text}")
    if problems:
        raise AssertionError(f"{case.name} ({case.file}):\n  " + "\n  ".join(problems))


def _evaluate(case: Case, policy: Policy, on: dt.date) -> tuple[Any, str]:
    rows = _frame(case.input) if case.input else pl.DataFrame()
    if case.kind == "quota":
        return quota(policy, rows, on), "quota"
    if case.kind == "quota_use":
        return quota_use(policy, rows, on), "quota"
    if case.kind == "place":
        return place(policy, rows, on), "place"
    if case.kind == "pay":
        if "grade" not in rows.columns or rows.get_column("grade").null_count() or "years" not in rows.columns:
            rows = place(policy, rows, on)
        return pay(policy, rows, on), "pay"
    if case.kind == "pay_summary":
        if "years" not in rows.columns:
            rows = place(policy, rows, on)
        return pay_summary(pay(policy, rows, on)), "pay"
    if case.kind == "assess":
        assert case.year is not None, "assess 用例需要 year"
        return assess(policy, rows, _frame(case.results), case.year), "assess"
    if case.kind == "params":
        return policy.params(on), "params"
    if case.kind == "retirement":
        return retirement(policy, rows, on), "retirement"
    if case.kind == "exam":
        return exam_rank(policy, rows, on), "exam"
    if case.kind == "training":
        return training_due(policy, rows, _frame(case.results), on), "training"
    if case.kind == "certification":
        return certification_due(policy, rows, on), "certification"
    if case.kind == "post_change":
        return post_change(policy, rows), "post_change"
    if case.kind == "conversion":
        return conversion_eligible(policy, rows, on), "conversion"
    if case.kind == "dispatch":
        return dispatch_conversion(policy, rows, on), "dispatch"
    raise AssertionError(f"未知用例类型 {case.kind}")
