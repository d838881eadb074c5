"""Conversions into the community worker system: dispatch workers one by one (E-DISP) and
existing 两委 members in batches (套改, E-CONV), both under "two always" (E-TWO)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl
from django.utils import timezone

from shequ.assessment.selectors import results_frame
from shequ.common.audit import audit_bulk, audit_record, snapshot
from shequ.common.audit_actions import AuditAction
from shequ.common.provinces import transaction
from shequ.common.scope import require_unit_in_scope, scoped
from shequ.errors import Invalid
from shequ.jobs.progress import Progress
from shequ.jobs.services import job_submit
from shequ.org.locks import LockRule, scope_lock
from shequ.org.models import COMMUNITY_TYPES, STREET_TYPES, Unit
from shequ.policy.selectors import policies_for_units, policy_for
from shequ.recruitment.models import BatchStatus, ConversionBatch, ConversionLine
from shequ.recruitment.vacancy import NO_APPROVED_QUOTA, vacancies
from shequ.rules import conversion_eligible, dispatch_conversion, entry, explain_rows, place
from shequ.rules.vocab import EDUCATION_RANK
from shequ.workers.models import (
    Category,
    Contract,
    ContractKind,
    EventKind,
    Status,
    Worker,
    WorkerEvent,
)
from shequ.workers.services import worker_update

if TYPE_CHECKING:
    from shequ.accounts.models import User
    from shequ.jobs.models import Job

# E-TWO: "nobody who does not work in a community, and nobody who fails the standard".
# The engine's reason (shequ.rules.entry) with who and why, as the user needs to act on it.
NOT_COMMUNITY_WORK = "{name}（{unit}，{unit_type}）：{reason}"
BELOW_STANDARD = "{name}（学历{education}，标准为{min_education}及以上）：{reason}"
CATEGORY_REFUSED = "{name}：{reason}"
# E-DISP
NOT_DISPATCH = "{name} 的人员类别是“{category}”，不是劳务派遣人员"
HAS_LEFT = "{name} 已离职"
NO_DISPATCH_RULE = "政策“{policy}”未规定劳务派遣人员转岗条件"
TOO_FEW_YEARS = "{name} {reason}（现 {years} 年）"
TIER_REFUSED = "{name} {reason}（{results}）"
SHARE_EXCEEDED = "“{street}”本年已转岗 {used} 人，已达本单位劳务派遣人员 {base} 人的 {share}（上限 {cap} 人）"
NO_VACANCY = "“{unit}”已无空编（核定 {quota}，在编 {filled}），不能在额度外转岗"
# E-CONV
NOT_COMMITTEE = "{name} 的人员类别不在本次套改范围（{categories}）内"
ALREADY_IN_BATCH = "{name} 已在套改批次“{batch}”中"
NOBODY_PICKED = "请至少选择一名两委成员"
BATCH_CONFIRMED = "批次已确认，不能再修改"
REASON_REQUIRED = "调整岗位或等级必须填写理由"
GRADE_OUT_OF_RANGE = "等级 {grade} 不在岗位“{post}”的等级范围 {lo}–{hi} 内"
UNKNOWN_POST = "岗位“{post}”不是政策规定的岗位（{posts}）"


class ConversionError(Invalid):
    pass


def _full_years(start: date, on: date) -> int:
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


def street_of(unit: Unit) -> Unit:
    street = Unit.objects.filter(pk__in=unit.ancestor_ids(), unit_type__in=STREET_TYPES).order_by("-depth").first()
    return street or unit


def two_always(
    *, workers: list[Worker], policies: dict[int, tuple[Any, str]], on: date, with_category: bool
) -> dict[int, list[str]]:
    """E-TWO as the policy in force says (`[conversion]`), decided by the engine's
    `conversion_eligible`, one call per policy. Works in a community = the unit is a
    community or village; meets the standard = education at least the policy's entry
    minimum (`[exam].min_education`), when it sets one."""
    groups: dict[str, list[Worker]] = {}
    for w in workers:
        groups.setdefault(policies[w.unit_id][1], []).append(w)
    out: dict[int, list[str]] = {}
    for group in groups.values():
        policy = policies[group[0].unit_id][0]
        min_edu = policy.params(on).exam.min_education
        frame = pl.DataFrame({
            "works_in_community": [w.unit.unit_type in COMMUNITY_TYPES for w in group],
            "meets_standard": [min_edu is None or EDUCATION_RANK.get(w.education, -1) >= EDUCATION_RANK[min_edu]
                               for w in group],
            "category": [w.category for w in group],
        })
        decided = conversion_eligible(policy, frame, on)
        for w, reasons in zip(group, decided["reasons"].to_list(), strict=True):
            out[w.pk] = []
            for r in reasons:
                if r == entry.NOT_IN_COMMUNITY:
                    out[w.pk].append(NOT_COMMUNITY_WORK.format(name=w.name, unit=w.unit.name, unit_type=w.unit.unit_type, reason=r))
                elif r == entry.BELOW_STANDARD:
                    out[w.pk].append(BELOW_STANDARD.format(name=w.name, education=w.education, min_education=min_edu, reason=r))
                elif with_category:
                    out[w.pk].append(CATEGORY_REFUSED.format(name=w.name, reason=r))
    return out


def conversion_categories(policy: Any, on: date) -> list[str]:
    """Who a 套改 batch converts: the policy's categories, else 两委成员 (E-CONV)."""
    return list(policy.params(on).conversion.categories) or [Category.COMMITTEE.value]


