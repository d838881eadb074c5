"""Writes of exam recruitment (E-EXAM, E-PROB). Every function: keyword-only, one
transaction, an audit row per change, the actor's scope checked first."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import polars as pl
from django.db import IntegrityError
from django.db.models import Sum

from shequ.common.audit import audit_bulk, audit_record, snapshot
from shequ.common.audit_actions import AuditAction
from shequ.common.provinces import transaction
from shequ.common.scope import require_unit_in_scope
from shequ.errors import Invalid
from shequ.org.locks import LockRule, scope_lock
from shequ.org.models import STAFFED_TYPES, Unit
from shequ.policy.selectors import policies_for_units, policy_for
from shequ.recruitment import exam
from shequ.recruitment.models import Application, AppStatus, PlanPost, PlanStatus, RecruitmentPlan
from shequ.recruitment.publicity import PUBLICITY_NOT_OVER, plan_publicity
from shequ.recruitment.vacancy import NO_APPROVED_QUOTA, vacancy_of
from shequ.rules import explain_rows, place
from shequ.workers.idnumbers import parse_id
from shequ.workers.models import Category, ContractKind, EventKind, Worker, WorkerEvent
from shequ.workers.services import WorkerData, contract_sign, worker_create

if TYPE_CHECKING:
    from shequ.accounts.models import User

UNIT_NOT_IN_PLAN = "“{unit}”不在本计划的招聘范围“{scope}”内"
UNIT_NOT_STAFFED = "“{unit}”是{unit_type}，不是用人单位"
UNKNOWN_POST = "岗位“{post}”不是政策“{policy}”规定的岗位（{posts}）"
PLACES_OVER_VACANCY = "“{unit}”空编 {vacant} 个（核定 {quota}，在编 {filled}），本计划已安排 {planned} 个，不能再招 {places} 个"
PLACES_POSITIVE = "招聘人数应为正整数"
PLAN_NOT_DRAFT = "计划已发布公告，不能再修改岗位"
PLAN_NO_POSTS = "计划还没有招聘岗位，不能发布公告"
APPLY_WINDOW = "报名截止日期不能早于报名开始日期"
PLAN_NOT_OPEN = "计划尚未发布公告或已结束，不能报名"
PLAN_NOT_ANNOUNCED = "计划尚未发布公告"
POST_NOT_IN_PLAN = "报考岗位不属于本计划"
DUPLICATE_APPLICATION = "身份证号 {id_number} 已报名本计划（{name}）"
NOT_SCORABLE = "{name} 资格审查未通过或已放弃，不能录入成绩"
NOT_ALL_SCORED = "还有 {n} 名资格审查通过的考生没有完整成绩，不能公示"
NOT_PUBLISHED = "成绩与拟录用名单尚未公示，不能录用"
NOT_ELIGIBLE_TO_HIRE = "{name} 当前状态为“{status}”，不能录用"
OUTSIDE_PLACES = "{name} 排名第 {rank}，不在“{post}”招聘 {places} 人的录用范围内"
HIRE_BEYOND_QUOTA = "“{unit}”已无空编（核定 {quota}，在编 {filled}），不能录用"
PLAN_CLOSED = "计划已结束"
NO_ASSIGNMENT_RULE = "政策“{policy}”没有规定选派入职（assignment）"
POOL_NOT_ALLOWED = "来源“{pool}”不是政策“{policy}”规定的选派来源（{pools}）"
POST_NOT_ASSIGNABLE = "岗位“{post}”不能通过选派任职（政策“{policy}”规定：{posts}）"
ASSIGN_BEYOND_QUOTA = "“{unit}”已无空编（核定 {quota}，在编 {filled}），不能选派"
NOT_WITHDRAWABLE = "{name} 当前状态为“{status}”，不能放弃"


class RecruitmentError(Invalid):
    pass


def _policy(unit: Unit, on: date) -> tuple[Any, str]:
    return policy_for(unit=unit, on=on)


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


# ---- plans -------------------------------------------------------------------------------

@transaction.atomic
def plan_create(*, scope: Unit, title: str, actor: User, on: date) -> RecruitmentPlan:
    require_unit_in_scope(actor, scope)
    _, label = _policy(scope, on)
    plan = RecruitmentPlan(scope=scope, title=title.strip(), policy_version=label, created_by=actor)
    plan.full_clean()
    plan.save()
    audit_record(actor=actor, action=AuditAction.RECRUIT_PLAN_CREATE, target=plan, unit=scope, after=snapshot(plan))
    return plan


def _planned_elsewhere(*, plan: RecruitmentPlan, unit: Unit, post: str) -> int:
    """Places of the unit already promised: other posts of this plan, and every post of the
    unit's other plans still running, less those already hired (they count as filled)."""
    open_posts = PlanPost.objects.filter(unit=unit, plan__status__in=[PlanStatus.DRAFT, PlanStatus.ANNOUNCED, PlanStatus.PUBLISHED])
    places = open_posts.exclude(plan=plan, post=post).aggregate(n=Sum("places"))["n"] or 0
    hired = Application.objects.filter(plan_post__in=open_posts.exclude(plan=plan, post=post), status=AppStatus.HIRED).count()
    return max(0, places - hired)


