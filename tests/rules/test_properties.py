"""Properties every preset must keep (hypothesis), checked on whole generated frames."""

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shequ.rules import load_policy, pay, place, quota
from shequ.rules.vocab import CERTIFICATES, EDUCATION, TIERS

PRESETS = ["hunchun", "dalian", "baixiang", "baohe", "tongren"]
POLICIES = {p: load_policy(p) for p in PRESETS}
ON = dt.date(2025, 7, 1)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

worker = st.fixed_dictionaries({
    "post_i": st.integers(0, 4),
    "education": st.sampled_from(EDUCATION),
    "certificate": st.sampled_from(CERTIFICATES),
    "years": st.integers(0, 45),
    "extra": st.integers(0, 10),
    "last_tier": st.one_of(st.none(), st.sampled_from(TIERS)),
})


def frame(policy, rows, years_key="years"):
    posts = policy.post_names()
    return pl.DataFrame({
        "worker_id": list(range(len(rows))),
        "post": [posts[r["post_i"] % len(posts)] for r in rows],
        "education": [r["education"] for r in rows],
        "certificate": [r["certificate"] for r in rows],
        "community_work_start": [dt.date(ON.year - r[years_key], 1, 1) for r in rows],
        "last_tier": [r["last_tier"] for r in rows],
    }, schema_overrides={"last_tier": pl.Utf8})


@pytest.mark.parametrize("preset", PRESETS)
@SETTINGS
@given(rows=st.lists(worker, min_size=1, max_size=40))
def test_a_placed_grade_stays_within_its_post_range(preset, rows):
    p = POLICIES[preset]
    out = place(p, frame(p, rows), ON)
    for post, grade in zip(out["post"], out["grade"], strict=True):
        assert p.post(post).grade_min <= grade <= p.post(post).grade_max


@pytest.mark.parametrize("preset", PRESETS)
@SETTINGS
@given(rows=st.lists(worker, min_size=1, max_size=40))
def test_grade_never_falls_with_more_years(preset, rows):
    p = POLICIES[preset]
    more = [{**r, "more": r["years"] + r["extra"]} for r in rows]
    a = place(p, frame(p, more, "years"), ON)["grade"]
    b = place(p, frame(p, more, "more"), ON)["grade"]
    assert (a <= b).all()


@pytest.mark.parametrize("preset", PRESETS)
@SETTINGS
@given(rows=st.lists(worker, min_size=1, max_size=40), step=st.integers(1, 6))
def test_grade_never_falls_with_more_education(preset, rows, step):
    p = POLICIES[preset]
    lower = frame(p, rows)
    higher = lower.with_columns(pl.col("education").replace_strict(
        list(EDUCATION), [EDUCATION[min(i + step, len(EDUCATION) - 1)] for i in range(len(EDUCATION))]))
    assert (place(p, lower, ON)["grade"] <= place(p, higher, ON)["grade"]).all()


@pytest.mark.parametrize("preset", PRESETS)
@SETTINGS
@given(rows=st.lists(worker, min_size=1, max_size=40), up=st.integers(1, 10))
def test_pay_never_falls_with_a_higher_grade(preset, rows, up):
    p = POLICIES[preset]
    placed = place(p, frame(p, rows), ON)
    top = pl.col("post").replace_strict(p.post_names(), [p.post(n).grade_max for n in p.post_names()], return_dtype=pl.Int64)
    higher = placed.with_columns(pl.min_horizontal(pl.col("grade") + up, top).alias("grade"))
    assert (pay(p, placed, ON)["应发合计"] <= pay(p, higher, ON)["应发合计"]).all()


units = st.lists(st.fixed_dictionaries({
    "unit_type": st.sampled_from(["城市社区", "村改社区", "行政村", "乡镇社区", "街道机关", "区县"]),
    "unit_class": st.one_of(st.none(), st.sampled_from(["一类", "二类", "三类"])),
    "households": st.integers(0, 20000),
    "urban_population": st.integers(0, 200000),
    "more": st.integers(0, 5000),
}), min_size=1, max_size=40)


@pytest.mark.parametrize("preset", PRESETS)
@SETTINGS
@given(rows=units)
def test_quota_never_falls_with_more_households_or_people(preset, rows):
    p = POLICIES[preset]
    if p.quota_section is None:
        return
    base = pl.DataFrame(rows, schema_overrides={"unit_class": pl.Utf8}).with_columns(population=pl.col("urban_population"))
    grown = base.with_columns(
        (pl.col("households") + pl.col("more")).alias("households"),
        (pl.col("urban_population") + pl.col("more") * 3).alias("urban_population"),
        (pl.col("population") + pl.col("more") * 3).alias("population"))
    a, b = quota(p, base, ON)["quota"], quota(p, grown, ON)["quota"]
    assert ((a <= b) | a.is_null()).all()
    assert (a.is_null() == b.is_null()).all()


@pytest.mark.parametrize("preset", PRESETS)
@SETTINGS
@given(rows=st.lists(worker, min_size=2, max_size=30), pick=st.integers(0, 1000))
def test_one_row_evaluates_exactly_as_in_the_population(preset, rows, pick):
    p = POLICIES[preset]
    df = frame(p, rows)
    whole = pay(p, place(p, df, ON), ON)
    i = pick % df.height
    one = pay(p, place(p, df.slice(i, 1), ON), ON)
    assert one.row(0) == whole.row(i)
