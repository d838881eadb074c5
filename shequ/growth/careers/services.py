"""Writes of the careers area. Each: keyword-only, one transaction, events and audit rows.

Rules come from the policy in force for the worker's unit (shequ.policy.selectors.policy_for):
promotion conditions and election conversion ([careers]), movable posts ([mobility]),
retirement ages ([retirement]), grid sizes ([grids]). Nothing here knows a locality."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from shequ.accounts.decorators import NO_CAPABILITY
from shequ.accounts.roles import has_capability
from shequ.common.audit import audit_record, snapshot
from shequ.common.audit_actions import AuditAction
from shequ.common.provinces import transaction
from shequ.common.scope import require_unit_in_scope
from shequ.errors import Forbidden, Invalid
from shequ.growth.careers.models import (
    AdmissionItem,
    AdmissionStatus,
    GridInfo,
    Honour,
    ReserveCandidate,
    ReserveKind,
)
from shequ.org.models import COMMUNITY_TYPES, STREET_TYPES, Unit, UnitType
from shequ.org.services import FactValues, unit_create, unit_fact_set
from shequ.policy.selectors import policy_for
from shequ.rules import Policy, place, vocab
from shequ.rules.schema import PromotionRule, SelectionRule
from shequ.rules.vocab import CERTIFICATE_RANK, EDUCATION_RANK, TIER_RANK
from shequ.workers.idnumbers import parse_id
from shequ.workers.models import EventKind, Status, Worker, WorkerEvent
from shequ.workers.services import worker_exit, worker_transfer, worker_update

if TYPE_CHECKING:
    from shequ.accounts.models import User

# ---- messages (asserted by text in tests) ----------------------------------------------
NOT_A_COMMUNITY = "“{unit}”不是社区（村），后备人选只能列入社区"
RESERVE_DUPLICATE = "{name}（{id_number}）已在“{unit}”的{kind}中"
RESERVE_ALREADY_REMOVED = "{name} 已于 {removed_on} 出库"
RESERVE_WORKER_LEFT = "{name} 已离职，不能列为后备人选"

PROMOTION_NO_RULE = "适用政策（{policy}）没有从“{from_post}”晋升到“{to_post}”的规定"
PROMOTION_UNMET = "{name} 不符合“{from_post}→{to_post}”的晋升条件：{reasons}"
COND_YEARS_IN_POST = "任现岗位满 {need:g} 年（现 {have} 年）"
COND_COMMUNITY_YEARS = "社区工作年限满 {need:g} 年（现 {have} 年）"
COND_EDUCATION = "学历{need}及以上（现为{have}）"
COND_CERTIFICATE = "职业资格{need}及以上（现为{have}）"
COND_TIER = "近 {years} 年考核均为{need}及以上（{have}）"
COND_GRADE = "等级达到 {need} 级（现 {have} 级）"
ELECTION_NO_RULE = "适用政策（{policy}）没有“{office}”直接套转的规定；可选：{choices}"
SELECTION_UNMET = "{name} 不符合政策“{policy}”选拔为{path}的条件：{unmet}"
COND_FROM_POSTS = "岗位为{need}（现为{have}）"
CAREER_UNKNOWN_PATH = "不认识的职业发展去向“{path}”；可选：{choices}"
MOVE_NOT_MOVABLE = "{name} 的岗位“{post}”不在适用政策（{policy}）允许跨街道、跨区县流动的岗位之列（允许：{allowed}）"
MOVE_POST_UNKNOWN = "接收单位“{unit}”适用的政策（{policy}）没有“{post}”岗位"
EXIT_UNKNOWN_REASON = "不认识的退出方式“{reason}”；可选：{choices}"
EXIT_CAUSE_REQUIRED = "解聘须写明事由（如连续两年考核不称职、违反负面清单）"
RETIRE_TOO_EARLY = "{name} 到 {on} 为 {age} 周岁，未到适用政策规定的退休年龄 {need} 周岁（{sex}，{post}）"
RETIRE_NO_AGE = "适用政策（{policy}）没有规定{sex}性“{post}”的退休年龄"
GRID_PARENT_NOT_COMMUNITY = "网格只能设在社区（村）下，“{unit}”是{unit_type}"
GRID_HOUSEHOLDS_OUT = "网格户数 {households} 户不在 {low}—{high} 户的标准内（适用政策 {policy}）"
GRID_PARTY_ORG_REQUIRED = "请填写网格党组织名称（每个网格建立党组织）"
GRID_LEADER_ELSEWHERE = "网格负责人 {name} 不在“{community}”工作"
GRID_NOT_A_GRID = "“{unit}”不是网格"
ADMISSION_TITLE_REQUIRED = "请填写事项名称"
ADMISSION_CATEGORY_REQUIRED = "请填写事项类别"
ADMISSION_DUPLICATE = "“{unit}”的准入清单中已有“{title}”（已准入或待审批）"
ADMISSION_NOT_PROPOSED = "“{title}”不是待审批状态，不能审批"
ADMISSION_NOT_APPROVED = "“{title}”不是已准入状态，不能取消"
ADMISSION_SELF_APPROVAL = "不能审批自己提出的准入事项"
ADMISSION_UNIT_TOO_LOW = "准入清单按街道及以上单位设立，“{unit}”是{unit_type}"


HONOUR_TERM_BEFORE_AWARD = "任期届满日期（{term_end}）须晚于授予/当选日期（{awarded_on}）"


class CareersError(Invalid):
    pass


def _clean(obj: Any) -> None:
    """Field validation with the model's Chinese labels; constraints are checked by the
    services' own messages and by the database."""
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as exc:
        labels = {f.name: str(f.verbose_name) for f in obj._meta.fields}
        parts = [f"{labels.get(k, k)}：{'；'.join(v)}" for k, v in exc.message_dict.items()]
        raise CareersError("；".join(parts)) from None