@transaction.atomic
def plan_post_set(*, plan: RecruitmentPlan, unit: Unit, post: str, places: int, actor: User, on: date) -> PlanPost:
    """Add or change the places for one post of one unit; the unit's places in the plan
    may not exceed its vacancies (E-EXAM: a plan bounded by vacancies)."""
    require_unit_in_scope(actor, plan.scope)
    require_unit_in_scope(actor, unit)
    if plan.status != PlanStatus.DRAFT:
        raise RecruitmentError(PLAN_NOT_DRAFT)
    if not unit.path.startswith(plan.scope.path):
        raise RecruitmentError(UNIT_NOT_IN_PLAN.format(unit=unit.name, scope=plan.scope.name))
    if unit.unit_type not in STAFFED_TYPES:
        raise RecruitmentError(UNIT_NOT_STAFFED.format(unit=unit.name, unit_type=unit.unit_type))
    if not isinstance(places, int) or places < 1:
        raise RecruitmentError(PLACES_POSITIVE)
    policy, _ = _policy(unit, on)
    if post not in policy.post_names():
        raise RecruitmentError(UNKNOWN_POST.format(post=post, policy=policy.name, posts="、".join(policy.post_names())))
    # Two plans promising the unit's last vacancies at once would both fit; the second waits.
    scope_lock(rule=LockRule.PLAN_VACANCY, units=[unit])
    vac = vacancy_of(unit=unit, on=on)
    if vac.quota is None:
        raise RecruitmentError(NO_APPROVED_QUOTA.format(unit=unit.name))
    planned = _planned_elsewhere(plan=plan, unit=unit, post=post)
    if planned + places > vac.vacant:
        raise RecruitmentError(PLACES_OVER_VACANCY.format(
            unit=unit.name, vacant=vac.vacant, quota=vac.quota or 0, filled=vac.filled, planned=planned, places=places))
    pp, created = PlanPost.objects.update_or_create(plan=plan, unit=unit, post=post, defaults={"places": places})
    audit_record(actor=actor, action=AuditAction.RECRUIT_PLAN_POST, target=pp, unit=unit, after=snapshot(pp),
                 summary=f"{plan.title}：{unit.name}{post} {places} 人")
    return pp


@transaction.atomic
def plan_announce(
    *, plan: RecruitmentPlan, text: str, announced_on: date, apply_from: date, apply_until: date,
    exam_on: date | None, actor: User,
) -> RecruitmentPlan:
    require_unit_in_scope(actor, plan.scope)
    if plan.status != PlanStatus.DRAFT:
        raise RecruitmentError(PLAN_NOT_DRAFT)
    if not plan.posts.exists():
        raise RecruitmentError(PLAN_NO_POSTS)
    if apply_until < apply_from:
        raise RecruitmentError(APPLY_WINDOW)
    before = snapshot(plan, ("status", "announcement", "announced_on", "apply_from", "apply_until", "exam_on"))
    plan.announcement = text.strip()
    plan.announced_on, plan.apply_from, plan.apply_until, plan.exam_on = announced_on, apply_from, apply_until, exam_on
    plan.status = PlanStatus.ANNOUNCED
    plan.full_clean()
    plan.save()
    audit_record(actor=actor, action=AuditAction.RECRUIT_PLAN_ANNOUNCE, target=plan, unit=plan.scope, before=before,
                 after=snapshot(plan, before.keys()))
    return plan


