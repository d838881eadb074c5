"""A second look before anything irreversible (issue 14.2): the first POST of lock, apply
consequences, approve a quota and hire changes nothing and says what will happen in
numbers; only the confirmed POST acts; another street cannot even see the step."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from shequ.accounts.models import User
from shequ.assessment.models import Campaign, CampaignStatus, Consequence
from shequ.pay.models import PayRun, RunStatus
from shequ.pay.services import payrun_approve
from shequ.quota.models import DecisionStatus, QuotaDecision
from shequ.quota.services import quota_propose_manual
from shequ.recruitment.models import Application, AppStatus, RecruitmentPlan
from shequ.recruitment.services import application_scores_set, plan_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: Any) -> dict[str, User]:
    call_command("demo_load", communities=30, workers=240, seed=11, verbosity=0)
    return {u.username: u for u in User.objects.all()}


def _login(client: Any, user: User) -> Any:
    client.force_login(user)
    return client


def test_locking_a_run_first_shows_how_many_lines_and_how_much_and_locks_only_when_confirmed(
    demo: dict[str, User], client: Any
) -> None:
    run = PayRun.objects.get(status=RunStatus.DRAFT)
    payrun_approve(run=run, actor=demo["finance"])
    c = _login(client, demo["finance"])
    page = c.post(f"/pay/runs/{run.pk}/lock").content.decode()
    n = run.lines.count()
    assert f"{n:,} 条薪酬明细锁定" in page and "应发合计" in page and 'name="confirmed" value="1"' in page
    assert PayRun.objects.get(pk=run.pk).status == RunStatus.APPROVED
    c.post(f"/pay/runs/{run.pk}/lock", {"confirmed": "1"})
    assert PayRun.objects.get(pk=run.pk).status == RunStatus.LOCKED


def test_applying_consequences_first_counts_who_moves_and_the_monthly_cost(demo: dict[str, User], client: Any) -> None:
    campaign = Campaign.objects.get(status=CampaignStatus.PUBLISHED)
    c = _login(client, demo["city_admin"])
    page = c.post(f"/assessment/{campaign.pk}/confirm/", {"effective": f"{campaign.year + 1}-01-01"}).content.decode()
    assert "人晋升一级" in page and "人列入拟解聘名单" in page and "每月应发合计变化" in page
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.PUBLISHED
    assert not Consequence.objects.filter(campaign=campaign).exists()
    c.post(f"/assessment/{campaign.pk}/confirm/", {"effective": f"{campaign.year + 1}-01-01", "confirmed": "1"})
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.CONFIRMED


def test_approving_a_quota_first_shows_the_totals_before_and_after(demo: dict[str, User], client: Any) -> None:
    admin = demo["city_admin"]
    unit = demo["street_a_hr"].unit.children.filter(unit_type="城市社区").order_by("path").first()
    assert unit is not None
    proposal = quota_propose_manual(unit=unit, quota=30, since=timezone.localdate() + timedelta(days=30),
                                    reason="示范：扩编", actor=admin)
    c = _login(client, admin)
    page = c.post("/quota/decisions/decide/", {"ids": [proposal.pk], "action": "approve"}).content.decode()
    assert "1 个单位的员额方案生效" in page and "→ 30" in page
    assert QuotaDecision.objects.get(pk=proposal.pk).status == DecisionStatus.PROPOSED
    c.post("/quota/decisions/decide/", {"ids": [proposal.pk], "action": "approve", "confirmed": "1"})
    assert QuotaDecision.objects.get(pk=proposal.pk).status == DecisionStatus.APPROVED


def test_hiring_first_says_which_quota_place_it_takes(demo: dict[str, User], client: Any) -> None:
    hr = demo["street_a_hr"]
    plan = RecruitmentPlan.objects.get()
    for i, app in enumerate(plan.applications.order_by("pk")):
        application_scores_set(application=app, written=Decimal(80 + i), interview=Decimal(75), actor=hr)
    # Published long enough ago for the 公示 period (E-EXAM, 7 days in the preset) to be over.
    plan_publish(plan=plan, on=timezone.localdate() - timedelta(days=10), actor=hr)
    best = max(plan.applications.all(), key=lambda a: a.total or 0)
    c = _login(client, hr)
    on = timezone.localdate().isoformat()
    page = c.post(f"/recruitment/applications/{best.pk}/hire/", {"effective": on}).content.decode()
    assert f"{best.name} 自 {on} 录用到" in page and "员额 1 名" in page and "空编" in page
    assert Application.objects.get(pk=best.pk).status == AppStatus.ELIGIBLE
    c.post(f"/recruitment/applications/{best.pk}/hire/", {"effective": on, "confirmed": "1"})
    assert Application.objects.get(pk=best.pk).status == AppStatus.HIRED


def test_another_street_cannot_see_the_confirmation_of_a_hire(demo: dict[str, User], client: Any) -> None:
    app = Application.objects.order_by("pk").first()
    assert app is not None
    r = _login(client, demo["street_b_hr"]).post(f"/recruitment/applications/{app.pk}/hire/", {"effective": "2026-12-01"})
    assert r.status_code == 404
    assert Application.objects.get(pk=app.pk).status == AppStatus.ELIGIBLE


def test_the_page_says_nothing_happened_until_confirmed_and_offers_a_way_back(
    demo: dict[str, User], client: Any
) -> None:
    campaign = Campaign.objects.get(status=CampaignStatus.PUBLISHED)
    page = _login(client, demo["city_admin"]).post(f"/assessment/{campaign.pk}/confirm/", {}).content.decode()
    assert "确认后将" in page and "取消，返回" in page and f"/assessment/{campaign.pk}/preview/" in page
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.PUBLISHED
