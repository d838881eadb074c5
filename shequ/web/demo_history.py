"""A demo with a past: the years a newcomer's city would already have behind it.

Everything goes through the areas' own services, as a clerk's year would: three annual
assessments (two applied, the last published and waiting), three locked pay months and a
draft for this month, training sessions with attendance, certificates, a reserve pool with
some communities short, and a recruitment whose applicants still wait for scores. So every
page shows something real and 待办 has items waiting."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from shequ.assessment.compute import campaign_workers
from shequ.assessment.services import (
    CleanScore,
    campaign_confirm,
    campaign_create,
    campaign_publish,
    scores_write,
)
from shequ.growth.careers.services import ReserveData, reserve_add
from shequ.growth.training.models import Level
from shequ.growth.training.services import (
    AttendanceLine,
    attendance_record,
    certificate_record,
    course_create,
    session_create,
)
from shequ.org.models import COMMUNITY_TYPES, STREET_TYPES, Unit
from shequ.pay.services import payrun_approve, payrun_compute, payrun_create, payrun_lock
from shequ.quota.selectors import vacancies
from shequ.recruitment.services import (
    ApplicantData,
    application_create,
    plan_announce,
    plan_create,
    plan_post_set,
)
from shequ.sheets.idcard import make_id_number
from shequ.workers.models import Status, Worker

if TYPE_CHECKING:
    from shequ.accounts.models import User

# Each year about 12 % 优秀 (under the 20 % cap) and the rest 称职, so that after three
# years most step up a grade (A-STEP); a fixed 1 % are weak: 基本称职 the first year, then
# 不称职 twice running, so confirming the last year proposes their dismissal (C-EXIT).
EXCELLENT_SHARE = 0.12
WEAK_SHARE = 0.01


@dataclass(frozen=True)
class History:
    campaigns: int
    pay_runs: int
    attendances: int
    certificates: int
    reserves: int
    applications: int


def _month(d: date, back: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - back, 12)
    return date(y, m + 1, 1)


def _tiers(workers: list[int], weak: set[int], year_index: int, rng: random.Random) -> dict[int, str]:
    out: dict[int, str] = {}
    for w in workers:
        if w in weak:
            out[w] = "基本称职" if year_index == 0 else "不称职"
        else:
            out[w] = "优秀" if rng.random() < EXCELLENT_SHARE else "称职"
    return out


def demo_history_load(*, city: Unit, admin: User, finance: User, street_hr: User, today: date, seed: int) -> History:
    rng = random.Random(seed)
    # Annual assessments: the two earlier years applied, last year's published and waiting.
    campaigns = 0
    everyone = list(Worker.objects.exclude(status=Status.LEFT).order_by("pk").values_list("pk", flat=True))
    weak = set(rng.sample(everyone, k=max(1, round(len(everyone) * WEAK_SHARE))))
    for i, year in enumerate((today.year - 3, today.year - 2, today.year - 1)):
        campaign = campaign_create(unit=city, year=year, actor=admin)
        tiers = _tiers(list(campaign_workers(campaign).order_by("pk").values_list("pk", flat=True)), weak, i, rng)
        scores_write(campaign=campaign, actor=admin, how="import",
                     scores=[CleanScore(worker_id=w, indicators={}, score=None, tier=t) for w, t in tiers.items()])
        campaign_publish(campaign=campaign, actor=admin, on=date(year + 1, 1, 20))
        if year < today.year - 1:
            campaign_confirm(campaign=campaign, actor=admin, effective=date(year + 1, 2, 1))
        campaigns += 1

    # Pay: three months locked, this month's run computed and waiting for review.
    runs = 0
    for back in (3, 2, 1, 0):
        run, _ = payrun_create(unit=city, month=_month(today, back), actor=admin)
        run = payrun_compute(run=run, actor=admin)
        if back:
            payrun_approve(run=run, actor=finance)
            payrun_lock(run=run, actor=finance)
        runs += 1

    # Training: a city course and a street course this year, each with attendance.
    attended = 0
    workers = list(Worker.objects.exclude(status=Status.LEFT).select_related("unit").order_by("pk"))
    for level, name, hours, share in ((Level.CITY, "社区工作者综合能力提升班", "16", 0.35),
                                      (Level.STREET, "社区治理实务（街道班）", "8", 0.2)):
        course = course_create(name=name, level=level, unit=city, hours=Decimal(hours), actor=admin)
        start = date(today.year, 4, 8) if level == Level.CITY else date(today.year, 6, 3)
        session = session_create(course=course, start=start, end=start + timedelta(days=1), place="市委党校",
                                 actor=admin)
        chosen = rng.sample(workers, k=int(len(workers) * share))
        attended += len(attendance_record(session=session, lines=[AttendanceLine(worker=w) for w in chosen],
                                          actor=admin))

    # Certificates obtained over the last two years by some who had none.
    certificates = 0
    for w in rng.sample([w for w in workers if w.certificate == "无"], k=min(40, len(workers) // 20)):
        certificate_record(worker=w, level="助理社会工作师", obtained_on=today - timedelta(days=rng.randint(30, 700)),
                           actor=admin, number=f"SW{seed}{w.pk:06d}", today=today)
        certificates += 1

    # Reserve pool: most communities of the first street have a secretary candidate.
    reserves = 0
    street = Unit.objects.filter(unit_type__in=STREET_TYPES).order_by("path").first()
    if street is not None:
        communities = list(Unit.objects.filter(parent=street, unit_type__in=COMMUNITY_TYPES).order_by("path"))
        for community in communities[: max(1, len(communities) * 2 // 3)]:
            young = Worker.objects.filter(unit=community).exclude(status=Status.LEFT).order_by("-birth_date").first()
            if young is None:
                continue
            reserve_add(data=ReserveData(community=community, added_on=today - timedelta(days=90), worker=young,
                                         note="示范数据"), actor=admin)
            reserves += 1

    # A recruitment in progress in the first street: announced, applicants waiting for scores.
    applications = 0
    if street is not None:
        open_places = {pk: n for pk, n in vacancies(user=street_hr, root=street, on=today).items() if n and n > 0}
        if open_places:
            plan = plan_create(scope=street, title=f"{street.name}{today.year}年社区工作者招聘", actor=street_hr, on=today)
            unit = Unit.objects.get(pk=next(iter(open_places)))
            post = plan_post_set(plan=plan, unit=unit, post="助理", places=1, actor=street_hr, on=today)
            plan_announce(plan=plan, text="示范数据：招聘公告", announced_on=today - timedelta(days=20),
                          apply_from=today - timedelta(days=20), apply_until=today - timedelta(days=5),
                          exam_on=today + timedelta(days=10), actor=street_hr)
            people = [("林晓雨", "女", date(1998, 3, 14), "本科"), ("周启航", "男", date(1996, 11, 2), "大专"),
                      ("陈思远", "男", date(1999, 7, 21), "本科"), ("许安然", "女", date(1997, 1, 9), "硕士研究生")]
            for i, (name, sex, birth, education) in enumerate(people, start=1):
                application_create(plan=plan, plan_post=post, actor=street_hr, data=ApplicantData(
                    name=name, id_number=make_id_number("340111", birth, 900 + i, sex), education=education,
                    residence_local=True))
                applications += 1
    return History(campaigns=campaigns, pay_runs=runs, attendances=attended, certificates=certificates,
                   reserves=reserves, applications=applications)