# C-PATH: where an outstanding worker may be selected to (SPEC C-PATH names them).
CAREER_PATHS = vocab.CAREER_PATHS

# C-EXIT: the lawful ways out.
EXIT_RESIGN = "辞职"
EXIT_DISMISS = "解聘"
EXIT_RETIRE = "退休"
EXIT_SELECTED = "选拔任用"
EXIT_REASONS = (EXIT_RESIGN, EXIT_DISMISS, EXIT_RETIRE, EXIT_SELECTED)


def _require(actor: User, capability: str) -> None:
    if not has_capability(actor, capability):
        raise Forbidden(NO_CAPABILITY)


def _full_years(start: date, on: date) -> int:
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


# ---- reserve pool (Q-RESV) ---------------------------------------------------------------

@dataclass(frozen=True)
class ReserveData:
    community: Unit
    added_on: date
    kind: str = ReserveKind.SECRETARY
    worker: Worker | None = None
    name: str = ""
    id_number: str = ""
    education: str = ""
    source: str = "社区工作者"
    note: str = ""


@transaction.atomic
def reserve_add(*, data: ReserveData, actor: User) -> ReserveCandidate:
    """Q-RESV: put a person into a community's reserve pool. A roster worker brings their
    own facts; anyone else is entered with ID number and education."""
    require_unit_in_scope(actor, data.community)
    if data.community.unit_type not in COMMUNITY_TYPES:
        raise CareersError(NOT_A_COMMUNITY.format(unit=data.community.name))
    if data.worker is not None:
        require_unit_in_scope(actor, data.worker.unit)
        if data.worker.status == Status.LEFT:
            raise CareersError(RESERVE_WORKER_LEFT.format(name=data.worker.name))
        w = data.worker
        name, id_number, sex, birth, education = w.name, w.id_number, w.sex, w.birth_date, w.education
    else:
        id_number = data.id_number.strip().upper()
        birth, sex = parse_id(id_number)
        name, education = data.name.strip(), data.education
    candidate = ReserveCandidate(
        community=data.community, kind=data.kind, worker=data.worker, name=name, id_number=id_number,
        sex=sex, birth_date=birth, education=education, source=data.source, added_on=data.added_on,
        note=data.note, created_by=actor if getattr(actor, "pk", None) else None,
    )
    _clean(candidate)
    if ReserveCandidate.objects.filter(
        community=data.community, kind=data.kind, id_number=id_number, removed_on__isnull=True
    ).exists():
        raise CareersError(RESERVE_DUPLICATE.format(
            name=name, id_number=id_number, unit=data.community.name, kind=candidate.get_kind_display()))
    candidate.save()
    audit_record(actor=actor, action=AuditAction.RESERVE_ADD, target=candidate, unit=data.community,
                 after=snapshot(candidate), summary=f"{name} 列入{data.community.name}{candidate.get_kind_display()}")
    return candidate


