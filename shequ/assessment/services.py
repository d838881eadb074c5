"""Writes of the annual assessment. Each: keyword-only, one transaction, audit rows; every
population-wide write in bulk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import polars as pl
from django.utils import timezone

from shequ.assessment.bulk import insert
from shequ.assessment.compute import (
    Evaluation,
    assessment_params,
    campaign_policy,
    campaign_workers,
    evaluate,
    negative_list,
)
from shequ.assessment.models import (
    Action,
    Breach,
    Campaign,
    CampaignStatus,
    Consequence,
    ConsequenceStatus,
    Result,
    Score,
)
from shequ.common.audit import audit_bulk, audit_record
from shequ.common.audit_actions import SCORE_ACTIONS, AuditAction
from shequ.common.provinces import transaction
from shequ.common.scope import require_unit_in_scope
from shequ.errors import Invalid
from shequ.jobs.progress import Progress
from shequ.jobs.services import job_submit
from shequ.org.locks import LockRule, scope_lock
from shequ.org.models import Unit
from shequ.rules import vocab
from shequ.workers.models import EventKind, Status, Worker, WorkerEvent
from shequ.workers.services import worker_exit

if TYPE_CHECKING:
    from shequ.accounts.models import User
    from shequ.jobs.models import Job

# Error messages (asserted by text in tests).
BAD_YEAR = "年度“{year}”不正确，应为 2000—2100 之间的年份"
CAMPAIGN_EXISTS = "“{unit}”{year} 年度考核已存在"
CAMPAIGN_OVERLAPS = "“{other}”的 {year} 年度考核已覆盖“{unit}”的人员，不能重复考核"
NOT_DRAFT = "{name}已{status}，评分不能再修改"
NOT_PUBLISHED = "{name}的结果尚未公布，不能确认结果运用"
ALREADY_CONFIRMED = "{name}的结果运用已经确认过"
WORKER_NOT_IN_CAMPAIGN = "{name} 不在本次考核范围内"
UNKNOWN_TIER = "考核等次“{tier}”不正确，应为 优秀、称职、基本称职、不称职（或 合格、基本合格、不合格）"
BAD_NUMBER = "{field}“{value}”不是数字"
OUT_OF_RANGE = "{field}“{value}”应在 {low}—{high} 之间"
PARTIAL_INDICATORS = "指标须全部填写或全部留空，缺少：{missing}"
NOTHING_GIVEN = "没有填写考核等次、得分或指标得分"
ADJUST_NEEDS_REASON = "调整等次须说明原因"
NO_NEGATIVE_LIST = "本地政策未设负面清单，不能登记负面清单情形"
BREACH_NEEDS_REASON = "请填写负面清单情形"
MISSING_TIERS = "尚有 {n} 人未评定等次（如 {names}），不能公布结果"
CAP_BREACHED = "优秀 {excellent} 人，按上限 {cap:.0%} 最多 {allowed} 人，须调减 {over} 人后才能公布结果"
RESULT_EXISTS = "{name} 的 {year} 年度考核结果已存在（另一次考核或导入），不能重复公布"
NOT_PROPOSED = "{name} 的解聘建议已处理（{status}）"
REJECT_NEEDS_NOTE = "不予解聘须填写理由"

INDICATOR_RANGE = (0, 100)
EVENT_FIELDS = ["worker_id", "kind", "effective", "cause", "unit_id", "actor_id", "policy_version", "data", "recorded_at"]
SCORE_RANGE = (0, 1000)


class AssessmentError(Invalid):
    pass


def canonical_tier(raw: str, aliases: dict[str, str]) -> str:
    """A-TIER: 合格/基本合格/不合格 read as 称职/基本称职/不称职 (aliases from the policy)."""
    t = (raw or "").strip()
    t = aliases.get(t, t)
    if t not in vocab.TIERS:
        raise AssessmentError(UNKNOWN_TIER.format(tier=raw))
    return t


def parse_number(raw: Any, *, field: str, low: float, high: float) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise AssessmentError(BAD_NUMBER.format(field=field, value=raw)) from None
    if not value.is_finite() or value < low or value > high:
        raise AssessmentError(OUT_OF_RANGE.format(field=field, value=raw, low=low, high=high))
    return value.quantize(Decimal("0.01"))


# ---- campaigns ----------------------------------------------------------------------------

@transaction.atomic
def campaign_create(*, unit: Unit, year: int, actor: User, name: str = "") -> Campaign:
    require_unit_in_scope(actor, unit)
    if not 2000 <= int(year) <= 2100:
        raise AssessmentError(BAD_YEAR.format(year=year))
    # Overlapping creates wait here, so the checks below see each other's campaign.
    scope_lock(rule=LockRule.ASSESSMENT_CAMPAIGN, units=[unit])
    if Campaign.objects.filter(unit=unit, year=year).exists():
        raise AssessmentError(CAMPAIGN_EXISTS.format(unit=unit.name, year=year))
    # One assessment per worker and year: no campaign above or below this one that year.
    for other in Campaign.objects.filter(year=year).select_related("unit"):
        if unit.path.startswith(other.unit.path) or other.unit.path.startswith(unit.path):
            raise AssessmentError(CAMPAIGN_OVERLAPS.format(other=other.unit.name, year=year, unit=unit.name))
    campaign = Campaign(unit=unit, year=year, name=name.strip() or f"{unit.name}{year}年度社区工作者考核", created_by=actor)
    _, campaign.policy_version = campaign_policy(campaign)
    campaign.save()
    audit_record(actor=actor, action=AuditAction.ASSESSMENT_CREATE, target=campaign, unit=unit,
                 after={"year": year, "name": campaign.name, "policy_version": campaign.policy_version})
    return campaign


def _require_draft(campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.DRAFT:
        raise AssessmentError(NOT_DRAFT.format(name=campaign.name, status=campaign.get_status_display()))


# ---- scores -------------------------------------------------------------------------------

@dataclass
class ScoreEntry:
    """One worker's marks as typed or read from a sheet (strings allowed; checked here)."""

    worker_id: int
    indicators: dict[str, Any]
    score: Any = None
    tier: str = ""


