"""Shared setup for the training tests: a policy bound to the city that gives the growth
sections (training, mentoring, rotation, certification) as data."""

from __future__ import annotations

from datetime import date
from typing import Any

POLICY = """
[policy]
id = "growth-test"
name = "培训测试政策"
source = "测试"
version = "1.0.0"
extends = "baohe"
since = 2020-01-01

[training]
source = "004"
levels = ["市级", "县级", "街道"]
requirements = {{ "两委正职" = {{ every_years = {secretary_years}, min_level = "县级" }}, "两委副职" = {{ every_years = 3, min_level = "街道" }}, "两委其他成员" = {{ every_years = 3, min_level = "街道" }}, "一般工作人员" = {{ every_years = 3, min_level = "街道" }} }}

[mentoring]
source = "004"
secretary_groups = ["两委正职"]
young_max_age = 35
weak_tiers = ["基本称职", "不称职"]
new_worker_months = 12

[rotation]
assumed = true
min_posts = 2

[certification]
source = "002"
deadline_years = {deadline_years}
since = 2021-01-01
"""


def bind_policy(world: Any, *, secretary_years: int = 1, deadline_years: int = 5) -> str:
    from shequ.policy.services import policy_bind, policy_version_store

    text = POLICY.format(secretary_years=secretary_years, deadline_years=deadline_years)
    version = policy_version_store(text=text, actor=world.city_admin)
    policy_bind(unit=world.city, version=version, since=date(2020, 1, 1), actor=world.city_admin)
    return version.label
