"""Loading policies: presets, `extends`, effective dates, and errors naming file, line, reason."""

import datetime as dt
from pathlib import Path

import pytest

from shequ.rules import PolicyError, load_policy, load_policy_text
from shequ.rules import errors as E

MINIMAL = """
[policy]
id = "t"
name = "测试"
source = "测试文件"
version = "0.1.0"
extends = "baohe"
"""


def test_a_preset_loads_by_id_with_its_metadata_posts_and_components():
    p = load_policy("baohe")
    assert (p.id, p.version) == ("baohe", "1.0.0")
    assert p.post_names() == ["主管", "副主管", "主办", "助理"]
    assert (p.post("主管").grade_min, p.post("主管").grade_max) == (7, 18)
    assert p.component_names()[0] == "岗位工资"
    assert len(p.digest) == 16


def test_a_child_overrides_only_what_differs():
    child = load_policy_text(MINIMAL + '\n[params.grade_step]\nsource = "调整文件"\nsince = 2024-01-01\nvalue = 150\n')
    parent = load_policy("baohe")
    on = dt.date(2024, 6, 1)
    assert child.value("grade_step", on) == 150
    assert child.value("post_pay", on) == parent.value("post_pay", on)
    assert child.post_names() == parent.post_names()
    assert child.digest != parent.digest


def test_values_are_resolved_as_of_a_date():
    text = MINIMAL + """
[params]
grade_step = [
  { since = 2020-08-14, value = 130, source = "003" },
  { since = 2023-01-01, value = 160, assumed = true },
]
"""
    p = load_policy_text(text)
    assert p.value("grade_step", dt.date(2022, 12, 31)) == 130
    assert p.value("grade_step", dt.date(2023, 1, 1)) == 160
    with pytest.raises(PolicyError) as exc:
        p.value("grade_step", dt.date(2019, 1, 1))
    assert E.NO_VALUE_IN_FORCE.format(date="2019-01-01") in str(exc.value)


def test_a_value_without_source_or_assumed_is_rejected_with_its_line():
    text = MINIMAL + "\n[params.new_thing]\nsince = 2024-01-01\nvalue = 3\n"
    with pytest.raises(PolicyError) as exc:
        load_policy_text(text, name="mine.toml")
    assert exc.value.file == "mine.toml"
    assert exc.value.line == 9  # the [params.new_thing] header
    assert exc.value.reason == E.MISSING_PROVENANCE


def test_an_unknown_name_in_a_pay_formula_is_rejected_at_load_naming_formula_and_line():
    text = MINIMAL + '\n[[pay.components]]\nname = "新补贴"\nassumed = true\nformula = "grade * 不存在的参数"\n'
    with pytest.raises(PolicyError) as exc:
        load_policy_text(text, name="mine.toml")
    assert exc.value.file == "mine.toml" and exc.value.line == 12
    assert "不存在的参数" in exc.value.reason and "grade * 不存在的参数" in exc.value.reason


def test_a_cycle_between_components_is_rejected_at_load():
    text = MINIMAL + """
[[pay.components]]
name = "甲"
assumed = true
formula = "乙 + 1"

[[pay.components]]
name = "乙"
assumed = true
formula = "甲 * 2"
"""
    with pytest.raises(PolicyError) as exc:
        load_policy_text(text, name="mine.toml")
    assert "循环引用" in exc.value.reason and "甲" in exc.value.reason


def test_a_bad_value_in_a_dated_section_names_field_and_line():
    text = MINIMAL + '\n[dispatch]\nsource = "003"\nsince = 2024-01-01\nmax_share = 1.5\n'
    with pytest.raises(PolicyError) as exc:
        load_policy_text(text, name="mine.toml")
    assert exc.value.place == "dispatch.max_share" and exc.value.line == 12
    assert exc.value.reason == E.BAD_VALUE.format(detail="应不大于 1.0")


def test_an_unknown_key_is_rejected():
    with pytest.raises(PolicyError) as exc:
        load_policy_text(MINIMAL + '\n[assessment]\nsource = "x"\nstep_evry_years = 3\n', name="mine.toml")
    assert exc.value.reason == E.UNKNOWN_KEY.format(key="step_evry_years")


def test_a_toml_syntax_error_names_its_line():
    with pytest.raises(PolicyError) as exc:
        load_policy_text(MINIMAL + "\n[params.x\n", name="mine.toml")
    assert exc.value.line == 9 and "TOML" in exc.value.reason


def test_a_post_with_an_inverted_range_is_rejected():
    with pytest.raises(PolicyError, match="等级范围不合法"):
        load_policy_text(MINIMAL + '\n[posts."怪岗"]\nsource = "x"\ngrade_min = 9\ngrade_max = 3\n')


@pytest.mark.parametrize("preset,levels", [("baohe", 18), ("tongren", 20), ("dalian", 38)])
def test_each_seeded_ladder_has_the_length_its_seed_gives_g_len(preset, levels):
    """G-LEN: Baohe 18, Tongren 20, Dalian 38 levels, as data with their seed; every post lies within."""
    p = load_policy(preset)
    on = dt.date(2024, 6, 1)
    assert p.params(on).ladder.levels == levels
    assert p.entry("ladder", "levels", on).source in ("001", "003", "004")
    assert max(post.grade_max for post in p.posts.values()) <= levels


def test_a_post_range_beyond_its_ladder_is_rejected_at_load_g_len():
    with pytest.raises(PolicyError) as exc:
        load_policy_text(MINIMAL + '\n[posts."主管"]\nsource = "003"\ngrade_min = 7\ngrade_max = 19\n', name="mine.toml")
    assert exc.value.reason == E.POST_BEYOND_LADDER.format(post="主管", lo=7, hi=19, levels=18)
    assert exc.value.line is not None


def test_a_longer_ladder_in_a_child_admits_the_longer_range_g_len():
    child = load_policy_text(MINIMAL + '\n[ladder]\nsource = "调整文件"\nlevels = 19\n\n'
                             '[posts."主管"]\nsource = "调整文件"\ngrade_min = 7\ngrade_max = 19\n')
    assert child.post("主管").grade_max == 19


def test_a_missing_preset_is_reported():
    with pytest.raises(PolicyError) as exc:
        load_policy("nowhere")
    assert str(exc.value) == E.FILE_NOT_FOUND.format(name="nowhere")


def test_an_extends_cycle_is_rejected(tmp_path: Path):
    (tmp_path / "a.toml").write_text(MINIMAL.replace('id = "t"', 'id = "a"').replace('extends = "baohe"', 'extends = "b"'), encoding="utf-8")
    (tmp_path / "b.toml").write_text(MINIMAL.replace('id = "t"', 'id = "b"').replace('extends = "baohe"', 'extends = "a"'), encoding="utf-8")
    with pytest.raises(PolicyError, match="循环"):
        load_policy(tmp_path / "a.toml")


def test_params_resolve_every_dated_section():
    r = load_policy("baohe").params(dt.date(2024, 1, 1))
    assert r.dispatch.min_years == 3 and r.dispatch.max_share == 0.10
    assert r.assessment.step_every_years == 3 and r.assessment.dismiss_years == 2
    assert r.quota_review.every_years == 3
    assert r.assessment.aliases["合格"] == "称职"