# ---- E-DISP -----------------------------------------------------------------------------

@dataclass(frozen=True)
class DispatchCheck:
    worker: Worker
    years: int
    reasons: list[str]

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _street_rows(street: Unit, on: date, tier_years: int = 0) -> list[dict[str, Any]]:
    """The street's dispatch workers this year: those still dispatched and those converted
    since 1 January (they were part of the unit's dispatch workforce the share is taken of).
    With tier_years, each row carries `recent_tiers`: the results of the last tier_years
    completed assessment years, latest first (a year without a result ends the list)."""
    converted = set(WorkerEvent.objects.filter(
        kind=EventKind.CONVERSION, effective__year=on.year, effective__lte=on, unit__path__startswith=street.path,
        data__before__category=Category.DISPATCH).values_list("worker_id", flat=True))
    current = Worker.objects.filter(unit__path__startswith=street.path, category=Category.DISPATCH).exclude(status=Status.LEFT)
    rows = list(current.values("id", "hired_on", "community_work_start"))
    rows += list(Worker.objects.filter(pk__in=converted).values("id", "hired_on", "community_work_start"))
    out = [{"worker_id": r["id"], "unit": street.pk, "street_work_start": r["hired_on"] or r["community_work_start"],
            "converted": r["id"] in converted} for r in rows]
    if tier_years:
        by_year = [dict(zip(*results_frame(scope=street, year=on.year - k).get_columns(), strict=True))
                   for k in range(1, tier_years + 1)]
        for row in out:
            tiers: list[str] = []
            for year in by_year:
                if row["worker_id"] not in year:
                    break
                tiers.append(year[row["worker_id"]])
            row["recent_tiers"] = tiers
    return out


@dataclass
class _Street:
    street: Unit
    used: int
    base: int
    cap: int
    years: dict[int, int]
    reason: dict[int, str | None]
    years_ok: dict[int, bool] = field(default_factory=dict)
    tier_ok: dict[int, bool] = field(default_factory=dict)
    tiers: dict[int, list[str]] = field(default_factory=dict)


@dataclass
class _Context:
    """What the checks of many dispatch workers share: read once, decided by the engine's
    `dispatch_conversion` once per street (E-DISP years and the 10% cap)."""

    on: date
    policies: dict[int, tuple[Any, str]]
    vacancies: dict[int, Any]
    two: dict[int, list[str]] = field(default_factory=dict)
    streets: dict[int, Unit] = field(default_factory=dict)
    decided: dict[int, _Street] = field(default_factory=dict)

    def street(self, unit: Unit) -> Unit:
        if unit.pk not in self.streets:
            self.streets[unit.pk] = street_of(unit)
        return self.streets[unit.pk]

    def decide(self, street: Unit, policy: Any) -> _Street:
        if street.pk not in self.decided:
            rule = policy.params(self.on).dispatch
            rows = _street_rows(street, self.on, rule.tier_years if rule.min_tier else 0)
            schema: dict[str, Any] = {"worker_id": pl.Int64, "unit": pl.Int64, "street_work_start": pl.Date,
                                      "converted": pl.Boolean}
            if rule.min_tier:
                schema["recent_tiers"] = pl.List(pl.Utf8)
            frame = pl.DataFrame(rows, schema=schema)
            out = dispatch_conversion(policy, frame, self.on)
            used = int(out["converted"].sum() or 0)
            cap = int(out["unit_cap"][0]) if out.height else 0
            self.decided[street.pk] = _Street(
                street=street, used=used, base=out.height, cap=cap,
                years=dict(zip(out["worker_id"].to_list(), out["years"].to_list(), strict=True)),
                reason=dict(zip(out["worker_id"].to_list(), out["reason"].to_list(), strict=True)),
                years_ok=dict(zip(out["worker_id"].to_list(), out["years_ok"].to_list(), strict=True)),
                tier_ok=dict(zip(out["worker_id"].to_list(), out["tier_ok"].to_list(), strict=True)),
                tiers={r["worker_id"]: r.get("recent_tiers", []) for r in rows})
        return self.decided[street.pk]