@transaction.atomic
def reserve_remove(*, candidate: ReserveCandidate, on: date, reason: str, actor: User) -> ReserveCandidate:
    require_unit_in_scope(actor, candidate.community)
    if candidate.removed_on is not None:
        raise CareersError(RESERVE_ALREADY_REMOVED.format(name=candidate.name, removed_on=candidate.removed_on))
    before = snapshot(candidate, ("removed_on", "removed_reason"))
    candidate.removed_on = on
    candidate.removed_reason = reason
    if on < candidate.added_on:
        raise CareersError(f"出库日期（{on}）不能早于入库日期（{candidate.added_on}）")
    candidate.save(update_fields=["removed_on", "removed_reason"])
    audit_record(actor=actor, action=AuditAction.RESERVE_REMOVE, target=candidate, unit=candidate.community, before=before,
                 after=snapshot(candidate, ("removed_on", "removed_reason")), summary=reason)
    return candidate


# ---- promotion and election conversion (C-PATH, G-TR) ----------------------------------

def _post_since(worker: Worker) -> date:
    """When the worker took the current post: the last event that set it, else entry."""
    for e in worker.events.filter(
        kind__in=[EventKind.POST_CHANGE, EventKind.CONVERSION, EventKind.PLACEMENT, EventKind.EDIT]
    ).order_by("-effective", "-id"):
        after = e.data.get("after") if isinstance(e.data, dict) else None
        if isinstance(after, dict) and after.get("post") == worker.post:
            return e.effective
    return worker.hired_on or worker.community_work_start


def assessment_tiers(worker: Worker) -> dict[int, str]:
    """year → tier from the worker's assessment events. The assessment area records each
    year's result as an `assessment` event whose data holds `year` and `tier` (or
    after.tier); the event's year stands in when `year` is missing."""
    out: dict[int, str] = {}
    for e in worker.events.filter(kind=EventKind.ASSESSMENT).order_by("effective", "id"):
        data: dict[str, Any] = e.data if isinstance(e.data, dict) else {}
        raw_after = data.get("after")
        after: dict[str, Any] = raw_after if isinstance(raw_after, dict) else {}
        tier = data.get("tier") or after.get("tier")
        year = data.get("year") or after.get("year") or e.effective.year
        if tier:
            out[int(year)] = str(tier)
    return out


def _find_rule(policy: Policy, on: date, from_post: str, to_post: str) -> PromotionRule | None:
    for rule in policy.params(on).careers.promotions:
        if rule.from_post == from_post and rule.to_post == to_post:
            return rule
    return None


def promotion_unmet(*, worker: Worker, rule: PromotionRule, on: date, policy: Policy) -> list[str]:
    """The conditions of `rule` the worker does not meet on `on` (empty: eligible)."""
    unmet: list[str] = []
    if rule.min_years_in_post is not None:
        in_post = _full_years(_post_since(worker), on)
        if in_post < rule.min_years_in_post:
            unmet.append(COND_YEARS_IN_POST.format(need=rule.min_years_in_post, have=in_post))
    if rule.min_community_years is not None:
        served = _full_years(worker.community_work_start, on)
        if served < rule.min_community_years:
            unmet.append(COND_COMMUNITY_YEARS.format(need=rule.min_community_years, have=served))
    if rule.min_education is not None and EDUCATION_RANK.get(worker.education, -1) < EDUCATION_RANK[rule.min_education]:
        unmet.append(COND_EDUCATION.format(need=rule.min_education, have=worker.education))
    if rule.min_certificate is not None and CERTIFICATE_RANK.get(worker.certificate, 0) < CERTIFICATE_RANK[rule.min_certificate]:
        unmet.append(COND_CERTIFICATE.format(need=rule.min_certificate, have=worker.certificate))
    if rule.min_tier is not None:
        tiers = assessment_tiers(worker)
        # The last complete assessment years before `on`.
        years = list(range(on.year - rule.tier_years, on.year))
        got = [policy.canonical_tier(tiers[y], on) if y in tiers else None for y in years]
        ok = all(t is not None and TIER_RANK[t] >= TIER_RANK[rule.min_tier] for t in got)
        if not ok:
            record = "、".join(f"{y}年{t or '无结果'}" for y, t in zip(years, got, strict=True))
            unmet.append(COND_TIER.format(years=rule.tier_years, need=rule.min_tier, have=record))
    if rule.min_grade is not None and (worker.grade or 0) < rule.min_grade:
        unmet.append(COND_GRADE.format(need=rule.min_grade, have=worker.grade or "—"))
    return unmet


