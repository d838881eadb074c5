"""E-EXAM: the 公示 period. Its length in days is policy data (`exam.publicity_days`, the
value in force on the day of publication); no hire takes effect before the period ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shequ.policy.selectors import policy_for
from shequ.recruitment.models import RecruitmentPlan

PUBLICITY_NOT_OVER = (
    "录用日期：{name} 的录用日期 {effective} 在公示期内。公示期 {days} 天，{end} 结束，"
    "录用日期最早为 {first}"
)


@dataclass(frozen=True)
class Publicity:
    start: date
    days: int
    end: date  # the last day of the period

    @property
    def first_hire_day(self) -> date:
        return self.end + timedelta(days=1)


def plan_publicity(*, plan: RecruitmentPlan) -> Publicity | None:
    """The plan's 公示 period, or None before publication or where the policy sets none."""
    if plan.published_on is None:
        return None
    policy, _ = policy_for(unit=plan.scope, on=plan.published_on)
    days = policy.params(plan.published_on).exam.publicity_days
    if not days:
        return None
    return Publicity(start=plan.published_on, days=days, end=plan.published_on + timedelta(days=days - 1))


def default_hire_day(*, plan: RecruitmentPlan, today: date) -> date:
    """What the hire form proposes: today, or the first day after the 公示 period."""
    p = plan_publicity(plan=plan)
    return max(today, p.first_hire_day) if p is not None else today