@dataclass
class CleanScore:
    worker_id: int
    indicators: dict[str, str]
    score: Decimal | None
    tier: str


def clean_entry(entry: ScoreEntry, *, indicators: list[str], aliases: dict[str, str]) -> tuple[CleanScore | None, list[tuple[str, str]]]:
    """Check one entry; errors are (field, message) so pages and sheets can name the place."""
    errors: list[tuple[str, str]] = []
    values: dict[str, str] = {}
    for name in indicators:
        try:
            v = parse_number(entry.indicators.get(name), field=name, low=INDICATOR_RANGE[0], high=INDICATOR_RANGE[1])
        except AssessmentError as exc:
            errors.append((name, str(exc)))
            continue
        if v is not None:
            values[name] = str(v)
    given = [n for n in indicators if entry.indicators.get(n) not in (None, "")]
    if given and len(given) != len(indicators):
        missing = [n for n in indicators if n not in given]
        errors.append((missing[0], PARTIAL_INDICATORS.format(missing="、".join(missing))))
    score = None
    try:
        score = parse_number(entry.score, field="得分", low=SCORE_RANGE[0], high=SCORE_RANGE[1])
    except AssessmentError as exc:
        errors.append(("得分", str(exc)))
    tier = ""
    if (entry.tier or "").strip():
        try:
            tier = canonical_tier(entry.tier, aliases)
        except AssessmentError as exc:
            errors.append(("考核等次", str(exc)))
    if not errors and not values and score is None and not tier:
        errors.append(("考核等次", NOTHING_GIVEN))
    if errors:
        return None, errors
    return CleanScore(worker_id=entry.worker_id, indicators=values, score=score, tier=tier), []


