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
