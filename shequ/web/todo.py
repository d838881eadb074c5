"""待办: what is waiting for the signed-in user, counted through each area's public reads.

Each item is shown only to a role that can act on it (or, for the read-only secretary, see
it), counts only the user's own part of the org tree, and links to the list that shows
the very rows counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.urls import reverse

from shequ.accounts.roles import has_capability
from shequ.assessment.models import CampaignStatus, ConsequenceStatus
from shequ.assessment.selectors import campaign_list, consequences_in_scope
from shequ.growth.careers.selectors import reserve_shortfall, retirements_due
from shequ.growth.training.certification import certification_due
from shequ.growth.training.compliance import training_compliance
from shequ.insights.minimums import minimum_breaches
from shequ.insights.selectors import CACHE_SECONDS, change_stamp
from shequ.pay.models import RunStatus
from shequ.pay.selectors import payrun_list
from shequ.quota.models import DecisionStatus
from shequ.quota.selectors import decision_list, review_list
from shequ.recruitment.selectors import applications_without_scores
from shequ.workers.selectors import contracts_ending, probations_ending

if TYPE_CHECKING:
    from shequ.accounts.models import User

# How far ahead 待办 looks for dates coming up; a clerk plans a quarter ahead.
RETIREMENT_MONTHS = 6
CONTRACT_DAYS = 60
PROBATION_DAYS = 30


@dataclass(frozen=True)
class TodoItem:
    label: str
    count: int
    url: str
    urgent: bool = False  # already late, not merely coming up


@dataclass(frozen=True)
class _Source:
    capability: str
    label: str
    count: Callable[[User, date], int]
    url: Callable[[], str]
    urgent: bool = False


def _url(name: str, query: str = "") -> Callable[[], str]:
    return lambda: reverse(name) + (f"?{query}" if query else "")


def _runs(status: str) -> Callable[[User, date], int]:
    return lambda user, on: payrun_list(user=user).filter(status=status).count()


def _campaigns(status: str) -> Callable[[User, date], int]:
    return lambda user, on: campaign_list(user=user).filter(status=status).count()


SOURCES: tuple[_Source, ...] = (
    _Source("pay.change", "薪酬批次待提交审核（草稿）", _runs(RunStatus.DRAFT), _url("pay:index", "status=draft")),
    _Source("pay.approve", "薪酬批次已审核、待锁定发放", _runs(RunStatus.APPROVED), _url("pay:index", "status=approved")),
    _Source("assess.change", "年度考核评分中", _campaigns(CampaignStatus.DRAFT), _url("assessment:index", "status=draft")),
    _Source("assess.confirm", "考核结果已公布、待确认结果运用", _campaigns(CampaignStatus.PUBLISHED),
            _url("assessment:index", "status=published")),
    _Source("assess.confirm", "解聘待二次确认",
            lambda user, on: consequences_in_scope(user=user).filter(status=ConsequenceStatus.PROPOSED).count(),
            _url("assessment:index", "status=published"), urgent=True),
    _Source("recruit.change", "应聘人员尚未录入成绩", lambda user, on: applications_without_scores(user=user).count(),
            _url("recruitment:index")),
    _Source("quota.approve", "员额方案待审批",
            lambda user, on: decision_list(user=user, status=DecisionStatus.PROPOSED).count(),
            _url("quota:decisions", "status=proposed")),
    _Source("quota.change", "员额到期需复核（三年一核）", lambda user, on: len(review_list(user=user, on=on)["due"]),
            _url("quota:review"), urgent=True),
    _Source("growth.view", "职业资格即将到期或已逾期未取得",
            lambda user, on: certification_due(user=user, root=None, on=on).workers.height,
            _url("growth:training:certificates")),
    _Source("growth.view", "培训逾期未完成", lambda user, on: training_compliance(user=user, root=None, on=on).overdue.height,
            _url("growth:training:compliance", "status=overdue"), urgent=True),
    _Source("growth.view", f"{RETIREMENT_MONTHS} 个月内到龄退休（含已到龄仍在岗）",
            lambda user, on: retirements_due(user=user, on=on, months=RETIREMENT_MONTHS).height,
            _url("careers:retirements", f"months={RETIREMENT_MONTHS}")),
    _Source("growth.view", "社区书记后备人选不足", lambda user, on: len(reserve_shortfall(user=user, on=on)),
            _url("careers:reserve", "shortfall=1")),
    _Source("insights.view", "个单位未达政策最低配备",
            lambda user, on: len(minimum_breaches(root=user.unit, on=on)) if user.unit else 0,
            _url("insights:index"), urgent=True),
    _Source("roster.view", f"劳动合同 {CONTRACT_DAYS} 天内到期",
            lambda user, on: contracts_ending(user=user, on=on, until=on + timedelta(days=CONTRACT_DAYS)).count(),
            _url("workers:index", f"contract_ends_within={CONTRACT_DAYS}")),
    _Source("roster.view", f"试用期 {PROBATION_DAYS} 天内期满",
            lambda user, on: probations_ending(user=user, on=on, until=on + timedelta(days=PROBATION_DAYS)).count(),
            _url("workers:index", f"probation_ends_within={PROBATION_DAYS}")),
)


def todo_items(*, user: User, on: date) -> list[TodoItem]:
    """The items with something waiting, in the order a clerk's year runs. Several counts
    read a whole scope's frames (training, certificates, retirements), so the answer is
    cached per user and day until anything changes (the dashboard's change stamp)."""
    key = f"web:todo:{user.pk}:{on.isoformat()}:{'-'.join(map(str, change_stamp()))}"
    found = cache.get(key)
    if found is None:
        found = _count(user=user, on=on)
        cache.set(key, found, CACHE_SECONDS)
    return found  # type: ignore[no-any-return]


def _count(*, user: User, on: date) -> list[TodoItem]:
    items = []
    for source in SOURCES:
        if not has_capability(user, source.capability):
            continue
        n = source.count(user, on)
        if n:
            items.append(TodoItem(label=source.label, count=n, url=source.url(), urgent=source.urgent))
    return items