def scores_write(*, campaign: Campaign, scores: list[CleanScore], actor: User, how: str) -> int:
    """Upsert checked scores in bulk (inside the caller's transaction)."""
    units = dict(campaign_workers(campaign).filter(pk__in=[s.worker_id for s in scores]).values_list("pk", "unit_id"))
    existing = {s.worker_id: s for s in Score.objects.filter(campaign=campaign, worker_id__in=list(units))}
    new: list[Score] = []
    changed: list[Score] = []
    audit_rows: list[tuple[Any, str, Any, dict[str, Any] | None, dict[str, Any] | None]] = []
    for s in scores:
        old = existing.get(s.worker_id)
        after = {"indicators": s.indicators, "score": s.score, "tier_given": s.tier}
        if old is None:
            new.append(Score(campaign=campaign, worker_id=s.worker_id, unit_id=units[s.worker_id],
                             indicators=s.indicators, score=s.score, tier_given=s.tier))
            audit_rows.append((s.worker_id, f"{campaign.year}年度评分", units[s.worker_id], None, after))
        else:
            before = {"indicators": old.indicators, "score": old.score, "tier_given": old.tier_given}
            if before == after:
                continue
            old.indicators, old.score, old.tier_given, old.unit_id = s.indicators, s.score, s.tier, units[s.worker_id]
            changed.append(old)
            audit_rows.append((s.worker_id, f"{campaign.year}年度评分", units[s.worker_id], before, after))
    Score.objects.bulk_create(new, batch_size=2000)
    Score.objects.bulk_update(changed, ["indicators", "score", "tier_given", "unit_id", "updated_at"], batch_size=2000)
    unit_objs = {u.pk: u for u in Unit.objects.filter(pk__in={r[2] for r in audit_rows})}
    audit_bulk(actor=actor, action=SCORE_ACTIONS[how], target_type="workers.worker",
               rows=[(w, label, unit_objs[u], b, a) for w, label, u, b, a in audit_rows], summary=campaign.name)
    return len(new) + len(changed)


@transaction.atomic
def scores_save(*, campaign: Campaign, entries: list[ScoreEntry], actor: User) -> int:
    """Scores typed on the page or sent to the API: all or nothing; errors name the worker
    and the field."""
    require_unit_in_scope(actor, campaign.unit)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_draft(campaign)
    policy, _ = campaign_policy(campaign)
    a = assessment_params(policy, campaign.year)
    names = dict(campaign_workers(campaign).filter(pk__in=[e.worker_id for e in entries]).values_list("pk", "name"))
    errors: list[str] = []
    clean: list[CleanScore] = []
    for e in entries:
        if e.worker_id not in names:
            errors.append(WORKER_NOT_IN_CAMPAIGN.format(name=f"编号 {e.worker_id} 的人员"))
            continue
        c, errs = clean_entry(e, indicators=list(a.indicator_weights), aliases=a.aliases)
        errors += [f"{names[e.worker_id]}：{field}：{msg}" for field, msg in errs]
        if c:
            clean.append(c)
    if errors:
        raise AssessmentError("；".join(errors))
    return scores_write(campaign=campaign, scores=clean, actor=actor, how="enter")


@transaction.atomic
def score_adjust(*, campaign: Campaign, worker: Worker, tier: str, reason: str, actor: User) -> Score:
    """Set a tier by hand (e.g. to meet the cap on 优秀); empty tier removes the adjustment."""
    require_unit_in_scope(actor, campaign.unit)
    _require_draft(campaign)
    score = Score.objects.select_for_update().filter(campaign=campaign, worker=worker).first()
    if score is None:
        raise AssessmentError(WORKER_NOT_IN_CAMPAIGN.format(name=worker.name))
    policy, _ = campaign_policy(campaign)
    t = canonical_tier(tier, assessment_params(policy, campaign.year).aliases) if tier.strip() else ""
    if t and not reason.strip():
        raise AssessmentError(ADJUST_NEEDS_REASON)
    before = {"tier_adjusted": score.tier_adjusted, "adjust_reason": score.adjust_reason}
    score.tier_adjusted, score.adjust_reason = t, reason.strip() if t else ""
    score.save(update_fields=["tier_adjusted", "adjust_reason", "updated_at"])
    audit_record(actor=actor, action=AuditAction.ASSESSMENT_ADJUST, target=worker, unit=score.unit, before=before,
                 after={"tier_adjusted": t, "adjust_reason": score.adjust_reason}, summary=campaign.name)
    return score