def selection_unmet(*, worker: Worker, rule: SelectionRule, on: date, policy: Policy) -> list[str]:
    """C-PATH: the conditions of a selection rule the worker does not meet (empty: eligible).
    The tier test is the promotions' (the last complete years before `on`)."""
    unmet: list[str] = []
    if rule.from_posts and worker.post not in rule.from_posts:
        unmet.append(COND_FROM_POSTS.format(need="、".join(rule.from_posts), have=worker.post or "无"))
    if rule.min_tier is not None:
        as_promotion = PromotionRule(from_post=worker.post, to_post=worker.post, min_tier=rule.min_tier,
                                     tier_years=rule.tier_years)
        unmet += promotion_unmet(worker=worker, rule=as_promotion, on=on, policy=policy)
    return unmet


def grade_in_new_post(*, worker: Worker, post: str, policy: Policy, on: date) -> int:
    """The grade after a move to `post`: the engine's placement for that post, but never
    below the grade the worker already holds (a promotion must not cut pay), clipped
    into the post's range."""
    frame = pl.DataFrame({
        "worker_id": [worker.pk], "post": [post], "education": [worker.education],
        "community_work_start": [worker.community_work_start], "certificate": [worker.certificate],
        "category": [worker.category], "sex": [worker.sex], "birth_date": [worker.birth_date],
        "grade": pl.Series([None], dtype=pl.Int64),
    })
    placed = int(place(policy, frame, on)["grade"][0])
    spec = policy.post(post)
    return max(spec.grade_min, min(spec.grade_max, max(placed, worker.grade or 0)))


@transaction.atomic
def career_promote(*, worker: Worker, to_post: str, effective: date, actor: User) -> WorkerEvent:
    """C-PATH/G-TR: promote between post categories when the policy's conditions hold."""
    require_unit_in_scope(actor, worker.unit)
    policy, label = policy_for(unit=worker.unit, on=effective)
    rule = _find_rule(policy, effective, worker.post, to_post)
    if rule is None:
        raise CareersError(PROMOTION_NO_RULE.format(policy=label, from_post=worker.post, to_post=to_post))
    unmet = promotion_unmet(worker=worker, rule=rule, on=effective, policy=policy)
    if unmet:
        raise CareersError(PROMOTION_UNMET.format(
            name=worker.name, from_post=worker.post, to_post=to_post, reasons="；".join(unmet)))
    grade = grade_in_new_post(worker=worker, post=to_post, policy=policy, on=effective)
    from_post = worker.post
    event = worker_update(
        worker=worker, changes={"post": to_post, "grade": grade}, effective=effective, actor=actor,
        kind=EventKind.POST_CHANGE, policy_version=label,
        cause=f"岗位晋升：{from_post}→{to_post}，符合政策规定的晋升条件",
    )
    assert event is not None
    return event


@transaction.atomic
def career_elect(*, worker: Worker, office: str, effective: date, actor: User) -> WorkerEvent:
    """G-TR: a worker elected (or appointed) into the 两委 converts directly to the post
    and grade the policy matches to that office."""
    require_unit_in_scope(actor, worker.unit)
    policy, label = policy_for(unit=worker.unit, on=effective)
    careers = policy.params(effective).careers
    post = careers.election.get(office)
    if post is None:
        raise CareersError(ELECTION_NO_RULE.format(
            policy=label, office=office, choices="、".join(careers.election) or "无"))
    changes: dict[str, Any] = {"post": post, "grade": grade_in_new_post(worker=worker, post=post, policy=policy, on=effective)}
    if careers.election_category:
        changes["category"] = careers.election_category
    event = worker_update(
        worker=worker, changes=changes, effective=effective, actor=actor, kind=EventKind.CONVERSION,
        policy_version=label, cause=f"当选社区两委（{office}），直接套转为{post}",
    )
    if event is None:  # already in that post and grade: still record the election
        event = WorkerEvent.objects.create(
            worker=worker, kind=EventKind.CONVERSION, effective=effective, unit=worker.unit, actor=actor,
            policy_version=label, cause=f"当选社区两委（{office}），岗位等级不变", data={"office": office},
        )
        audit_record(actor=actor, action=AuditAction.WORKER_CONVERSION, target=worker, unit=worker.unit, summary=event.cause)
    return event


