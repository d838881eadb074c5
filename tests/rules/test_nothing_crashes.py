"""Nothing crashes (issue 17.3): generated rosters, result sheets and policies derived from
every shipped preset run through quota, place, pay and assess, or are refused with the
app's Chinese PolicyError; the CLI answers any input file with a Chinese message and a
non-zero exit, never a traceback."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shequ.cli import INTERNAL_ERROR, main
from shequ.rules import PolicyError, assess, load_policy, load_policy_text, pay, place, quota
from shequ.rules.loader import PRESETS_DIR
from shequ.rules.vocab import (
    CATEGORIES,
    CERTIFICATES,
    EDUCATION,
    SEXES,
    TIER_ALIASES,
    TIERS,
    UNIT_CLASSES,
    UNIT_TYPES,
)

PRESETS = ["hunchun", "dalian", "baixiang", "baohe", "tongren"]
ON = dt.date(2025, 7, 1)
CJK = re.compile(r"[\u4e00-\u9fff]")
SETTINGS = settings(max_examples=int(os.environ.get("SHEQU_HYPOTHESIS_EXAMPLES", "25")), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

odd_word = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6)


def maybe(values: Any, *, none: bool = True) -> st.SearchStrategy[Any]:
    options = [st.sampled_from(list(values)), odd_word]
    return st.one_of(*options, st.none()) if none else st.one_of(*options)


roster_row = st.fixed_dictionaries({
    "post_i": st.integers(0, 9), "odd_post": st.one_of(st.none(), st.none(), st.none(), st.none(), odd_word),
    "education": maybe(EDUCATION), "certificate": maybe(CERTIFICATES),
    "category": maybe(CATEGORIES), "sex": maybe(SEXES),
    "start": st.one_of(st.none(), st.dates(dt.date(1960, 1, 1), dt.date(2030, 12, 31))),
    "birth": st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2010, 12, 31))),
    "grade": st.one_of(st.none(), st.integers(-3, 40)),
    "last_tier": maybe([*TIERS, *TIER_ALIASES]),
})
unit_row = st.fixed_dictionaries({
    "unit_type": maybe(UNIT_TYPES, none=False), "unit_class": maybe(UNIT_CLASSES),
    "households": st.one_of(st.none(), st.integers(-100, 10**7)),
    "urban_population": st.one_of(st.none(), st.integers(-100, 10**8)),
})
result_row = st.fixed_dictionaries({
    "worker": st.integers(1, 8), "year": st.integers(2018, 2026),
    "tier": maybe([*TIERS, *TIER_ALIASES]), "score": st.one_of(st.none(), st.floats(-50, 150, allow_nan=False)),
})


def _number_params(preset: str) -> dict[str, Any]:
    data = tomllib.loads((PRESETS_DIR / f"{preset}.toml").read_text(encoding="utf-8"))
    return {k: v for k, v in data.get("params", {}).items() if isinstance(v, dict)}


def _toml_value(v: Any) -> str:
    if isinstance(v, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml_value(x)}' for k, x in v.items()) + " }"
    return repr(float(v)) if isinstance(v, float) else str(v)


@st.composite
def derived_policy(draw: st.DrawFn, preset: str) -> str:
    """A child of the preset with some values changed (any number, any tier)."""
    base = load_policy(preset)
    lines = ["[policy]", f'id = "{preset}-x"', 'name = "变更测试"', 'source = "测试"', 'version = "0"',
             f'extends = "{preset}"', "since = 2000-01-01", ""]
    for name, entries in base.params_entries.items():
        if not draw(st.booleans()):
            continue
        value = entries[-1].value
        number = st.one_of(st.integers(-5, 5000), st.floats(-1e4, 1e5, allow_nan=False, allow_infinity=False))
        new = {k: ({k2: draw(number) for k2 in v} if isinstance(v, dict) else draw(number)) for k, v in value.items()} \
            if isinstance(value, dict) else draw(number)
        lines += [f"[params.{name}]", "assumed = true", f"value = {_toml_value(new)}", ""]
    if draw(st.booleans()):
        lines += ["[assessment]", "assumed = true",
                  f"step_every_years = {draw(st.integers(1, 4))}",
                  f'step_min_tier = "{draw(st.sampled_from([*TIERS, "良好"]))}"',
                  f"dismiss_years = {draw(st.integers(1, 3))}", ""]
    if draw(st.booleans()):
        lo = draw(st.integers(0, 20000))
        lines += ["[benefits]", "assumed = true", f"base_floor = {lo}", f"base_cap = {lo + draw(st.integers(-5000, 20000))}", ""]
    return "\n".join(lines)


def runs_or_refuses_in_chinese(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except PolicyError as exc:
        assert CJK.search(str(exc)), str(exc)
        return None


def roster(policy: Any, rows: list[dict[str, Any]]) -> pl.DataFrame:
    posts = policy.post_names()
    return pl.DataFrame({
        "worker_id": list(range(1, len(rows) + 1)),
        "post": [r["odd_post"] if r["odd_post"] is not None else posts[r["post_i"] % len(posts)] for r in rows],
        "education": [r["education"] for r in rows], "certificate": [r["certificate"] for r in rows],
        "category": [r["category"] for r in rows], "sex": [r["sex"] for r in rows],
        "community_work_start": [r["start"] for r in rows], "birth_date": [r["birth"] for r in rows],
        "last_tier": [r["last_tier"] for r in rows],
    }, schema_overrides={k: pl.Utf8 for k in ("education", "certificate", "category", "sex", "last_tier", "post")})


@pytest.mark.parametrize("preset", PRESETS)
@SETTINGS
@given(data=st.data(), rows=st.lists(roster_row, min_size=1, max_size=8), units=st.lists(unit_row, min_size=1, max_size=8),
       results=st.lists(result_row, max_size=20))
def test_a_derived_policy_runs_every_evaluator_or_is_refused_in_chinese(preset: str, data: st.DataObject, rows: list[dict[str, Any]],
                                                                       units: list[dict[str, Any]], results: list[dict[str, Any]]) -> None:
    text = data.draw(derived_policy(preset))
    policy = runs_or_refuses_in_chinese(lambda: load_policy_text(text, name="变更.toml"))
    if policy is None:
        return
    u = pl.DataFrame(units, schema_overrides={"unit_class": pl.Utf8, "unit_type": pl.Utf8, "households": pl.Int64,
                                              "urban_population": pl.Int64}).with_columns(population=pl.col("urban_population"))
    if policy.quota_section is not None:
        runs_or_refuses_in_chinese(lambda: quota(policy, u, ON))
    w = roster(policy, rows)
    placed = runs_or_refuses_in_chinese(lambda: place(policy, w, ON))
    runs_or_refuses_in_chinese(lambda: pay(policy, placed if placed is not None else w.with_columns(grade=pl.lit(1)), ON))
    graded = w.with_columns(grade=pl.Series([r["grade"] for r in rows], dtype=pl.Int64))
    r = pl.DataFrame({"worker_id": [x["worker"] for x in results], "year": [x["year"] for x in results],
                      "tier": [x["tier"] for x in results], "score": [x["score"] for x in results]},
                     schema={"worker_id": pl.Int64, "year": pl.Int64, "tier": pl.Utf8, "score": pl.Float64})
    runs_or_refuses_in_chinese(lambda: assess(policy, graded, r, 2024))


def run_cli(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse exits on bad arguments
            code = int(exc.code or 0)
    return code, err.getvalue()


file_bytes = st.one_of(
    st.binary(max_size=400),
    st.just(b""),
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    st.text(max_size=200).map(lambda t: t.encode("gbk", errors="replace")),
    st.lists(st.lists(st.text(alphabet="姓名身份证号岗位学历主办本科2018-01-01,\"\r\n\t 0123456789X", max_size=12), max_size=6), max_size=6)
    .map(lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8")),
)


@SETTINGS
@given(content=file_bytes, suffix=st.sampled_from([".csv", ".xlsx", ".toml"]),
       command=st.sampled_from(["place", "quota", "assess", "check"]))
def test_the_cli_answers_any_input_file_in_chinese_without_a_traceback(tmp_path: Path, content: bytes, suffix: str, command: str) -> None:
    f = tmp_path / f"输入{suffix}"
    f.write_bytes(content)
    out = str(tmp_path / "out.csv")
    argv = {
        "place": ["place", "--policy", "baohe", "--roster", str(f), "-o", out],
        "quota": ["quota", "--policy", "baohe", "--units", str(f), "-o", out],
        "assess": ["assess", "--policy", "baohe", "--roster", str(f), "--results", str(f), "--year", "2024", "-o", out],
        "check": ["policy", "check", str(f)],
    }[command]
    code, err = run_cli(*argv)
    assert "Traceback" not in err and INTERNAL_ERROR not in err, err
    if code != 0:
        assert CJK.search(err), err
    assert str(PRESETS_DIR) not in err  # the server's own paths are never shown


def test_a_huge_file_is_answered_not_crashed(tmp_path: Path) -> None:
    f = tmp_path / "大.csv"
    f.write_bytes(b"\xff\xfe" + b"x" * 3_000_000)
    code, err = run_cli("place", "--policy", "baohe", "--roster", str(f), "-o", str(tmp_path / "o.csv"))
    assert code != 0 and CJK.search(err) and "Traceback" not in err and INTERNAL_ERROR not in err


def test_a_parameter_set_to_zero_is_refused_naming_the_rule_not_a_polars_cast_error() -> None:
    head = '[policy]\nid = "z"\nname = "零"\nsource = "x"\nversion = "1"\nextends = "hunchun"\nsince = 2000-01-01\n'
    zero = load_policy_text(head + "\n[params.hc_step]\nassumed = true\nvalue = 0\n\n[params.years_per_grade]\nassumed = true\nvalue = 0\n")
    units = pl.DataFrame({"unit": ["河南社区"], "unit_type": ["城市社区"], "households": [4100], "population": [9800]})
    with pytest.raises(PolicyError) as exc:
        quota(zero, units, ON)
    assert "「员额规则」算不出有限的数" in str(exc.value) and "河南社区" in str(exc.value)
    w = pl.DataFrame({"worker_id": [7], "post": ["正职"], "education": ["本科"], "certificate": ["无"],
                      "community_work_start": [dt.date(2010, 1, 1)]})
    with pytest.raises(PolicyError) as exc:
        place(zero, w, ON)
    assert "「定级公式」算不出有限的数：第 1 行（7）" in str(exc.value)