@transaction.atomic
def breach_record(*, campaign: Campaign, worker: Worker, reason: str, actor: User) -> Breach:
    """A-PTS: a negative-list breach, with its reason; it sets the policy's tier."""
    require_unit_in_scope(actor, campaign.unit)
    _require_draft(campaign)
    policy, _ = campaign_policy(campaign)
    if not negative_list(policy, campaign.year):
        raise AssessmentError(NO_NEGATIVE_LIST)
    if not reason.strip():
        raise AssessmentError(BREACH_NEEDS_REASON)
    if not campaign_workers(campaign).filter(pk=worker.pk).exists():
        raise AssessmentError(WORKER_NOT_IN_CAMPAIGN.format(name=worker.name))
    breach = Breach.objects.create(campaign=campaign, worker=worker, unit=worker.unit, reason=reason.strip()[:300], recorded_by=actor)
    audit_record(actor=actor, action=AuditAction.ASSESSMENT_BREACH, target=worker, unit=worker.unit,
                 after={"reason": breach.reason, "year": campaign.year}, summary=campaign.name)
    return breach


@transaction.atomic
def breach_remove(*, breach: Breach, actor: User) -> None:
    require_unit_in_scope(actor, breach.campaign.unit)
    _require_draft(breach.campaign)
    audit_record(actor=actor, action=AuditAction.ASSESSMENT_BREACH_REMOVE, target=breach.worker, unit=breach.unit,
                 before={"reason": breach.reason}, summary=breach.campaign.name)
    breach.delete()


# ---- publish (A-FILE) ---------------------------------------------------------------------

def publish_blockers(ev: Evaluation) -> list[str]:
    problems = []
    missing = ev.missing
    if missing.height:
        problems.append(MISSING_TIERS.format(n=missing.height, names="、".join(missing["name"].head(5).to_list())))
    if ev.cap.breached:
        problems.append(CAP_BREACHED.format(excellent=ev.cap.excellent, allowed=ev.cap.allowed, cap=ev.cap.cap, over=ev.cap.over))
    return problems


def campaign_publish(*, campaign: Campaign, actor: User, on: date | None = None, progress: Progress | None = None) -> int:
    """A-FILE: every worker's tier, points and the policy version into the personnel file:
    a Result row and an `assessment` event each, in bulk, in one transaction."""
    progress = progress or Progress()
    with progress.writing():
        return _campaign_publish(campaign=campaign, actor=actor, on=on, progress=progress)


def campaign_submit_publish(*, campaign: Campaign, actor: User) -> Job:
    """Publish as a background job; submitted again while it runs, the same job."""
    require_unit_in_scope(actor, campaign.unit)
    campaign = Campaign.objects.select_related("unit").get(pk=campaign.pk)  # its state as stored now
    _require_draft(campaign)
    return job_submit(kind="assessment.publish", unit=campaign.unit, actor=actor, key=f"assessment.publish:{campaign.pk}",
                      label=f"公布{campaign.name}", params={"campaign_id": campaign.pk})