@transaction.atomic
def career_select(
    *, worker: Worker, path: str, organisation: str, effective: date, actor: User, leaves: bool = False
) -> WorkerEvent:
    """C-PATH: selection into 事业编, civil service or street leadership, as a CAREER event;
    when the worker leaves the community post for it, the exit follows (C-EXIT)."""
    require_unit_in_scope(actor, worker.unit)
    if path not in CAREER_PATHS:
        raise CareersError(CAREER_UNKNOWN_PATH.format(path=path, choices="、".join(CAREER_PATHS)))
    if worker.status == Status.LEFT:
        raise CareersError(f"{worker.name} 已于 {worker.left_on} 离职")
    policy, label = policy_for(unit=worker.unit, on=effective)
    rules = [r for r in policy.params(effective).careers.selections if r.path == path]
    if rules:
        # Any one of the policy's rules for the path suffices; report the first's gaps.
        gaps = [selection_unmet(worker=worker, rule=r, on=effective, policy=policy) for r in rules]
        if all(gaps):
            raise CareersError(SELECTION_UNMET.format(name=worker.name, policy=label, path=path, unmet="；".join(gaps[0])))
    data = {"path": path, "organisation": organisation, "leaves": leaves}
    event = WorkerEvent.objects.create(
        worker=worker, kind=EventKind.CAREER, effective=effective, unit=worker.unit, actor=actor, policy_version=label,
        cause=f"选拔为{path}（{organisation}）" if organisation else f"选拔为{path}", data=data,
    )
    audit_record(actor=actor, action=AuditAction.WORKER_CAREER, target=worker, unit=worker.unit, after=data, summary=event.cause)
    if leaves:
        worker_exit(worker=worker, on=effective, reason=EXIT_SELECTED, actor=actor, cause=event.cause)
    return event


@transaction.atomic
def honour_record(
    *, worker: Worker, kind: str, level: str, title: str, awarded_on: date, actor: User,
    term_end: date | None = None, awarded_by: str = "",
) -> Honour:
    """C-HONOR: an honour or a seat among the 两代表一委员, with its HONOUR event."""
    require_unit_in_scope(actor, worker.unit)
    honour = Honour(worker=worker, kind=kind, level=level, title=title.strip() or kind, awarded_on=awarded_on,
                    term_end=term_end, awarded_by=awarded_by, created_by=actor if getattr(actor, "pk", None) else None)
    if term_end is not None and term_end <= awarded_on:
        raise CareersError(HONOUR_TERM_BEFORE_AWARD.format(term_end=term_end, awarded_on=awarded_on))
    _clean(honour)
    honour.save()
    after = snapshot(honour)
    WorkerEvent.objects.create(
        worker=worker, kind=EventKind.HONOUR, effective=awarded_on, unit=worker.unit, actor=actor,
        cause=f"{level}{honour.title}", data={"after": after, "honour_id": honour.pk},
    )
    audit_record(actor=actor, action=AuditAction.HONOUR_RECORD, target=honour, unit=worker.unit, after=after, summary=honour.title)
    return honour


# ---- moves (C-MOVE) ----------------------------------------------------------------------

def _street_of(unit: Unit) -> int | None:
    node: Unit | None = unit
    while node is not None and node.unit_type not in STREET_TYPES:
        node = node.parent
    return node.pk if node else None


@transaction.atomic
def career_move(*, worker: Worker, to_unit: Unit, effective: date, actor: User, cause: str = "") -> WorkerEvent:
    """C-MOVE: a move to another street or district is open only to the posts the sending
    unit's policy lists as movable; the receiving unit's quota check (Q-USE, registered
    with the roster) applies, and the actor must hold both ends in scope."""
    require_unit_in_scope(actor, worker.unit)
    require_unit_in_scope(actor, to_unit)
    policy, label = policy_for(unit=worker.unit, on=effective)
    if _street_of(worker.unit) != _street_of(to_unit):
        allowed = policy.params(effective).mobility.movable_posts
        if worker.post not in allowed:
            raise CareersError(MOVE_NOT_MOVABLE.format(
                name=worker.name, post=worker.post, policy=label, allowed="、".join(allowed) or "无"))
        to_policy, to_label = policy_for(unit=to_unit, on=effective)
        if worker.post not in to_policy.posts:
            raise CareersError(MOVE_POST_UNKNOWN.format(unit=to_unit.name, policy=to_label, post=worker.post))
    return worker_transfer(
        worker=worker, to_unit=to_unit, effective=effective, actor=actor,
        cause=cause or f"流动：{worker.unit.name}→{to_unit.name}（{label}）",
    )


