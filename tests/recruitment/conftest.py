"""A recruitment policy bound to the whole city: baohe's posts, quota and placement with
the exam, probation and dispatch values these tests name."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

POLICY = """
[policy]
id = "recruit_test"
name = "招聘测试政策"
source = "测试"
version = "1.0.0"
extends = "baohe"
since = 2020-01-01

# E-EXAM: eligibility, weights, preference points, score scale
[exam]
source = "测试"
required = true
max_age = {max_age}
min_education = "{min_education}"
residence_required = {residence}
{min_certificate}
certificate_points = 2
veteran_points = 3
written_weight = 0.4
interview_weight = 0.6
score_max = 100

# E-PROB: probation months at full pay
[probation]
source = "测试"
months = {months}
pay_share = 1.0

# E-TWO / E-CONV: two always, who is converted
[conversion]
source = "测试"
requires_community_work = {two_always}
requires_standard = {two_always}
categories = ["两委成员"]

# E-DISP: years at the street, share of dispatch workers, within quota
[dispatch]
source = "测试"
min_years = {min_years}
max_share = {max_share}
within_quota = true
{min_tier}
cap_rounding = "{cap_rounding}"
"""


def policy_text(**kw: Any) -> str:
    values = {"max_age": 35, "min_education": "大专", "residence": "true", "min_certificate": "", "months": 6,
              "min_years": 3, "max_share": 0.1, "two_always": "true",
              "min_tier": "优秀", "cap_rounding": "down"}
    values.update(kw)
    values["min_tier"] = f'min_tier = "{values["min_tier"]}"' if values["min_tier"] else ""
    if values["min_certificate"]:
        values["min_certificate"] = f'min_certificate = "{values["min_certificate"]}"'
    return POLICY.format(**values)


@pytest.fixture
def bind_policy(world: Any) -> Any:
    """bind_policy(**overrides) or bind_policy(text) → the version label now in force for the
    whole city, with every unit's quota approved as computed."""
    from shequ.policy.services import policy_bind, policy_version_store

    def bind(text: str | None = None, **kw: Any) -> str:
        from shequ.quota.services import QuotaError, quota_approve, quota_propose_recomputed

        version = policy_version_store(text=text or policy_text(**kw), actor=world.city_admin)
        policy_bind(unit=world.city, version=version, since=date(2020, 1, 1), actor=world.city_admin)
        # Q-REV: the bureau approves every unit's quota as the engine computes it (Q-BH).
        try:
            proposed = quota_propose_recomputed(root=world.city, since=date(2021, 1, 1), actor=world.city_admin)
        except QuotaError:  # a later binding that leaves every quota as it was
            return version.label
        quota_approve(decisions=proposed.created, actor=world.city_admin)
        return version.label

    return bind


@pytest.fixture
def policy_label(bind_policy: Any) -> str:
    return bind_policy()