@transaction.atomic
def _campaign_publish(*, campaign: Campaign, actor: User, on: date | None, progress: Progress) -> int:
    require_unit_in_scope(actor, campaign.unit)
    campaign = Campaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)
    _require_draft(campaign)
    progress.stage("评定等次")
    ev = evaluate(campaign)
    problems = publish_blockers(ev)
    if problems:
        raise AssessmentError("；".join(problems))
    rows = ev.scored.to_dicts()
    clash = Result.objects.filter(worker__in=campaign_workers(campaign), year=campaign.year).select_related("worker").first()
    if clash:
        raise AssessmentError(RESULT_EXISTS.format(name=clash.worker.name, year=campaign.year))
    reasons: dict[int, list[str]] = {}
    for wid, reason in Breach.objects.filter(campaign=campaign).values_list("worker_id", "reason"):
        reasons.setdefault(wid, []).append(reason)
    effective = on or date(campaign.year, 12, 31)
    def score(r: dict[str, Any]) -> Decimal | None:
        return Decimal(str(round(r["score"], 2))) if r["score"] is not None else None

    now = timezone.now()
    progress.stage("写入考核结果与个人档案", total=len(rows))
    insert(Result, ["worker_id", "year", "tier", "score", "unit_id", "campaign_id", "policy_version", "created_at"],
           ([r["worker_id"], campaign.year, r["tier"], score(r), r["unit"], campaign.pk, ev.label, now] for r in rows))
    progress.advance(len(rows) // 2)
    insert(WorkerEvent, EVENT_FIELDS, (
        [r["worker_id"], str(EventKind.ASSESSMENT), effective, f"{campaign.year}年度考核：{r['tier']}", r["unit"], actor.pk,
         ev.label, {"after": {"year": campaign.year, "tier": r["tier"], "score": r["score"]}, "campaign_id": campaign.pk,
                    **({"negative_list": reasons[r["worker_id"]]} if r["worker_id"] in reasons else {})}, now]
        for r in rows
    ))
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r["unit"] for r in rows})}
    audit_bulk(actor=actor, action=AuditAction.ASSESSMENT_RESULT, target_type="workers.worker",
               rows=[(r["worker_id"], r["name"], units[r["unit"]], None,
                      {"year": campaign.year, "tier": r["tier"], "score": r["score"], "policy_version": ev.label}) for r in rows],
               summary=campaign.name)
    progress.advance(len(rows))
    campaign.status = CampaignStatus.PUBLISHED
    campaign.published_at, campaign.published_by, campaign.policy_version = timezone.now(), actor, ev.label
    campaign.save(update_fields=["status", "published_at", "published_by", "policy_version"])
    audit_record(actor=actor, action=AuditAction.ASSESSMENT_PUBLISH, target=campaign, unit=campaign.unit,
                 after={"results": len(rows), "policy_version": ev.label})
    return len(rows)


# ---- consequences (A-STEP, A-PTS, C-EXIT) --------------------------------------------------

# A warning talk and a dismissal proposal are assessment outcomes, not sanctions (处分):
# they are filed under 年度考核 with the action named in the event's data.
EVENT_OF_ACTION = {
    Action.STEP: EventKind.GRADE_STEP,
    Action.PROMOTE: EventKind.CAREER,
    Action.WARN: EventKind.ASSESSMENT,
    Action.DISMISS: EventKind.ASSESSMENT,
}
CAUSE_OF_ACTION = {
    Action.STEP: "{year}年度考核{tier}，按政策晋升一级（{before}→{after}级）",
    Action.PROMOTE: "连续考核优秀，列入优先晋升名单（{year}年度）",
    Action.WARN: "{year}年度考评末位，约谈提醒",
    Action.DISMISS: "连续考核不称职，提出解聘建议，待二次确认（{year}年度）",
}
CAUSE_OF_NEGATIVE_DISMISSAL = "{year}年度有负面清单情形，提出解聘建议，待二次确认"
EXIT_REASON = "连续考核不称职，解聘"
EXIT_REASON_NEGATIVE = "负面清单情形，解聘"


@dataclass
class ConfirmSummary:
    steps: int
    promote: int
    warn: int
    dismiss: int


