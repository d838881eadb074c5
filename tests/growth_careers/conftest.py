"""Policies for the careers tests: a Tongren-like five-post policy bound to the city, and
a Dalian-like retirement rule. Written as policy text, the way a bureau uploads one."""

from __future__ import annotations

from typing import Any

import pytest

FIVE_POSTS = """
[policy]
id = "careers-test"
name = "五类岗位测试政策"
source = "测试"
version = "1.0.0"
extends = "base"
since = 2020-01-01

[params.years_per_grade]
assumed = true
value = 2

[posts."一岗"]
assumed = true
grade_min = 9
grade_max = 20
[posts."二岗"]
assumed = true
grade_min = 7
grade_max = 18
[posts."三岗"]
assumed = true
grade_min = 5
grade_max = 16
[posts."四岗"]
assumed = true
grade_min = 3
grade_max = 14
[posts."五岗"]
assumed = true
grade_min = 1
grade_max = 12

[placement]
assumed = true
formula = "grade_min + floor(years / years_per_grade)"

[reserve]
source = "004"
min_per_community = 2

[mobility]
source = "004"
movable_posts = ["四岗", "五岗"]

[careers]
source = "004"
promotions = [
  { from_post = "五岗", to_post = "四岗", min_years_in_post = 3, min_education = "大专", min_tier = "称职", tier_years = 2 },
]
election = { "一肩挑" = "一岗", "书记或主任" = "二岗", "两委专职成员" = "三岗" }
election_category = "两委成员"

[retirement]
source = "001"
ages = { "男" = { default = 60 }, "女" = { default = 50, "一岗" = 55, "二岗" = 55 } }

[grids]
source = "001"
households_min = 300
households_max = 500
"""


@pytest.fixture
def five_posts(world: Any) -> Any:
    """The five-post policy governs the whole city from 2020."""
    from datetime import date

    from shequ.policy.services import policy_bind, policy_version_store

    version = policy_version_store(text=FIVE_POSTS, actor=world.city_admin)
    policy_bind(unit=world.city, version=version, since=date(2020, 1, 1), actor=world.city_admin)
    return version
