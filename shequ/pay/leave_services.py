"""P-LEAVE and P-TREAT writes: a leave request entered by the street, its approval or rejection, and the
monthly attendance sheet that records leave in bulk (already approved: the sheet is the
record of what happened). Kinds, entitlements and pay effect come from the worker's
governing policy (leave.types)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from shequ.common.audit import audit_bulk, audit_record
from shequ.common.audit_actions import LEAVE_DECISION_ACTIONS, AuditAction
from shequ.common.provinces import transaction
from shequ.common.scope import require_unit_in_scope
from shequ.errors import Invalid
from shequ.org.models import Unit
from shequ.pay.leave import entitlement, taken_in_year
from shequ.pay.models import Leave, LeaveStatus, Treatment, WelfareRecord
from shequ.policy.resolve import governing_for_units
from shequ.rules.schema import LeaveType
from shequ.sheets.io import read_records
from shequ.sheets.validate import SheetError, SheetInvalid, parse_date
from shequ.workers.models import Worker

if TYPE_CHECKING:
    from shequ.accounts.models import User

UNKNOWN_KIND = "「{kind}」不是适用政策“{policy}”的假别，可填：{kinds}"
END_BEFORE_START = "结束日期 {end} 早于开始日期 {start}"
ACROSS_YEARS = "请假不能跨年（{start} 至 {end}），请按年度分两次填写"
WRONG_SEX = "{kind}仅适用于{sex}性职工"
OVER_BALANCE = "{name}{year}年{kind}应休 {entitled:g} 天，已休（含待审批）{taken} 天，本次 {days} 天，超出余额"
OVERLAP = "{name}在 {start} 至 {end} 已有请假（{kind}），不能重叠"
NOT_PENDING = "该请假当前为“{status}”，只有待审批的请假可以审批"
NOT_BEFORE_HIRE = "{name}的请假开始日期 {start} 早于入职日期 {hired}"
LEAVE_HEADERS = ("证件号码", "假别", "开始日期", "结束日期")
BAD_DATE = "日期格式不正确：「{value}」，应为 2026-03-01"


def parse_leave_date(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError:  # parse_date's and date()'s own messages are not for users
        raise Invalid(BAD_DATE.format(value=text)) from None


def _years(worker: Worker, on: date) -> float:
    # 年休假 counts years of work; the roster keeps the start of community work.
    start = worker.community_work_start or worker.hired_on
    return 0.0 if start is None else (on - start).days / 365.25


def _check(worker: Worker, kind: str, start: date, end: date, types: dict[str, LeaveType], label: str,
           taken: dict[tuple[int, str], int], *, exclude: int | None = None) -> int:
    """The leave's days, or Invalid with the Chinese reason."""
    if kind not in types:
        raise Invalid(UNKNOWN_KIND.format(kind=kind, policy=label, kinds="、".join(types) or "无"))
    if end < start:
        raise Invalid(END_BEFORE_START.format(start=start, end=end))
    if start.year != end.year:
        raise Invalid(ACROSS_YEARS.format(start=start, end=end))
    if worker.hired_on is not None and start < worker.hired_on:
        raise Invalid(NOT_BEFORE_HIRE.format(name=worker.name, start=start, hired=worker.hired_on))
    t = types[kind]
    if t.sex is not None and worker.sex != t.sex:
        raise Invalid(WRONG_SEX.format(kind=kind, sex=t.sex))
    days = (end - start).days + 1
    entitled = entitlement(t, years=_years(worker, start))
    used = taken.get((worker.pk, kind), 0)
    if entitled is not None and used + days > entitled:
        raise Invalid(OVER_BALANCE.format(name=worker.name, year=start.year, kind=kind, entitled=entitled,
                                             taken=used, days=days))
    others = Leave.objects.filter(worker=worker, start__lte=end, end__gte=start).exclude(status=LeaveStatus.REJECTED)
    clash = (others.exclude(pk=exclude) if exclude is not None else others).first()
    if clash is not None:
        raise Invalid(OVERLAP.format(name=worker.name, start=clash.start, end=clash.end, kind=clash.kind))
    return days


def _types(units: list[Unit], on: date) -> dict[int, tuple[str, dict[str, LeaveType]]]:
    return {uid: (g.label, dict(g.policy.params(on).leave.types)) for uid, g in governing_for_units(units=units, on=on).items()}