# ---- applications ------------------------------------------------------------------------

@dataclass
class ApplicantData:
    name: str
    id_number: str
    education: str
    certificate: str = "无"
    residence_local: bool = False
    veteran: bool = False
    phone: str = ""


def eligibility_date(plan: RecruitmentPlan) -> date:
    """Conditions such as age are judged as of the application deadline."""
    return plan.apply_until or plan.announced_on or date.today()


def build_applications(*, plan: RecruitmentPlan, entries: list[tuple[PlanPost, ApplicantData]]) -> list[Application]:
    """Unsaved applications with eligibility decided by the engine under the policy of each
    post's unit: one engine call per policy, however many applicants."""
    on = eligibility_date(plan)
    parsed = []
    for pp, data in entries:
        id_number = data.id_number.strip().upper()
        birth, sex = parse_id(id_number)
        parsed.append((pp, data, id_number, birth, sex))
    policies = policies_for_units(units={pp.unit for pp, *_ in parsed}, on=on)
    groups: dict[str, list[int]] = {}
    for i, (pp, *_rest) in enumerate(parsed):
        groups.setdefault(policies[pp.unit_id][1], []).append(i)
    checked: dict[int, exam.Checked] = {}
    for idx in groups.values():
        policy = policies[parsed[idx[0]][0].unit_id][0]
        results = exam.check_applicants(policy, [
            exam.Applicant(birth_date=parsed[i][3], education=parsed[i][1].education,
                           certificate=parsed[i][1].certificate or "无", veteran=parsed[i][1].veteran,
                           residence_local=parsed[i][1].residence_local) for i in idx], on)
        checked.update(zip(idx, results, strict=True))
    return [
        Application(
            plan=plan, plan_post=pp, unit=pp.unit, name=data.name.strip(), id_number=id_number, sex=sex,
            birth_date=birth, education=data.education, certificate=data.certificate or "无",
            residence_local=data.residence_local, veteran=data.veteran, phone=data.phone,
            status=AppStatus.REJECTED if checked[i].reasons else AppStatus.ELIGIBLE,
            rejection_reason="；".join(checked[i].reasons), bonus=checked[i].points,
        )
        for i, (pp, data, id_number, birth, sex) in enumerate(parsed)
    ]


def build_application(*, plan: RecruitmentPlan, plan_post: PlanPost, data: ApplicantData) -> Application:
    return build_applications(plan=plan, entries=[(plan_post, data)])[0]


def _open(plan: RecruitmentPlan) -> None:
    if plan.status != PlanStatus.ANNOUNCED:
        raise RecruitmentError(PLAN_NOT_OPEN)


@transaction.atomic
def application_create(*, plan: RecruitmentPlan, plan_post: PlanPost, data: ApplicantData, actor: User) -> Application:
    require_unit_in_scope(actor, plan.scope)
    require_unit_in_scope(actor, plan_post.unit)
    _open(plan)
    if plan_post.plan_id != plan.pk:
        raise RecruitmentError(POST_NOT_IN_PLAN)
    app = build_application(plan=plan, plan_post=plan_post, data=data)
    clash = Application.objects.filter(plan=plan, id_number=app.id_number).first()
    if clash:
        raise RecruitmentError(DUPLICATE_APPLICATION.format(id_number=app.id_number, name=clash.name))
    app.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError as exc:  # a concurrent entry of the same ID number
        raise RecruitmentError(DUPLICATE_APPLICATION.format(id_number=app.id_number, name=app.name)) from exc
    audit_record(actor=actor, action=AuditAction.RECRUIT_APPLICATION_CREATE, target=app, unit=app.unit, after=snapshot(app),
                 summary=f"{app.name} 报名 {plan_post}：{app.get_status_display()}")
    return app