# ---- retirement and exit (C-RETIRE, C-EXIT) ----------------------------------------------

def retirement_age(*, worker: Worker, on: date) -> tuple[int | None, str]:
    policy, label = policy_for(unit=worker.unit, on=on)
    return policy.retirement_age(worker.sex, worker.post, on), label


@transaction.atomic
def career_exit(*, worker: Worker, reason: str, on: date, actor: User, cause: str = "") -> WorkerEvent:
    """C-EXIT: resignation, dismissal or retirement ends the contract and frees the quota
    place (worker_exit); retirement only at the policy's age for the worker's sex and post."""
    require_unit_in_scope(actor, worker.unit)
    if reason not in EXIT_REASONS:
        raise CareersError(EXIT_UNKNOWN_REASON.format(reason=reason, choices="、".join(EXIT_REASONS)))
    label = ""
    if reason == EXIT_DISMISS and not cause.strip():
        raise CareersError(EXIT_CAUSE_REQUIRED)
    if reason == EXIT_RETIRE:
        need, label = retirement_age(worker=worker, on=on)
        if need is None:
            raise CareersError(RETIRE_NO_AGE.format(policy=label, sex=worker.sex, post=worker.post))
        age = worker.age_on(on)
        if age < need:
            raise CareersError(RETIRE_TOO_EARLY.format(
                name=worker.name, on=on, age=age, need=need, sex=worker.sex, post=worker.post))
        cause = cause or f"达到退休年龄 {need} 周岁"
    return worker_exit(worker=worker, on=on, reason=reason, actor=actor, policy_version=label, cause=cause)


# ---- grids (ORG-4) -----------------------------------------------------------------------

def _check_grid(*, community: Unit, households: int, party_org: str, leader: Worker | None, on: date) -> None:
    if community.unit_type not in COMMUNITY_TYPES:
        raise CareersError(GRID_PARENT_NOT_COMMUNITY.format(unit=community.name, unit_type=community.unit_type))
    if not party_org.strip():
        raise CareersError(GRID_PARTY_ORG_REQUIRED)
    policy, label = policy_for(unit=community, on=on)
    g = policy.params(on).grids
    low = g.households_min if g.households_min is not None else 0
    high = g.households_max
    if households < low or (high is not None and households > high):
        raise CareersError(GRID_HOUSEHOLDS_OUT.format(
            households=households, low=low, high=high if high is not None else "不限", policy=label))
    if leader is not None and (leader.unit_id != community.pk or leader.status == Status.LEFT):
        raise CareersError(GRID_LEADER_ELSEWHERE.format(name=leader.name, community=community.name))


@transaction.atomic
def grid_create(
    *, community: Unit, name: str, households: int, party_org: str, leader: Worker | None, on: date, actor: User
) -> GridInfo:
    """ORG-4: a grid under a community, sized by the policy's household range, with its
    party organisation and the worker in charge."""
    require_unit_in_scope(actor, community)
    _check_grid(community=community, households=households, party_org=party_org, leader=leader, on=on)
    unit = unit_create(name=name.strip(), unit_type=UnitType.GRID, parent=community, actor=actor)
    unit_fact_set(unit=unit, since=on, values=FactValues(households=households, population=0, urban_population=0),
                  actor=actor, source="网格设立")
    info = GridInfo.objects.create(unit=unit, party_org=party_org.strip(), leader=leader)
    audit_record(actor=actor, action=AuditAction.GRID_CREATE, target=info, unit=unit, after=snapshot(info),
                 summary=f"{community.name} 设立{unit.name}（{households} 户）")
    return info


@transaction.atomic
def grid_update(
    *, grid: Unit, households: int, party_org: str, leader: Worker | None, on: date, actor: User
) -> GridInfo:
    require_unit_in_scope(actor, grid)
    if grid.unit_type != UnitType.GRID or grid.parent is None:
        raise CareersError(GRID_NOT_A_GRID.format(unit=grid.name))
    _check_grid(community=grid.parent, households=households, party_org=party_org, leader=leader, on=on)
    info, _ = GridInfo.objects.get_or_create(unit=grid, defaults={"party_org": party_org.strip()})
    before = snapshot(info)
    info.party_org, info.leader = party_org.strip(), leader
    info.save()
    unit_fact_set(unit=grid, since=on, values=FactValues(households=households, population=0, urban_population=0),
                  actor=actor, source="网格调整")
    audit_record(actor=actor, action=AuditAction.GRID_UPDATE, target=info, unit=grid, before=before, after=snapshot(info))
    return info


