"""The assessment area's background jobs (see shequ.jobs.registry)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from shequ.assessment import services
from shequ.assessment.models import Campaign
from shequ.jobs.models import Job
from shequ.jobs.progress import Progress
from shequ.jobs.registry import Done

NO_ACTOR = "提交任务的用户已被删除，请重新提交"


def publish(*, job: Job, progress: Progress) -> Done:
    if job.actor is None:
        raise ValueError(NO_ACTOR)
    campaign = Campaign.objects.select_related("unit").get(pk=job.params["campaign_id"])
    n = services.campaign_publish(campaign=campaign, actor=job.actor, progress=progress)
    return Done(url=reverse("assessment:detail", args=[campaign.pk]),
                message=f"已公布 {n} 人的考核结果，记入个人档案", data={"published": n})


def confirm(*, job: Job, progress: Progress) -> Done:
    if job.actor is None:
        raise ValueError(NO_ACTOR)
    campaign = Campaign.objects.select_related("unit").get(pk=job.params["campaign_id"])
    s = services.campaign_confirm(campaign=campaign, actor=job.actor, effective=date.fromisoformat(job.params["effective"]),
                                  progress=progress)
    target = "assessment:dismissals" if s.dismiss else "assessment:preview"
    return Done(url=reverse(target, args=[campaign.pk]),
                message=f"已确认：晋升一级 {s.steps} 人，优先晋升 {s.promote} 人，约谈提醒 {s.warn} 人，拟解聘 {s.dismiss} 人（待二次确认）",
                data=s.__dict__)