def _context(workers: list[Worker], on: date) -> _Context:
    units = {w.unit for w in workers}
    policies = policies_for_units(units=units, on=on)
    dispatch = [w for w in workers if w.category == Category.DISPATCH]
    return _Context(on=on, policies=policies, vacancies=vacancies(units=units, on=on),
                    two=two_always(workers=dispatch, policies=policies, on=on, with_category=False))


def dispatch_check(*, worker: Worker, on: date) -> DispatchCheck:
    """Every reason a dispatch worker may not convert on `on`; none means eligible."""
    return _check(worker, _context([worker], on))


def dispatch_checks(*, workers: list[Worker], on: date) -> list[DispatchCheck]:
    """The same checks for a list (the dispatch page): shared reads done once."""
    ctx = _context(workers, on)
    return [_check(w, ctx) for w in workers]


def _check(worker: Worker, ctx: _Context) -> DispatchCheck:
    on = ctx.on
    policy, _ = ctx.policies[worker.unit_id]
    rule = policy.params(on).dispatch
    years = _full_years(worker.hired_on or worker.community_work_start, on)
    if worker.category != Category.DISPATCH:
        return DispatchCheck(worker, years, [NOT_DISPATCH.format(name=worker.name, category=worker.category)])
    if worker.status == Status.LEFT:
        return DispatchCheck(worker, years, [HAS_LEFT.format(name=worker.name)])
    if rule.min_years is None or rule.max_share is None:
        return DispatchCheck(worker, years, [NO_DISPATCH_RULE.format(policy=policy.name)])
    reasons = list(ctx.two.get(worker.pk, []))
    decided = ctx.decide(ctx.street(worker.unit), policy)
    years = decided.years.get(worker.pk, years)
    if not decided.years_ok.get(worker.pk, True):
        reasons.append(TOO_FEW_YEARS.format(name=worker.name, reason=entry.NO_CONVERSION.format(years=f"{rule.min_years:g}"),
                                            years=years))
    if not decided.tier_ok.get(worker.pk, True):
        got = decided.tiers.get(worker.pk, [])
        shown = "、".join(f"{on.year - 1 - i} 年{t}" for i, t in enumerate(got)) if got else f"{on.year - 1} 年无考核结果"
        reasons.append(TIER_REFUSED.format(name=worker.name, reason=entry.TIER_TOO_LOW.format(
            years=rule.tier_years, tier=rule.min_tier), results=shown))
    if decided.used + 1 > decided.cap:
        reasons.append(SHARE_EXCEEDED.format(street=decided.street.name, used=decided.used, base=decided.base,
                                             share=f"{rule.max_share:.0%}", cap=decided.cap))
    if rule.within_quota:
        vac = ctx.vacancies[worker.unit_id]
        if vac.quota is None:
            reasons.append(NO_APPROVED_QUOTA.format(unit=worker.unit.name))
        elif vac.vacant < 1:
            reasons.append(NO_VACANCY.format(unit=worker.unit.name, quota=vac.quota or 0, filled=vac.filled))
    return DispatchCheck(worker, years, reasons)


def _placement(policy: Any, rows: list[dict[str, Any]], on: date) -> tuple[list[int], list[int], list[str]]:
    """One engine call for many people: placed grade, years and the explanation per row."""
    frame = pl.DataFrame(rows, schema={
        "worker_id": pl.Int64, "post": pl.Utf8, "education": pl.Utf8, "community_work_start": pl.Date,
        "certificate": pl.Utf8, "grade": pl.Int64,
    })
    out = place(policy, frame, on)
    return out["grade"].to_list(), out["years"].to_list(), explain_rows(policy, "place", frame, on)