@transaction.atomic
def leave_request(*, worker: Worker, kind: str, start: date, end: date, note: str = "", actor: User) -> Leave:
    """Enter a leave request (待审批), checked against the kind, sex and the year's balance."""
    require_unit_in_scope(actor, worker.unit)
    # Lock the worker so two requests at once cannot both fit in the same balance.
    Worker.objects.select_for_update().filter(pk=worker.pk).first()
    label, types = _types([worker.unit], start)[worker.unit_id]
    days = _check(worker, kind, start, end, types, label, taken_in_year(worker_ids=[worker.pk], year=start.year))
    leave = Leave.objects.create(worker=worker, kind=kind, start=start, end=end, days=days, note=note,
                                 entered_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action=AuditAction.PAY_LEAVE_REQUEST, target=leave, unit=worker.unit,
                 after={"kind": kind, "start": start, "end": end, "days": days},
                 summary=f"{worker.name}申请{kind} {start}至{end}（{days} 天）")
    return leave


def _decide(leave: Leave, actor: User, status: LeaveStatus) -> Leave:
    require_unit_in_scope(actor, leave.worker.unit)
    leave = Leave.objects.select_for_update().select_related("worker__unit").get(pk=leave.pk)
    if leave.status != LeaveStatus.PENDING:
        raise Invalid(NOT_PENDING.format(status=leave.get_status_display()))
    leave.status, leave.decided_by, leave.decided_at = status, actor, timezone.now()
    leave.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action=LEAVE_DECISION_ACTIONS[status], target=leave, unit=leave.worker.unit,
                 before={"status": LeaveStatus.PENDING}, after={"status": status},
                 summary=f"{'批准' if status == LeaveStatus.APPROVED else '不批准'}{leave.worker.name}{leave.kind} {leave.start}至{leave.end}")
    return leave


@transaction.atomic
def leave_approve(*, leave: Leave, actor: User) -> Leave:
    """Approve: from now on an unpaid kind reduces the paid days of its months; a month
    already locked gets the difference as an adjustment in the next run."""
    return _decide(leave, actor, LeaveStatus.APPROVED)


@transaction.atomic
def leave_reject(*, leave: Leave, actor: User) -> Leave:
    return _decide(leave, actor, LeaveStatus.REJECTED)


@transaction.atomic
def leave_import(*, unit: Unit, data: bytes, filename: str, actor: User) -> int:
    """The monthly attendance sheet (证件号码, 假别, 开始日期, 结束日期, 说明): each row a leave
    taken, recorded as approved. All rows valid or nothing written."""
    require_unit_in_scope(actor, unit)
    headers, records = read_records(data, filename)
    id_col = "证件号码" if "证件号码" in headers else ("身份证号" if "身份证号" in headers else None)
    missing = ([] if id_col else ["证件号码"]) + [h for h in LEAVE_HEADERS[1:] if h not in headers]
    if id_col is None or missing:
        raise SheetInvalid([SheetError(1, h, f"缺少“{h}”列") for h in missing])
    ids = {r[id_col].strip().upper() for _, r in records}
    workers = {w.id_number: w for w in Worker.objects.select_for_update().filter(
        unit__path__startswith=unit.path, id_number__in=ids).select_related("unit")}
    taken_by_year: dict[int, dict[tuple[int, str], int]] = {}
    in_sheet: dict[int, list[tuple[date, date, int]]] = {}
    errors: list[SheetError] = []
    made: list[tuple[Worker, Leave]] = []
    types_by_unit: dict[int, tuple[str, dict[str, LeaveType]]] = {}
    for row, r in records:
        idn = r[id_col].strip().upper()
        w = workers.get(idn)
        if w is None:
            errors.append(SheetError(row, id_col, f"证件号码「{idn}」不是本单位范围内的在册人员"))
            continue
        try:
            start = parse_leave_date(r["开始日期"])
        except Invalid as exc:
            errors.append(SheetError(row, "开始日期", str(exc)))
            continue
        try:
            end = parse_leave_date(r["结束日期"])
        except Invalid as exc:
            errors.append(SheetError(row, "结束日期", str(exc)))
            continue
        if w.unit_id not in types_by_unit:
            types_by_unit.update(_types([w.unit], start))
        label, types = types_by_unit[w.unit_id]
        kind = r["假别"].strip()
        if start.year not in taken_by_year:
            taken_by_year[start.year] = taken_in_year(worker_ids=[x.pk for x in workers.values()], year=start.year)
        taken = taken_by_year[start.year]
        try:
            days = _check(w, kind, start, end, types, label, taken)
        except Invalid as exc:
            column = "假别" if kind not in types else "结束日期"
            errors.append(SheetError(row, column, str(exc)))
            continue
        other = next((n for a, b, n in in_sheet.get(w.pk, []) if a <= end and b >= start), None)
        if other is not None:
            errors.append(SheetError(row, "开始日期", f"与第 {other} 行的请假重叠"))
            continue
        in_sheet.setdefault(w.pk, []).append((start, end, row))
        taken[(w.pk, kind)] = taken.get((w.pk, kind), 0) + days
        made.append((w, Leave(worker=w, kind=kind, start=start, end=end, days=days, note=r.get("说明", "")[:200],
                              status=LeaveStatus.APPROVED, entered_by=actor if getattr(actor, "pk", None) else None,
                              decided_by=actor if getattr(actor, "pk", None) else None, decided_at=timezone.now())))
    if errors:
        raise SheetInvalid(errors)
    rows = Leave.objects.bulk_create([leave for _, leave in made], batch_size=2000)
    audit_bulk(actor=actor, action=AuditAction.PAY_LEAVE_IMPORT, target_type="pay.leave",
               rows=[(x.pk or 0, f"{w.name} {x.kind}", w.unit, None,
                      {"kind": x.kind, "start": x.start, "end": x.end, "days": x.days})
                     for x, (w, _) in zip(rows, made, strict=True)],
               summary=f"导入{unit.name}考勤请假 {len(rows)} 条")
    return len(rows)


