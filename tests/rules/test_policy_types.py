"""Types at load time (issue 17.1): a policy that passes check runs. Each refusal names the
file, the line, the column and the name, in Chinese."""

import datetime as dt

import polars as pl
import pytest

from shequ.rules import PolicyError, load_policy, load_policy_text, pay, place

HEAD = """
[policy]
id = "t"
name = "测试"
source = "测试文件"
version = "0.1.0"
extends = "baohe"
since = 2024-01-01
"""


def component(formula: str, extra: str = "") -> str:
    return HEAD + extra + f'\n[[pay.components]]\nname = "新补贴"\nassumed = true\nformula = "{formula}"\n'


def refused(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as exc:
        load_policy_text(text, name="mine.toml")
    return exc.value


def formula_line(text: str) -> int:
    return [i for i, ln in enumerate(text.splitlines(), start=1) if ln.startswith("formula =")][-1]


def test_text_added_to_a_number_is_a_check_error_naming_line_column_and_name() -> None:
    text = component("certificate + 300")
    err = refused(text)
    assert (err.file, err.line, err.place) == ("mine.toml", formula_line(text), "pay.components.第5项（新补贴）.formula")
    assert "第1列" in err.reason and "「certificate」是文字（职业资格），不能参与相加（+）" in err.reason


def test_a_tier_compared_with_a_word_outside_the_tier_vocabulary_is_refused() -> None:
    err = refused(component('if(last_tier == \\"良好\\", grade_step, 0)'))
    assert "「良好」不是考核等次" in err.reason and "第17列" in err.reason


def test_ordering_tiers_as_words_is_refused_with_a_hint_to_the_rank() -> None:
    err = refused(component('if(last_tier < \\"优秀\\", 0, grade_step)'))
    assert "不能比较大小" in err.reason and "last_tier_rank" in err.reason


def test_a_lookup_whose_keys_cannot_come_from_the_vocabulary_of_its_key_is_refused() -> None:
    err = refused(component("lookup(post_pay, education, 0)"))
    assert "查找表「post_pay」的键" in err.reason and "不是学历" in err.reason and "第18列" in err.reason


def test_a_table_key_outside_its_vocabulary_is_refused() -> None:
    extra = '\n[params.edu_bonus]\nassumed = true\nvalue = { "研究生" = 100, "本科" = 50 }\n'
    err = refused(component("lookup(edu_bonus, education, 0)", extra))
    assert "「研究生」不是学历" in err.reason


def test_a_truth_value_used_as_a_number_is_refused() -> None:
    err = refused(component("(grade > grade_min) * grade_step"))
    assert "「grade > grade_min」是真假值，不能当数字用" in err.reason and "第2列" in err.reason


def test_a_rule_whose_value_is_not_a_number_is_refused() -> None:
    err = refused(component("grade > grade_min"))
    assert "算出的是真假值" in err.reason and "薪酬项目「新补贴」需要数字" in err.reason


def test_columns_count_characters_not_bytes_in_chinese_formulas() -> None:
    err = refused(component("岗位工资 + certificate"))
    assert "第8列" in err.reason


@pytest.mark.parametrize("formula,number", [("grade * 35", "35"), ("grade_step * 1.1", "1.1"),
                                            ("if(years > 5, grade_step, 0)", "5"), ("lookup(cert_allowance, certificate, 80)", "80")])
def test_a_number_written_inside_a_formula_without_a_source_is_refused(formula: str, number: str) -> None:
    err = refused(component(formula))
    assert f"数字 {number} 没有来源" in err.reason and "source 或 assumed" in err.reason


def test_structural_numbers_need_no_source_and_the_policy_runs() -> None:
    p = load_policy_text(component("round(grade_step * (grade - 1) / 100, 2) + lookup(cert_allowance, certificate, 0)"))
    w = pl.DataFrame({"worker_id": [1], "post": ["主办"], "education": ["本科"], "certificate": ["无"],
                      "community_work_start": [dt.date(2018, 1, 1)]})
    on = dt.date(2024, 6, 1)
    out = pay(p, place(p, w, on), on)
    assert out["新补贴"][0] == round(p.value("grade_step", on) * (out["grade"][0] - 1) / 100, 2)


def test_a_tier_outside_the_vocabulary_in_the_assessment_section_is_refused() -> None:
    """A-STEP: step_min_tier = "良好" used to pass check and die in assess with KeyError."""
    err = refused(HEAD + '\n[assessment]\nassumed = true\nstep_min_tier = "良好"\n')
    assert err.place == "assessment.step_min_tier" and "不认识的考核等次「良好」" in err.reason


def test_an_education_outside_the_vocabulary_is_refused_in_an_older_dated_entry_too() -> None:
    text = HEAD + """
[exam]
min_education = [
  { since = 2020-01-01, value = "研究生", assumed = true },
  { since = 2024-01-01, value = "本科", assumed = true },
]
"""
    err = refused(text)
    assert "不认识的学历「研究生」" in err.reason


@pytest.mark.parametrize("preset", ["base", "baohe", "hunchun", "dalian", "baixiang", "tongren"])
def test_every_shipped_preset_passes_the_type_checks(preset: str) -> None:
    assert load_policy(preset).id == preset