@transaction.atomic
def applications_bulk_create(*, plan: RecruitmentPlan, apps: list[Application], actor: User) -> int:
    """The import's commit: every row or none, one INSERT, one audit row each."""
    require_unit_in_scope(actor, plan.scope)
    _open(plan)
    for unit in {a.unit_id: a.unit for a in apps}.values():
        require_unit_in_scope(actor, unit)
    ids = [a.id_number for a in apps]
    clash = Application.objects.filter(plan=plan, id_number__in=ids).first()
    if clash or len(set(ids)) != len(ids):
        dup = clash.id_number if clash else next(i for i in ids if ids.count(i) > 1)
        raise RecruitmentError(DUPLICATE_APPLICATION.format(id_number=dup, name=clash.name if clash else ""))
    Application.objects.bulk_create(apps, batch_size=1000)
    saved = list(Application.objects.filter(plan=plan, id_number__in=ids))
    audit_bulk(actor=actor, action=AuditAction.RECRUIT_APPLICATION_CREATE, target_type="recruitment.application",
               rows=[(a.pk, a.name, a.unit, None, snapshot(a)) for a in saved], summary=f"{plan.title} 报名导入")
    return len(saved)


@transaction.atomic
def application_scores_set(
    *, application: Application, written: Decimal | float | None, interview: Decimal | float | None, actor: User
) -> Application:
    """Written and interview scores; the total uses the policy's weights plus preference points."""
    require_unit_in_scope(actor, application.unit)
    if application.status not in (AppStatus.ELIGIBLE,):
        raise RecruitmentError(NOT_SCORABLE.format(name=application.name))
    plan = application.plan
    if plan.status not in (PlanStatus.ANNOUNCED,):
        raise RecruitmentError(PLAN_NOT_OPEN)
    on = eligibility_date(plan)
    policy, _ = _policy(application.unit, on)
    params = policy.params(on).exam
    w = exam.check_score(params, "笔试成绩", written)
    i = exam.check_score(params, "面试成绩", interview)
    before = snapshot(application, ("written", "interview", "total"))
    application.written, application.interview = w, i
    application.total = exam.total_score(policy, on, written=w, interview=i, certificate=application.certificate,
                                         veteran=application.veteran)
    application.save(update_fields=["written", "interview", "total"])
    audit_record(actor=actor, action=AuditAction.RECRUIT_APPLICATION_SCORES, target=application, unit=application.unit,
                 before=before, after=snapshot(application, ("written", "interview", "total")))
    return application


@transaction.atomic
def plan_publish(*, plan: RecruitmentPlan, on: date, actor: User) -> RecruitmentPlan:
    """公示: the ranked list is published; from then on hires follow it."""
    require_unit_in_scope(actor, plan.scope)
    _open(plan)
    missing = plan.applications.filter(status=AppStatus.ELIGIBLE, total__isnull=True).count()
    if missing:
        raise RecruitmentError(NOT_ALL_SCORED.format(n=missing))
    plan.status, plan.published_on = PlanStatus.PUBLISHED, on
    plan.save(update_fields=["status", "published_on"])
    audit_record(actor=actor, action=AuditAction.RECRUIT_PLAN_PUBLISH, target=plan, unit=plan.scope,
                 after={"status": plan.status, "published_on": on})
    return plan


@transaction.atomic
def plan_close(*, plan: RecruitmentPlan, actor: User) -> RecruitmentPlan:
    """End a plan: its unfilled places stop counting against the units' vacancies."""
    require_unit_in_scope(actor, plan.scope)
    if plan.status == PlanStatus.CLOSED:
        raise RecruitmentError(PLAN_CLOSED)
    before = {"status": plan.status}
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.RECRUIT_PLAN_CLOSE, target=plan, unit=plan.scope, before=before,
                 after={"status": plan.status}, summary=f"结束招聘计划“{plan.title}”")
    return plan


# ---- ranking, hire, withdrawal (递补) -------------------------------------------------------

def post_ranking(plan_post: PlanPost) -> list[tuple[Application, exam.Ranked]]:
    """Scored candidates of one post still in the running (eligible or hired), best first."""
    apps = list(plan_post.applications.filter(status__in=[AppStatus.ELIGIBLE, AppStatus.HIRED], total__isnull=False))
    by_pk = {a.pk: a for a in apps}
    ranked = exam.rank([(a.pk, a.total, a.written) for a in apps], plan_post.places)  # type: ignore[misc]
    return [(by_pk[r.key], r) for r in ranked]


