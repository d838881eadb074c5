"""Writes to the roster. Every change: one transaction, an event (履历) and an audit row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from shequ.common.audit import audit_bulk, audit_record, diff, snapshot
from shequ.common.audit_actions import WORKER_EVENT_ACTIONS, AuditAction
from shequ.common.bulk import objects_insert
from shequ.common.provinces import transaction
from shequ.common.scope import require_unit_in_scope
from shequ.errors import Invalid
from shequ.org.models import STAFFED_TYPES, Unit
from shequ.workers.events import EventData
from shequ.workers.idnumbers import (
    BIRTH_MISMATCH,
    SEX_MISMATCH,
    IdNumberError,
    check_id_against,
    parse_id,
)
from shequ.workers.models import (
    EDUCATION_ORDER,
    Category,
    Contract,
    EducationKind,
    EducationRecord,
    EventKind,
    Status,
    Worker,
    WorkerEvent,
)

if TYPE_CHECKING:
    from shequ.accounts.models import User

DUPLICATE_ID = "身份证号 {id_number} 已在花名册中（{name}，{unit}）"
NOT_STAFFED = "“{unit}”（{unit_type}）不是用人单位，只能把人员放在街道机关或社区/村"
ALREADY_LEFT = "{name} 已于 {left_on} 离职"
SAME_UNIT = "{name} 已在“{unit}”"
EDUCATION_LEVEL_UNKNOWN = "学历「{level}」不是规定的学历（{choices}）"
EDUCATION_KIND_UNKNOWN = "学习形式「{kind}」应为全日制或在职"
EDUCATION_DUPLICATE = "{name} 已登记过{kind}{level}学历"
EDUCATION_IN_FUTURE = "毕业日期 {on} 晚于今天"

EDITABLE_FIELDS = (
    "name", "sex", "birth_date", "category", "post", "education", "education_full_time",
    "community_work_start", "certificate", "grade", "phone",
)


class WorkerError(Invalid):
    pass


# Checks another area (the quota ledger, Q-USE) adds before anyone joins a unit:
# called with (unit, joining, on) and raising a ValueError subclass with a Chinese message.
AdmissionCheck = Callable[[Unit, int, date], None]
ADMISSION_CHECKS: list[AdmissionCheck] = []


def register_admission_check(check: AdmissionCheck) -> None:
    if check not in ADMISSION_CHECKS:
        ADMISSION_CHECKS.append(check)


def admission_check(*, unit: Unit, joining: int, on: date) -> None:
    if joining <= 0:
        return
    for check in ADMISSION_CHECKS:
        check(unit, joining, on)


def holds_place(category: str) -> bool:
    """Dispatch workers (劳务派遣) are employed through an agency and hold no quota place,
    which is why converting one must fit within quota (E-DISP)."""
    return category != Category.DISPATCH


@dataclass
class WorkerData:
    name: str
    id_number: str
    unit: Unit
    category: str
    post: str
    education: str
    community_work_start: date
    certificate: str = "无"
    grade: int | None = None
    sex: str | None = None
    birth_date: date | None = None
    phone: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _staffed(unit: Unit) -> None:
    if unit.unit_type not in STAFFED_TYPES:
        raise WorkerError(NOT_STAFFED.format(unit=unit.name, unit_type=unit.unit_type))


def _build_worker(data: WorkerData) -> Worker:
    id_number = data.id_number.strip().upper()
    birth, sex = parse_id(id_number)
    # The same cross-checks as check_id_against, without parsing the number twice.
    if data.sex and data.sex != sex:
        raise IdNumberError(SEX_MISMATCH.format(given=data.sex, derived=sex))
    if data.birth_date and data.birth_date != birth:
        raise IdNumberError(BIRTH_MISMATCH.format(given=data.birth_date, derived=birth))
    return Worker(
        name=data.name.strip(), id_number=id_number, sex=sex, birth_date=birth, unit=data.unit,
        category=data.category, post=data.post, education=data.education,
        community_work_start=data.community_work_start, certificate=data.certificate or "无",
        grade=data.grade, phone=data.phone, extra=data.extra,
    )


@transaction.atomic
def worker_create(
    *, data: WorkerData, effective: date, actor: User, kind: str = EventKind.HIRE, cause: str = "",
    probation_until: date | None = None, policy_version: str = "",
) -> Worker:
    require_unit_in_scope(actor, data.unit)
    _staffed(data.unit)
    worker = _build_worker(data)
    clash = Worker.objects.filter(id_number=worker.id_number).select_related("unit").first()
    if clash:
        raise WorkerError(DUPLICATE_ID.format(id_number=worker.id_number, name=clash.name, unit=clash.unit.name))
    admission_check(unit=data.unit, joining=int(holds_place(data.category)), on=effective)
    worker.hired_on = effective
    worker.probation_until = probation_until
    worker.status = Status.PROBATION if probation_until and probation_until > effective else Status.ACTIVE
    worker.full_clean(validate_unique=False)
    worker.save()
    after = snapshot(worker)
    WorkerEvent.objects.create(
        worker=worker, kind=kind, effective=effective, cause=cause, unit=data.unit, actor=actor,
        policy_version=policy_version, data=EventData(after=after),
    )
    audit_record(actor=actor, action=AuditAction.WORKER_CREATE, target=worker, unit=data.unit, after=after)
    return worker


@transaction.atomic
def worker_update(
    *, worker: Worker, changes: dict[str, Any], effective: date, actor: User, cause: str,
    kind: str = EventKind.EDIT, policy_version: str = "",
) -> WorkerEvent | None:
    """Change fields of a worker; the event records before → after of what changed."""
    require_unit_in_scope(actor, worker.unit)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise WorkerError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    before = snapshot(worker, EDITABLE_FIELDS)
    for name, value in changes.items():
        setattr(worker, name, value)
    if "sex" in changes or "birth_date" in changes:
        check_id_against(worker.id_number, sex=worker.sex, birth_date=worker.birth_date)
    worker.full_clean(validate_unique=False)
    old, new = diff(before, snapshot(worker, EDITABLE_FIELDS))
    if not new:
        return None
    worker.save()
    event = WorkerEvent.objects.create(
        worker=worker, kind=kind, effective=effective, cause=cause, unit=worker.unit, actor=actor,
        policy_version=policy_version, data=EventData(before=old, after=new),
    )
    audit_record(actor=actor, action=WORKER_EVENT_ACTIONS[kind], target=worker, unit=worker.unit, before=old, after=new, summary=cause)
    return event


@transaction.atomic
def worker_transfer(*, worker: Worker, to_unit: Unit, effective: date, actor: User, cause: str) -> WorkerEvent:
    """Move a worker between units; the actor must hold both ends in scope."""
    require_unit_in_scope(actor, worker.unit)
    require_unit_in_scope(actor, to_unit)
    _staffed(to_unit)
    if worker.status == Status.LEFT:
        raise WorkerError(ALREADY_LEFT.format(name=worker.name, left_on=worker.left_on))
    if worker.unit_id == to_unit.pk:
        raise WorkerError(SAME_UNIT.format(name=worker.name, unit=to_unit.name))
    admission_check(unit=to_unit, joining=int(holds_place(worker.category)), on=effective)
    from_unit = worker.unit
    worker.unit = to_unit
    worker.save(update_fields=["unit", "updated_at"])
    event = WorkerEvent.objects.create(
        worker=worker, kind=EventKind.TRANSFER, effective=effective, cause=cause, unit=to_unit, actor=actor,
        data=EventData(before={"unit": from_unit.name}, after={"unit": to_unit.name}, from_unit_id=from_unit.pk),
    )
    audit_record(
        actor=actor, action=AuditAction.WORKER_TRANSFER, target=worker, unit=to_unit,
        before={"unit": from_unit.name}, after={"unit": to_unit.name}, summary=cause,
    )
    return event


@transaction.atomic
def worker_exit(
    *, worker: Worker, on: date, reason: str, actor: User, policy_version: str = "", cause: str = ""
) -> WorkerEvent:
    """Resignation, dismissal, retirement (C-EXIT): the worker leaves, any open contract
    ends the same day, and the quota place is free from then on (the ledger counts only
    workers who have not left)."""
    require_unit_in_scope(actor, worker.unit)
    if worker.status == Status.LEFT:
        raise WorkerError(ALREADY_LEFT.format(name=worker.name, left_on=worker.left_on))
    before = snapshot(worker, ("status", "left_on", "exit_reason"))
    worker.status = Status.LEFT
    worker.left_on = on
    worker.exit_reason = reason
    worker.save(update_fields=["status", "left_on", "exit_reason", "updated_at"])
    Contract.objects.filter(worker=worker, ended_on__isnull=True).update(ended_on=on, end_reason=reason)
    after = snapshot(worker, ("status", "left_on", "exit_reason"))
    event = WorkerEvent.objects.create(
        worker=worker, kind=EventKind.EXIT, effective=on, cause=cause or reason, unit=worker.unit, actor=actor,
        policy_version=policy_version, data=EventData(before=before, after=after, reason=reason),
    )
    audit_record(actor=actor, action=AuditAction.WORKER_EXIT, target=worker, unit=worker.unit, before=before, after=after, summary=reason)
    return event


@transaction.atomic
def contract_sign(
    *, worker: Worker, kind: str, employer: str, start: date, end: date | None, actor: User
) -> Contract:
    """E-CONTRACT: one open contract per worker; a new one closes the old the day before."""
    require_unit_in_scope(actor, worker.unit)
    Contract.objects.filter(worker=worker, ended_on__isnull=True).update(ended_on=start, end_reason="续签/变更")
    contract = Contract(worker=worker, kind=kind, employer=employer, start=start, end=end)
    contract.full_clean()
    contract.save()
    WorkerEvent.objects.create(
        worker=worker, kind=EventKind.CONTRACT, effective=start, cause=f"签订{contract.get_kind_display()}",
        unit=worker.unit, actor=actor, data=EventData(after=snapshot(contract)),
    )
    audit_record(actor=actor, action=AuditAction.CONTRACT_SIGN, target=contract, unit=worker.unit, after=snapshot(contract))
    return contract


@transaction.atomic
def workers_bulk_create(
    *, rows: list[WorkerData], effective: date, actor: User, cause: str, kind: str = EventKind.IMPORT
) -> int:
    """Create many workers at once (roster import): bulk inserts of workers, their first
    event and one audit row each. All or nothing."""
    units = {r.unit.pk: r.unit for r in rows}
    for unit in units.values():
        require_unit_in_scope(actor, unit)
        _staffed(unit)
    joining: dict[int, int] = {}
    for r in rows:
        joining[r.unit.pk] = joining.get(r.unit.pk, 0) + int(holds_place(r.category))
    if kind != EventKind.IMPORT:
        # Recording staff already in post is not an admission: the ledger shows any excess
        # as over quota (Q-USE) instead of refusing the people who are there.
        for unit_id, n in joining.items():
            admission_check(unit=units[unit_id], joining=n, on=effective)
    workers = [_build_worker(r) for r in rows]
    for w in workers:
        w.hired_on = w.hired_on or effective
        w.status = Status.ACTIVE
    # COPY on PostgreSQL (bulk_create elsewhere): 100,000 rows in seconds, not minutes.
    objects_insert(workers)
    if any(w.pk is None for w in workers):
        ids = dict(Worker.objects.filter(id_number__in=[w.id_number for w in workers]).values_list("id_number", "pk"))
        for w in workers:
            w.pk = ids[w.id_number]
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    # One snapshot per worker serves both its first event and its audit row.
    after = [snapshot(w) for w in workers]
    objects_insert(
        [
            # Ids, not objects: assigning related objects costs a descriptor call each.
            WorkerEvent(worker_id=w.pk, kind=kind, effective=effective, cause=cause, unit_id=w.unit_id,
                        actor_id=actor_id, data=EventData(after=a))
            for w, a in zip(workers, after, strict=True)
        ]
    )
    audit_bulk(
        actor=actor, action=AuditAction.WORKER_IMPORT, target_type="workers.worker",
        rows=[(w.pk, w.name, w.unit, None, a) for w, a in zip(workers, after, strict=True)], summary=cause,
        json_ready=True,
    )
    return len(workers)


def _higher(a: str, b: str) -> str:
    """The higher of two education levels ('' is below every level)."""
    rank = {level: i for i, level in enumerate(EDUCATION_ORDER)}
    return a if rank.get(a, -1) >= rank.get(b, -1) else b


@transaction.atomic
def education_record(
    *, worker: Worker, level: str, kind: str, obtained_on: date, actor: User, school: str = ""
) -> EducationRecord:
    """W-EDU: record an education with its kind (全日制/在职) and date. The worker's highest
    education overall and highest full-time education rise with it from `obtained_on`
    (an EDUCATION event), so both are known as of any date."""
    from django.utils import timezone

    require_unit_in_scope(actor, worker.unit)
    if level not in EDUCATION_ORDER:
        raise WorkerError(EDUCATION_LEVEL_UNKNOWN.format(level=level, choices="、".join(EDUCATION_ORDER)))
    if kind not in EducationKind.values:
        raise WorkerError(EDUCATION_KIND_UNKNOWN.format(kind=kind))
    if obtained_on > timezone.localdate():
        raise WorkerError(EDUCATION_IN_FUTURE.format(on=obtained_on.isoformat()))
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if EducationRecord.objects.filter(worker=worker, level=level, kind=kind).exists():
        raise WorkerError(EDUCATION_DUPLICATE.format(name=worker.name, kind=kind, level=level))
    record = EducationRecord.objects.create(worker=worker, level=level, kind=kind, obtained_on=obtained_on,
                                            school=school.strip())
    changes: dict[str, Any] = {}
    if _higher(level, worker.education) != worker.education:
        changes["education"] = level
    if kind == EducationKind.FULL_TIME and _higher(level, worker.education_full_time) != worker.education_full_time:
        changes["education_full_time"] = level
    cause = f"取得{kind}{level}学历" + (f"（{record.school}）" if record.school else "")
    if changes:
        worker_update(worker=worker, changes=changes, effective=obtained_on, actor=actor, cause=cause,
                      kind=EventKind.EDUCATION)
    else:
        audit_record(actor=actor, action=AuditAction.WORKER_EDUCATION, target=worker, unit=worker.unit,
                     after={"level": level, "kind": kind, "obtained_on": obtained_on.isoformat()}, summary=cause)
    return record