@transaction.atomic
def dispatch_convert(*, worker: Worker, effective: date, actor: User, cause: str = "") -> Worker:
    """E-DISP: a worker_update of the category (conversion event) and a placement event."""
    worker = Worker.objects.select_related("unit").get(pk=worker.pk)
    require_unit_in_scope(actor, worker.unit)
    # The share is counted per street and year, the vacancy per unit: two conversions in one
    # street at once would each see the last place free. The second waits for the first.
    scope_lock(rule=LockRule.DISPATCH_SHARE, units=[street_of(worker.unit)])
    worker = Worker.objects.select_for_update(of=("self",)).select_related("unit").get(pk=worker.pk)
    check = dispatch_check(worker=worker, on=effective)
    if check.reasons:
        raise ConversionError("；".join(check.reasons))
    policy, label = policy_for(unit=worker.unit, on=effective)
    worker_update(worker=worker, changes={"category": Category.FULL_TIME}, effective=effective, actor=actor,
                  cause=cause or f"劳务派遣人员转岗（在街道工作 {check.years} 年）", kind=EventKind.CONVERSION,
                  policy_version=label)
    grades, _, why = _placement(policy, [{
        "worker_id": worker.pk, "post": worker.post, "education": worker.education,
        "community_work_start": worker.community_work_start, "certificate": worker.certificate, "grade": None,
    }], effective)
    worker_update(worker=worker, changes={"grade": grades[0]}, effective=effective, actor=actor,
                  cause=f"转岗定级：{why[0]}"[:300], kind=EventKind.PLACEMENT, policy_version=label)
    return worker


# ---- E-CONV (套改) -----------------------------------------------------------------------

def conversion_candidates(*, user: User, scope: Unit, on: date | None = None) -> Any:
    """People of the categories the scope's policy converts (两委成员 by default) who have
    not left and are in no batch yet."""
    taken = ConversionLine.objects.values("worker_id")
    policy, _ = policy_for(unit=scope, on=on or timezone.localdate())
    return (
        scoped(Worker.objects.select_related("unit"), user)
        .filter(unit__path__startswith=scope.path, category__in=conversion_categories(policy, on or timezone.localdate()))
        .exclude(status=Status.LEFT)
        .exclude(pk__in=taken)
        .order_by("unit__path", "name")
    )


@transaction.atomic
def conversion_batch_create(
    *, scope: Unit, title: str, effective: date, workers: list[Worker], actor: User
) -> ConversionBatch:
    """Survey → provisional placement: one engine call for the whole batch per policy."""
    require_unit_in_scope(actor, scope)
    if not workers:
        raise ConversionError(NOBODY_PICKED)
    # A worker is in one batch at most: an overlapping batch made meanwhile waits here, so the
    # "already in a batch" check below sees its lines.
    scope_lock(rule=LockRule.CONVERSION_BATCH, units=[scope])
    problems: list[str] = []
    taken = dict(ConversionLine.objects.filter(worker__in=workers).values_list("worker_id", "batch__title"))
    by_label: dict[str, tuple[Any, list[Worker]]] = {}
    policies = policies_for_units(units={w.unit for w in workers}, on=effective)
    fit: list[Worker] = []
    for w in workers:
        require_unit_in_scope(actor, w.unit)
        if not w.unit.path.startswith(scope.path):
            raise ConversionError(f"{w.name} 不在范围“{scope.name}”内")
        policy, label = policies[w.unit_id]
        if w.category not in conversion_categories(policy, effective):
            problems.append(NOT_COMMITTEE.format(name=w.name, categories="、".join(conversion_categories(policy, effective))))
            continue
        if w.status == Status.LEFT:
            problems.append(HAS_LEFT.format(name=w.name))
            continue
        if w.pk in taken:
            problems.append(ALREADY_IN_BATCH.format(name=w.name, batch=taken[w.pk]))
            continue
        fit.append(w)
        by_label.setdefault(label, (policy, []))[1].append(w)
    two = two_always(workers=fit, policies=policies, on=effective, with_category=True)
    problems += [r for w in fit for r in two[w.pk]]
    if problems:
        raise ConversionError("；".join(problems))
    labels = sorted(by_label)
    batch = ConversionBatch.objects.create(
        scope=scope, title=title.strip(), effective=effective, policy_version="、".join(labels), created_by=actor)
    lines: list[ConversionLine] = []
    for policy, group in by_label.values():
        grades, years, why = _placement(policy, [{
            "worker_id": w.pk, "post": w.post, "education": w.education,
            "community_work_start": w.community_work_start, "certificate": w.certificate, "grade": None,
        } for w in group], effective)
        lines += [
            ConversionLine(batch=batch, worker=w, unit=w.unit, years=max(0, y), proposed_post=w.post,
                           proposed_grade=g, final_post=w.post, final_grade=g, explanation=e)
            for w, g, y, e in zip(group, grades, years, why, strict=True)
        ]
    ConversionLine.objects.bulk_create(lines, batch_size=2000)
    audit_record(actor=actor, action=AuditAction.RECRUIT_CONVERSION_CREATE, target=batch, unit=scope,
                 after={"title": batch.title, "people": len(lines), "effective": effective},
                 summary=f"套改拟定 {len(lines)} 人")
    return batch