def campaign_confirm(
    *, campaign: Campaign, actor: User, effective: date | None = None, progress: Progress | None = None
) -> ConfirmSummary:
    """Apply the engine's consequences over the whole campaign in one transaction: grade
    steps, the priority-promotion and warning-talk lists, and dismissal proposals that wait
    for a second confirmation. Every one an event naming the policy version."""
    progress = progress or Progress()
    with progress.writing():
        return _campaign_confirm(campaign=campaign, actor=actor, effective=effective, progress=progress)


def campaign_submit_confirm(*, campaign: Campaign, actor: User, effective: date) -> Job:
    """Confirm (apply the consequences) as a background job; once per campaign while it runs."""
    require_unit_in_scope(actor, campaign.unit)
    campaign = Campaign.objects.select_related("unit").get(pk=campaign.pk)  # its state as stored now
    if campaign.status == CampaignStatus.CONFIRMED:
        raise AssessmentError(ALREADY_CONFIRMED.format(name=campaign.name))
    if campaign.status != CampaignStatus.PUBLISHED:
        raise AssessmentError(NOT_PUBLISHED.format(name=campaign.name))
    return job_submit(kind="assessment.confirm", unit=campaign.unit, actor=actor, key=f"assessment.confirm:{campaign.pk}",
                      label=f"确认{campaign.name}结果运用", params={"campaign_id": campaign.pk, "effective": effective.isoformat()})


@transaction.atomic
def _campaign_confirm(*, campaign: Campaign, actor: User, effective: date | None, progress: Progress) -> ConfirmSummary:
    require_unit_in_scope(actor, campaign.unit)
    campaign = Campaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)
    if campaign.status == CampaignStatus.CONFIRMED:
        raise AssessmentError(ALREADY_CONFIRMED.format(name=campaign.name))
    if campaign.status != CampaignStatus.PUBLISHED:
        raise AssessmentError(NOT_PUBLISHED.format(name=campaign.name))
    progress.stage("评定等次与结果运用")
    ev = evaluate(campaign)
    on = effective or date(campaign.year + 1, 1, 1)
    rows = ev.scored.filter(pl.col("actions").list.len() > 0).to_dicts()
    progress.stage("写入晋级、名单与个人档案", total=len(rows))
    breached = set(Breach.objects.filter(campaign=campaign).values_list("worker_id", flat=True))
    workers = {w.pk: w for w in Worker.objects.filter(pk__in=[r["worker_id"] for r in rows])}
    consequences: list[Consequence] = []
    events: list[WorkerEvent] = []
    audit_rows: list[tuple[Any, str, Any, dict[str, Any] | None, dict[str, Any] | None]] = []
    stepped: list[Worker] = []
    counts: dict[str, int] = dict.fromkeys(Action.values, 0)
    for r in rows:
        w = workers[r["worker_id"]]
        for action in r["actions"]:
            act = Action(action)
            counts[act] += 1
            before, after = r["grade"], r["new_grade"] if act == Action.STEP else r["grade"]
            status = ConsequenceStatus.PROPOSED if act == Action.DISMISS else ConsequenceStatus.DONE
            consequences.append(Consequence(
                campaign=campaign, worker=w, unit_id=w.unit_id, action=act, tier=r["tier"], grade_before=before,
                grade_after=after, status=status, policy_version=ev.label,
            ))
            data: dict[str, Any] = {"campaign_id": campaign.pk, "year": campaign.year, "tier": r["tier"], "action": act.value}
            if act == Action.STEP:
                data.update(before={"grade": before}, after={"grade": after})
                w.grade = after
                stepped.append(w)
            cause = CAUSE_OF_ACTION[act]
            if act == Action.DISMISS and w.pk in breached:
                cause = CAUSE_OF_NEGATIVE_DISMISSAL
            events.append(WorkerEvent(
                worker=w, kind=EVENT_OF_ACTION[act], effective=on, unit_id=w.unit_id, actor=actor,
                policy_version=ev.label, data=data,
                cause=cause.format(year=campaign.year, tier=r["tier"], before=before, after=after),
            ))
            audit_rows.append((w.pk, w.name, w.unit, {"grade": before} if act == Action.STEP else None,
                               {"action": act.value, "grade": after, "policy_version": ev.label}))
    # One UPDATE per resulting grade: a few dozen statements for any population.
    by_grade: dict[int | None, list[int]] = {}
    for w in stepped:
        by_grade.setdefault(w.grade, []).append(w.pk)
    for grade, pks in by_grade.items():
        Worker.objects.filter(pk__in=pks).update(grade=grade, updated_at=timezone.now())
    now = timezone.now()
    insert(Consequence, ["campaign_id", "worker_id", "unit_id", "action", "tier", "grade_before", "grade_after", "status",
                         "policy_version", "decided_at", "second_note"],
           ([x.campaign_id, x.worker_id, x.unit_id, x.action, x.tier, x.grade_before, x.grade_after, x.status,
             x.policy_version, now, ""] for x in consequences))
    insert(WorkerEvent, EVENT_FIELDS, ([e.worker_id, e.kind, e.effective, e.cause, e.unit_id, e.actor_id, e.policy_version,
                                         e.data, now] for e in events))
    progress.advance(len(rows))
    audit_bulk(actor=actor, action=AuditAction.ASSESSMENT_CONSEQUENCE, target_type="workers.worker", rows=audit_rows, summary=campaign.name)
    campaign.status = CampaignStatus.CONFIRMED
    campaign.confirmed_at, campaign.confirmed_by = timezone.now(), actor
    campaign.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    summary = ConfirmSummary(steps=counts[Action.STEP], promote=counts[Action.PROMOTE], warn=counts[Action.WARN],
                             dismiss=counts[Action.DISMISS])
    audit_record(actor=actor, action=AuditAction.ASSESSMENT_CONFIRM, target=campaign, unit=campaign.unit,
                 after={**summary.__dict__, "policy_version": ev.label, "effective": on})
    return summary


