"""What publishing, applying and dismissing will do, in numbers, before the user confirms."""

from __future__ import annotations

from datetime import date

import polars as pl
from django.shortcuts import get_object_or_404
from django.urls import reverse

from shequ.accounts.types import AuthedRequest
from shequ.assessment.compute import cost_preview, evaluate
from shequ.assessment.models import CampaignStatus
from shequ.assessment.selectors import campaign_get, proposed_dismissals
from shequ.assessment.services import publish_blockers
from shequ.common.confirm import Consequences


def _money(v: float) -> str:
    return f"{v:+,.2f} 元"


def publish_consequences(request: AuthedRequest, pk: int) -> Consequences | None:
    campaign = campaign_get(user=request.user, pk=pk)
    if campaign.status != CampaignStatus.DRAFT:
        return None
    ev = evaluate(campaign)
    if publish_blockers(ev):
        return None  # the view lists what still blocks publishing
    counts = dict(ev.scored.group_by("tier").len().iter_rows())
    tiers = "、".join(f"{t} {counts[t]} 人" for t in ev.policy.params(date(campaign.year, 12, 31)).assessment.tiers
                     if counts.get(t))
    lines = [f"{ev.scored.height} 人的 {campaign.year} 年度考核等次写入个人档案（{tiers}）",
             "结果公布后不能再修改评分或等次"]
    return Consequences(title=f"公布考核结果：{campaign.name}", lines=lines,
                        back=reverse("assessment:detail", args=[pk]), button="确认公布")


def confirm_consequences(request: AuthedRequest, pk: int) -> Consequences | None:
    campaign = campaign_get(user=request.user, pk=pk)
    if campaign.status != CampaignStatus.PUBLISHED:
        return None
    ev = evaluate(campaign)
    on = date(campaign.year + 1, 1, 1)
    acts = ev.scored.select(pl.col("actions").explode().alias("a")).drop_nulls()["a"].value_counts()
    n = dict(acts.iter_rows())
    total = cost_preview(ev, on).total
    lines = [
        f"{n.get('晋升一级', 0)} 人晋升一级，{n.get('优先晋升', 0)} 人列入优先晋升名单，{n.get('约谈提醒', 0)} 人约谈提醒",
        f"{n.get('解聘', 0)} 人列入拟解聘名单（解聘还须逐人二次确认）",
        f"每月应发合计变化 {_money(float(total['change']))}，单位五险一金变化 {_money(float(total['employer_change']))}",
    ]
    return Consequences(title=f"确认结果运用：{campaign.name}", lines=lines,
                        back=reverse("assessment:preview", args=[pk]), button="确认结果运用",
                        warning="确认后等级调整立即记入档案，不能撤销。")


def dismissal_consequences(request: AuthedRequest, pk: int) -> Consequences:
    campaign = campaign_get(user=request.user, pk=pk)
    c = get_object_or_404(proposed_dismissals(campaign=campaign), pk=request.POST.get("consequence") or 0)
    back = reverse("assessment:dismissals", args=[pk])
    if request.POST.get("decision") != "confirm":
        return Consequences(title=f"不予解聘：{c.worker.name}", lines=[f"{c.worker.name}（{c.unit.name}）不予解聘，继续在岗"],
                            back=back, button="确认不予解聘", warning="")
    return Consequences(
        title=f"确认解聘：{c.worker.name}",
        lines=[f"{c.worker.name}（{c.unit.name}，{c.worker.post}）于 {request.POST.get('on') or '今天'} 解聘",
               "劳动合同终止，员额空出", f"依据：{campaign.year} 年度考核{c.tier}"],
        back=back, button="确认解聘",
    )