@transaction.atomic
def conversion_line_edit(*, line: ConversionLine, post: str, grade: int, reason: str, actor: User) -> ConversionLine:
    """Review: change the proposed post or grade, always with a reason."""
    line = ConversionLine.objects.select_for_update(of=("self",)).select_related("batch", "unit").get(pk=line.pk)
    require_unit_in_scope(actor, line.unit)
    if line.batch.status != BatchStatus.PROVISIONAL:
        raise ConversionError(BATCH_CONFIRMED)
    if not reason.strip():
        raise ConversionError(REASON_REQUIRED)
    policy, _ = policy_for(unit=line.unit, on=line.batch.effective)
    if post not in policy.post_names():
        raise ConversionError(UNKNOWN_POST.format(post=post, posts="、".join(policy.post_names())))
    p = policy.post(post)
    if not (p.grade_min <= grade <= p.grade_max):
        raise ConversionError(GRADE_OUT_OF_RANGE.format(grade=grade, post=post, lo=p.grade_min, hi=p.grade_max))
    before = snapshot(line, ("final_post", "final_grade", "edit_reason"))
    line.final_post, line.final_grade, line.edit_reason = post, grade, reason.strip()
    line.save(update_fields=["final_post", "final_grade", "edit_reason"])
    audit_record(actor=actor, action=AuditAction.RECRUIT_CONVERSION_EDIT, target=line, unit=line.unit, before=before,
                 after=snapshot(line, ("final_post", "final_grade", "edit_reason")), summary=reason)
    return line


@transaction.atomic
def conversion_line_contract(*, line: ConversionLine, voluntary: bool, actor: User) -> ConversionLine:
    """E-CONTRACT: record whether this 两委 member signs a labour contract voluntarily."""
    line = ConversionLine.objects.select_for_update(of=("self",)).select_related("batch", "unit", "worker").get(pk=line.pk)
    require_unit_in_scope(actor, line.unit)
    if line.batch.status != BatchStatus.PROVISIONAL:
        raise ConversionError(BATCH_CONFIRMED)
    before = {"voluntary_contract": line.voluntary_contract}
    line.voluntary_contract = voluntary
    line.save(update_fields=["voluntary_contract"])
    audit_record(actor=actor, action=AuditAction.RECRUIT_CONVERSION_CONTRACT, target=line, unit=line.unit, before=before,
                 after={"voluntary_contract": voluntary}, summary=f"{line.worker.name} 自愿签订劳动合同：{'是' if voluntary else '否'}")
    return line


def _sign_voluntary(batch: ConversionBatch, lines: list[ConversionLine], actor: User) -> int:
    """Voluntary contracts of a confirmed batch in bulk: any open contract ends that day."""
    signing = [ln for ln in lines if ln.voluntary_contract]
    if not signing:
        return 0
    employer = street_of(batch.scope).name
    ids = [ln.worker_id for ln in signing]
    Contract.objects.filter(worker_id__in=ids, ended_on__isnull=True).update(ended_on=batch.effective, end_reason="续签/变更")
    Contract.objects.bulk_create([
        Contract(worker_id=ln.worker_id, kind=ContractKind.VOLUNTARY, employer=employer, start=batch.effective)
        for ln in signing
    ])
    WorkerEvent.objects.bulk_create([
        WorkerEvent(worker_id=ln.worker_id, kind=EventKind.CONTRACT, effective=batch.effective, unit=ln.unit, actor=actor,
                    cause="两委成员自愿签订劳动合同", data={"after": {"kind": ContractKind.VOLUNTARY.value, "employer": employer}})
        for ln in signing
    ])
    audit_bulk(actor=actor, action=AuditAction.CONTRACT_SIGN, target_type="workers.worker",
               rows=[(ln.worker_id, ln.worker.name, ln.unit, None, {"contract": "两委成员自愿签订", "employer": employer})
                     for ln in signing], summary=f"套改：{batch.title}")
    return len(signing)