@transaction.atomic
def application_hire(*, application: Application, effective: date, actor: User, employer: str = "") -> Worker:
    """Hire from the published ranking: the person becomes a worker on probation at full pay
    (E-PROB), placed by the engine, in a quota place (Q-USE via worker_create)."""
    application = Application.objects.select_for_update(of=("self",)).select_related("plan", "plan_post", "unit").get(pk=application.pk)
    require_unit_in_scope(actor, application.unit)
    plan, pp = application.plan, application.plan_post
    if plan.status != PlanStatus.PUBLISHED:
        raise RecruitmentError(NOT_PUBLISHED)
    publicity = plan_publicity(plan=plan)
    if publicity is not None and effective <= publicity.end:
        raise RecruitmentError(PUBLICITY_NOT_OVER.format(
            name=application.name, effective=effective, days=publicity.days, end=publicity.end,
            first=publicity.first_hire_day,
        ))
    if application.status != AppStatus.ELIGIBLE:
        raise RecruitmentError(NOT_ELIGIBLE_TO_HIRE.format(name=application.name, status=application.get_status_display()))
    ranking = {a.pk: r for a, r in post_ranking(pp)}
    r = ranking.get(application.pk)
    if r is None or not r.within_places:
        raise RecruitmentError(OUTSIDE_PLACES.format(
            name=application.name, rank=r.rank if r else "—", post=str(pp), places=pp.places))
    vac = vacancy_of(unit=application.unit, on=effective)
    if vac.quota is None:
        raise RecruitmentError(NO_APPROVED_QUOTA.format(unit=application.unit.name))
    if vac.vacant < 1:
        raise RecruitmentError(HIRE_BEYOND_QUOTA.format(unit=application.unit.name, quota=vac.quota or 0, filled=vac.filled))

    policy, label = _policy(application.unit, effective)
    params = policy.params(effective)
    frame = pl.DataFrame({
        "worker_id": [0], "post": [pp.post], "education": [application.education],
        "community_work_start": [effective], "certificate": [application.certificate], "grade": [None],
    }, schema_overrides={"grade": pl.Int64})
    placed = place(policy, frame, effective)
    grade = int(placed["grade"][0])
    why = explain_rows(policy, "place", frame, effective)[0]
    months = params.probation.months
    probation_until = add_months(effective, months) if months else None
    worker = worker_create(
        data=WorkerData(
            name=application.name, id_number=application.id_number, unit=application.unit,
            category=Category.FULL_TIME.value, post=pp.post, education=application.education,
            community_work_start=effective, certificate=application.certificate, grade=grade,
            phone=application.phone, extra={"招聘计划": plan.title, "总成绩": str(application.total)},
        ),
        effective=effective, actor=actor, kind=EventKind.HIRE, cause=f"考试录用：{plan.title}（第 {r.rank} 名）",
        probation_until=probation_until, policy_version=label,
    )
    WorkerEvent.objects.create(
        worker=worker, kind=EventKind.PLACEMENT, effective=effective, cause="录用定岗定级", unit=worker.unit,
        actor=actor, policy_version=label,
        data={"after": {"post": pp.post, "grade": grade}, "explanation": why,
              "probation_until": probation_until.isoformat() if probation_until else None,
              "probation_pay_share": params.probation.pay_share},
    )
    contract_sign(worker=worker, kind=ContractKind.LABOUR, employer=employer or _street_name(application.unit),
                  start=effective, end=None, actor=actor)
    before = snapshot(application, ("status", "worker_id", "hired_on"))
    application.status, application.worker, application.hired_on = AppStatus.HIRED, worker, effective
    application.save(update_fields=["status", "worker", "hired_on"])
    audit_record(actor=actor, action=AuditAction.RECRUIT_APPLICATION_HIRE, target=application, unit=application.unit,
                 before=before, after=snapshot(application, ("status", "worker_id", "hired_on")),
                 summary=f"录用 {application.name}（{label}）")
    return worker


def _street_name(unit: Unit) -> str:
    from shequ.org.models import STREET_TYPES

    street = Unit.objects.filter(pk__in=unit.ancestor_ids(), unit_type__in=STREET_TYPES).order_by("-depth").first()
    return street.name if street else unit.name


