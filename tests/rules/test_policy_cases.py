"""Run every policy case in policies/cases/ (inputs → expected outputs), one test per case."""

import re

import pytest

from shequ.rules.cases import all_cases, run_case

CASES = all_cases()

# SPEC sections 2 (quota), 4 (posts, grades, pay) and 5 (assessment): each id needs a case.
REQUIRED_IDS = [
    "Q-HC", "Q-BH", "Q-TR", "Q-REV", "Q-USE", "Q-RESV",
    "G-BH", "G-TR", "G-DL", "G-BX", "P-COMP", "P-BASE", "P-FLOOR", "P-BEN", "P-STATS",
    "A-TIER", "A-IND", "A-PTS", "A-STEP", "A-FILE",
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_policy_case(case):
    run_case(case)


def test_every_case_is_titled_with_its_spec_id():
    untitled = [c.name for c in CASES if not re.search(r"\([A-Z]-[A-Z]+\)", c.name)]
    assert untitled == []


def test_every_spec_id_of_sections_2_4_and_5_has_a_case():
    named = " ".join(c.name for c in CASES)
    assert [i for i in REQUIRED_IDS if f"({i})" not in named] == []


def test_every_preset_has_cases():
    assert {c.policy for c in CASES} >= {"hunchun", "dalian", "baixiang", "baohe", "tongren"}


def test_a_case_with_a_wrong_expectation_fails_naming_the_difference():
    from shequ.rules.cases import Case

    wrong = Case(name="A wrong expectation (P-BASE)", kind="pay", policy="hunchun", on=__import__("datetime").date(2021, 1, 1),
                 input=[{"post": "正职", "grade": 10, "years": 3, "education": "高中", "certificate": "无"}],
                 expect=[{"应发合计": 4800.0}])
    with pytest.raises(AssertionError, match="应发合计：期望 4800.0，实际 4700.0"):
        run_case(wrong)


def test_a_case_expecting_an_error_fails_when_the_engine_computes_instead():
    from shequ.rules.cases import Case

    wrong = Case(name="Should be refused (Q-REV)", kind="quota", policy="baohe", on=__import__("datetime").date(2024, 1, 1),
                 input=[{"unit_type": "城市社区", "unit_class": "二类"}], expect_error="没有生效的取值")
    with pytest.raises(AssertionError, match="却算出了结果"):
        run_case(wrong)