# ---- the community affairs admission list (ORG-5) ---------------------------------------

@transaction.atomic
def admission_item_propose(
    *, unit: Unit, title: str, category: str, department: str = "", basis: str = "", actor: User
) -> AdmissionItem:
    """ORG-5: a street (or the bureau) proposes an item; it is not in force until approved."""
    _require(actor, "growth.change")
    require_unit_in_scope(actor, unit)
    if unit.unit_type not in (UnitType.CITY, UnitType.COUNTY, *STREET_TYPES):
        raise CareersError(ADMISSION_UNIT_TOO_LOW.format(unit=unit.name, unit_type=unit.unit_type))
    if not title.strip():
        raise CareersError(ADMISSION_TITLE_REQUIRED)
    if not category.strip():
        raise CareersError(ADMISSION_CATEGORY_REQUIRED)
    if AdmissionItem.objects.filter(unit=unit, title=title.strip(), status__in=["proposed", "approved"]).exists():
        raise CareersError(ADMISSION_DUPLICATE.format(unit=unit.name, title=title.strip()))
    item = AdmissionItem(unit=unit, title=title.strip(), category=category.strip(), department=department.strip(),
                         basis=basis.strip(), proposed_by=actor if getattr(actor, "pk", None) else None)
    _clean(item)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:
        raise CareersError(ADMISSION_DUPLICATE.format(unit=unit.name, title=item.title)) from exc
    audit_record(actor=actor, action=AuditAction.ADMISSION_PROPOSE, target=item, unit=unit, after=snapshot(item),
                 summary=f"提出准入事项：{item.title}")
    return item


@transaction.atomic
def admission_item_decide(
    *, item: AdmissionItem, approve: bool, actor: User, note: str = "", effective: date | None = None
) -> AdmissionItem:
    """ORG-5: only the bureau (growth.approve) decides, never on its own proposal."""
    _require(actor, "growth.approve")
    require_unit_in_scope(actor, item.unit)
    # Lock the row, then read it fresh: two approvers must not both decide.
    list(AdmissionItem.objects.select_for_update().filter(pk=item.pk).values_list("pk", flat=True))
    item.refresh_from_db()
    if item.status != AdmissionStatus.PROPOSED:
        raise CareersError(ADMISSION_NOT_PROPOSED.format(title=item.title))
    if item.proposed_by_id is not None and item.proposed_by_id == getattr(actor, "pk", None):
        raise CareersError(ADMISSION_SELF_APPROVAL)
    before = snapshot(item, ("status", "decided_on", "effective"))
    today = timezone.localdate()
    item.status = AdmissionStatus.APPROVED if approve else AdmissionStatus.REJECTED
    item.decided_by, item.decided_on, item.decision_note = actor, today, note
    item.effective = (effective or today) if approve else None
    item.save()
    audit_record(actor=actor, action=AuditAction.ADMISSION_APPROVE if approve else AuditAction.ADMISSION_REJECT, target=item,
                 unit=item.unit, before=before, after=snapshot(item, ("status", "decided_on", "effective")), summary=note)
    return item


@transaction.atomic
def admission_item_remove(*, item: AdmissionItem, on: date, actor: User, note: str = "") -> AdmissionItem:
    """ORG-5: the bureau takes an item off the list (减负)."""
    _require(actor, "growth.approve")
    require_unit_in_scope(actor, item.unit)
    list(AdmissionItem.objects.select_for_update().filter(pk=item.pk).values_list("pk", flat=True))
    item.refresh_from_db()
    if item.status != AdmissionStatus.APPROVED:
        raise CareersError(ADMISSION_NOT_APPROVED.format(title=item.title))
    before = snapshot(item, ("status", "removed_on"))
    item.status, item.removed_on = AdmissionStatus.REMOVED, on
    item.decision_note = note or item.decision_note
    item.save(update_fields=["status", "removed_on", "decision_note"])
    audit_record(actor=actor, action=AuditAction.ADMISSION_REMOVE, target=item, unit=item.unit, before=before,
                 after=snapshot(item, ("status", "removed_on")), summary=note)
    return item