@transaction.atomic
def application_withdraw(*, application: Application, reason: str, effective: date, actor: User) -> Application | None:
    """The candidate gives up (放弃); a hired one leaves the roster too. Returns the next in
    line (递补) who now falls within the places, if any."""
    from shequ.workers.services import worker_exit

    application = Application.objects.select_for_update(of=("self",)).select_related("plan_post", "unit", "worker").get(pk=application.pk)
    require_unit_in_scope(actor, application.unit)
    if application.status not in (AppStatus.ELIGIBLE, AppStatus.HIRED):
        raise RecruitmentError(NOT_WITHDRAWABLE.format(name=application.name, status=application.get_status_display()))
    before_in = {a.pk for a, r in post_ranking(application.plan_post) if r.within_places}
    if application.status == AppStatus.HIRED and application.worker is not None:
        worker_exit(worker=application.worker, on=effective, reason="放弃录用", actor=actor, cause=reason or "放弃录用")
    before = snapshot(application, ("status", "withdrawn_reason"))
    application.status, application.withdrawn_reason = AppStatus.WITHDRAWN, reason.strip()
    application.save(update_fields=["status", "withdrawn_reason"])
    audit_record(actor=actor, action=AuditAction.RECRUIT_APPLICATION_WITHDRAW, target=application, unit=application.unit,
                 before=before, after=snapshot(application, ("status", "withdrawn_reason")), summary=reason)
    after_in = [a for a, r in post_ranking(application.plan_post) if r.within_places]
    moved_up = [a for a in after_in if a.pk not in before_in]
    return moved_up[0] if moved_up else None


# ---- E-ASSIGN ---------------------------------------------------------------------------

@dataclass(frozen=True)
class AssignData:
    """One person assigned (选派) from a source pool to a post of a unit."""

    name: str
    id_number: str
    unit: Unit
    post: str
    education: str
    pool: str
    community_work_start: date | None = None
    certificate: str = "无"
    phone: str = ""


@transaction.atomic
def worker_assign(*, data: AssignData, effective: date, actor: User, employer: str = "") -> Worker:
    """E-ASSIGN: entry by assignment beside exam and conversion — only from a pool and into a
    post the policy names, counted against quota (Q-USE), placed by the engine, with its own
    ASSIGNMENT event recording the source pool."""
    require_unit_in_scope(actor, data.unit)
    policy, label = _policy(data.unit, effective)
    rule = policy.params(effective).assignment
    if not rule.pools:
        raise RecruitmentError(NO_ASSIGNMENT_RULE.format(policy=label))
    if data.pool not in rule.pools:
        raise RecruitmentError(POOL_NOT_ALLOWED.format(pool=data.pool, policy=label, pools="、".join(rule.pools)))
    if rule.posts and data.post not in rule.posts:
        raise RecruitmentError(POST_NOT_ASSIGNABLE.format(post=data.post, policy=label, posts="、".join(rule.posts)))
    if rule.within_quota:
        vac = vacancy_of(unit=data.unit, on=effective)
        if vac.quota is None:
            raise RecruitmentError(NO_APPROVED_QUOTA.format(unit=data.unit.name))
        if vac.vacant < 1:
            raise RecruitmentError(ASSIGN_BEYOND_QUOTA.format(unit=data.unit.name, quota=vac.quota or 0, filled=vac.filled))
    start = data.community_work_start or effective
    frame = pl.DataFrame({
        "worker_id": [0], "post": [data.post], "education": [data.education], "community_work_start": [start],
        "certificate": [data.certificate], "grade": [None],
    }, schema_overrides={"grade": pl.Int64})
    grade = int(place(policy, frame, effective)["grade"][0])
    why = explain_rows(policy, "place", frame, effective)[0]
    worker = worker_create(
        data=WorkerData(
            name=data.name, id_number=data.id_number, unit=data.unit, category=Category.FULL_TIME.value,
            post=data.post, education=data.education, community_work_start=start, certificate=data.certificate,
            grade=grade, phone=data.phone, extra={"选派来源": data.pool},
        ),
        effective=effective, actor=actor, kind=EventKind.ASSIGNMENT, cause=f"选派：来自{data.pool}",
        policy_version=label,
    )
    event = worker.events.get(kind=EventKind.ASSIGNMENT)
    event.data = {**event.data, "pool": data.pool}
    event.save(update_fields=["data"])
    WorkerEvent.objects.create(
        worker=worker, kind=EventKind.PLACEMENT, effective=effective, cause="选派定岗定级", unit=worker.unit,
        actor=actor, policy_version=label, data={"after": {"post": data.post, "grade": grade}, "explanation": why},
    )
    contract_sign(worker=worker, kind=ContractKind.LABOUR, employer=employer or _street_name(data.unit),
                  start=effective, end=None, actor=actor)
    return worker