def conversion_batch_confirm(*, batch: ConversionBatch, actor: User, progress: Progress | None = None) -> int:
    """Done: every line's post and grade written in bulk, one conversion event and one audit
    row per person, all in one transaction."""
    progress = progress or Progress()
    with progress.writing():
        return _conversion_batch_confirm(batch=batch, actor=actor, progress=progress)


def conversion_batch_submit_confirm(*, batch: ConversionBatch, actor: User) -> Job:
    """Confirm as a background job (a whole street's 两委 outlasts a request); submitted
    again while it runs, the same job."""
    require_unit_in_scope(actor, batch.scope)
    batch = ConversionBatch.objects.select_related("scope").get(pk=batch.pk)  # its state as stored now
    if batch.status != BatchStatus.PROVISIONAL:
        raise ConversionError(BATCH_CONFIRMED)
    return job_submit(kind="conversion.confirm", unit=batch.scope, actor=actor, key=f"conversion.confirm:{batch.pk}",
                      label=f"确认套改{batch.title}", params={"batch_id": batch.pk})


@transaction.atomic
def _conversion_batch_confirm(*, batch: ConversionBatch, actor: User, progress: Progress) -> int:
    batch = ConversionBatch.objects.select_for_update(of=("self",)).select_related("scope").get(pk=batch.pk)
    require_unit_in_scope(actor, batch.scope)
    if batch.status != BatchStatus.PROVISIONAL:
        raise ConversionError(BATCH_CONFIRMED)
    lines = list(batch.lines.select_related("worker", "unit"))
    progress.stage("写入岗位、等级与个人档案", total=len(lines))
    for line in lines:
        require_unit_in_scope(actor, line.unit)
    workers, events, audits = [], [], []
    for line in lines:
        w = line.worker
        before = {"post": w.post, "grade": w.grade}
        w.post, w.grade = line.final_post, line.final_grade
        after = {"post": w.post, "grade": w.grade}
        workers.append(w)
        cause = f"套改：{batch.title}" + (f"（调整：{line.edit_reason}）" if line.edited else "")
        events.append(WorkerEvent(
            worker=w, kind=EventKind.CONVERSION, effective=batch.effective, cause=cause[:300], unit=line.unit,
            actor=actor, policy_version=batch.policy_version[:80],
            data={"before": before, "after": after, "explanation": line.explanation, "batch": batch.pk,
                  "proposed": {"post": line.proposed_post, "grade": line.proposed_grade},
                  "edit_reason": line.edit_reason},
        ))
        audits.append((w.pk, w.name, line.unit, before, after))
    # One UPDATE per (post, grade): a few dozen statements for any batch size.
    groups: dict[tuple[str, int | None], list[int]] = {}
    for w in workers:
        groups.setdefault((w.post, w.grade), []).append(w.pk)
    for (post, grade), pks in groups.items():
        for i in range(0, len(pks), 2000):
            Worker.objects.filter(pk__in=pks[i:i + 2000]).update(post=post, grade=grade, updated_at=timezone.now())
    WorkerEvent.objects.bulk_create(events, batch_size=2000)
    progress.advance(len(lines))
    audit_bulk(actor=actor, action=AuditAction.WORKER_CONVERSION, target_type="workers.worker", rows=audits,
               summary=f"套改：{batch.title}")
    _sign_voluntary(batch, lines, actor)
    batch.status, batch.confirmed_at = BatchStatus.CONFIRMED, timezone.now()
    batch.save(update_fields=["status", "confirmed_at"])
    audit_record(actor=actor, action=AuditAction.RECRUIT_CONVERSION_CONFIRM, target=batch, unit=batch.scope,
                 after={"status": batch.status, "people": len(lines)}, summary=f"套改确认 {len(lines)} 人")
    return len(lines)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