@transaction.atomic
def dismissal_decide(*, consequence: Consequence, confirm: bool, actor: User, on: date, note: str = "") -> Consequence:
    """C-EXIT, the second confirmation: the worker leaves, the contract ends and the quota
    place frees (worker_exit); or the proposal is turned down with a reason."""
    require_unit_in_scope(actor, consequence.unit)
    c = Consequence.objects.select_for_update().select_related("worker", "campaign").get(pk=consequence.pk)
    if c.status != ConsequenceStatus.PROPOSED:
        raise AssessmentError(NOT_PROPOSED.format(name=c.worker.name, status=c.get_status_display()))
    if not confirm and not note.strip():
        raise AssessmentError(REJECT_NEEDS_NOTE)
    before = {"status": c.status}
    if confirm:
        negative = Breach.objects.filter(campaign=c.campaign, worker=c.worker).exists()
        reason = EXIT_REASON_NEGATIVE if negative else EXIT_REASON
        if c.worker.status != Status.LEFT:
            worker_exit(worker=c.worker, on=on, reason=reason, actor=actor, policy_version=c.policy_version,
                        cause=f"{c.campaign.year}年度考核：{reason}，经二次确认解除劳动合同")
        c.status = ConsequenceStatus.CONFIRMED
    else:
        c.status = ConsequenceStatus.REJECTED
    c.second_by, c.second_at, c.second_note = actor, timezone.now(), note.strip()[:300]
    c.save(update_fields=["status", "second_by", "second_at", "second_note"])
    audit_record(actor=actor, action=AuditAction.ASSESSMENT_DISMISSAL, target=c.worker, unit=c.unit, before=before,
                 after={"status": c.status, "note": c.second_note, "policy_version": c.policy_version},
                 summary=c.campaign.name)
    return c