TREATMENT_EMPTY = "经济待遇不能为空"
TREATMENT_ORDER = "终止日期 {until} 早于起始日期 {since}"
TREATMENT_OVERLAP = "{name}在 {since} 起已享受“{kind}”，与本次期间重叠"


@transaction.atomic
def treatment_grant(*, worker: Worker, kind: str, since: date, until: date | None = None, note: str = "",
                    actor: User) -> Treatment:
    """P-TREAT: record that `worker` holds economic treatment `kind` from `since` (to
    `until`). Pay reads it on each month's last day; a grant dated into a locked month is
    paid back in the next run."""
    require_unit_in_scope(actor, worker.unit)
    kind = kind.strip()
    if not kind:
        raise Invalid(TREATMENT_EMPTY)
    if until is not None and until < since:
        raise Invalid(TREATMENT_ORDER.format(since=since, until=until))
    clash = Treatment.objects.filter(worker=worker, since__lte=until or date.max).exclude(until__lt=since).first()
    if clash is not None:
        raise Invalid(TREATMENT_OVERLAP.format(name=worker.name, since=clash.since, kind=clash.kind))
    row = Treatment.objects.create(worker=worker, kind=kind, since=since, until=until, note=note,
                                   entered_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action=AuditAction.PAY_TREATMENT_GRANT, target=row, unit=worker.unit,
                 after={"kind": kind, "since": since, "until": until, "note": note},
                 summary=f"{worker.name}自 {since} 起享受{kind}经济待遇")
    return row


@transaction.atomic
def treatment_end(*, treatment: Treatment, until: date, actor: User) -> Treatment:
    """End a treatment (e.g. the secretary's term ended)."""
    require_unit_in_scope(actor, treatment.worker.unit)
    if until < treatment.since:
        raise Invalid(TREATMENT_ORDER.format(since=treatment.since, until=until))
    before = {"until": treatment.until}
    treatment.until = until
    treatment.save(update_fields=["until"])
    audit_record(actor=actor, action=AuditAction.PAY_TREATMENT_END, target=treatment, unit=treatment.worker.unit,
                 before=before, after={"until": until}, summary=f"{treatment.worker.name}{treatment.kind}经济待遇至 {until} 止")
    return treatment


UNKNOWN_WELFARE = "「{item}」不是适用政策“{policy}”的福利项目，可填：{items}"


@transaction.atomic
def welfare_record_set(*, worker: Worker, item: str, year: int, on: date | None = None, note: str = "",
                       actor: User) -> WelfareRecord:
    """Record a worker's welfare item for a year (004: the yearly health check, union
    membership); the item must be one of the governing policy's welfare items."""
    require_unit_in_scope(actor, worker.unit)
    g = governing_for_units(units=[worker.unit], on=date(year, 12, 31))[worker.unit_id]
    items = g.policy.params(date(year, 12, 31)).welfare.items
    if item not in items:
        raise Invalid(UNKNOWN_WELFARE.format(item=item, policy=g.label, items="、".join(items) or "无"))
    row, _ = WelfareRecord.objects.update_or_create(
        worker=worker, item=item, year=year,
        defaults={"on": on, "note": note, "entered_by": actor if getattr(actor, "pk", None) else None},
    )
    audit_record(actor=actor, action=AuditAction.PAY_WELFARE_SET, target=row, unit=worker.unit,
                 after={"item": item, "year": year, "on": on, "note": note}, summary=f"{worker.name} {year}年{item}")
    return row
