"""Writes for training, mentoring, exchange/rotation and certificates. Each: keyword-only,
one transaction, the worker's history event(s) and one audit row per change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from shequ.common.audit import audit_bulk, audit_record, snapshot
from shequ.common.audit_actions import PLACEMENT_ACTIONS, AuditAction
from shequ.common.provinces import transaction
from shequ.common.scope import ScopeError, require_unit_in_scope, unit_in_scope
from shequ.errors import Invalid
from shequ.growth.training.models import (
    LEVEL_ORDER,
    Attendance,
    Course,
    MentorGroup,
    MentorPair,
    Placement,
    PlacementKind,
    TrainingSession,
)
from shequ.org.models import Unit
from shequ.workers.models import (
    Certificate,
    CertificateLevel,
    EventKind,
    Status,
    Worker,
    WorkerEvent,
)
from shequ.workers.services import worker_update

if TYPE_CHECKING:
    from shequ.accounts.models import User

BAD_LEVEL = "培训层级“{level}”不正确，应为 市级、县级 或 街道"
LEVEL_ABOVE_UNIT = "{unit}是{unit_type}，不能主办{level}培训"
BAD_HOURS = "学时必须大于 0 且不超过 500"
END_BEFORE_START = "结束日期 {end} 早于开始日期 {start}"
SESSION_NOT_VISIBLE = "该培训班次不在您的管理范围内"
WORKER_LEFT = "{name} 已离职，不能登记"
ALREADY_ATTENDED = "{name} 已登记参加该班次"
DUPLICATE_IN_BATCH = "{name} 在本次登记中重复"
NO_WORKERS = "请至少选择一名参训人员"
MENTOR_IS_MENTEE = "导师不能是帮带对象本人"
MENTOR_NAME_MISSING = "请填写导师姓名或选择花名册中的导师"
ALREADY_PAIRED = "{name} 已有导师（{mentor}，自 {start} 起），请先结束原帮带关系"
PAIR_ALREADY_ENDED = "该帮带关系已于 {end} 结束"
PLACE_MISSING = "请填写地点或接收单位"
POST_MISSING = "全岗通轮岗请填写所轮岗位"
CAUSE_MISSING = "请填写撤销原因"
BAD_KIND = "类型“{kind}”不正确，应为 exchange（跟岗学习）或 rotation（全岗通轮岗）"
BAD_GROUP = "帮带类别“{group}”不正确"
BAD_CERT_LEVEL = "职业资格等级“{level}”不正确，应为 助理社会工作师、社会工作师 或 高级社会工作师"
CERT_IN_FUTURE = "取得日期 {on} 晚于今天"

# Which organiser may run which level: city-level courses come from the city (or the
# bureau above it), county-level from a district/county or above, street-level from anyone.
LEVEL_MIN_DEPTH_TYPES = {
    "市级": {"市"},
    "县级": {"市", "区县"},
}

CERT_RANK = {lv.value: i for i, lv in enumerate(CertificateLevel)}


class TrainingError(Invalid):
    pass


def _clean(obj: Any) -> None:
    """Model validation as a TrainingError, so pages and the API show the same Chinese text."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise TrainingError("；".join(exc.messages)) from exc


def _check_hours(hours: Decimal) -> None:
    if hours is None or hours <= 0 or hours > 500:
        raise TrainingError(BAD_HOURS)


def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise TrainingError(END_BEFORE_START.format(start=start, end=end))


def session_visible(user: User, session: TrainingSession) -> bool:
    """Sessions in the user's subtree and those run above it (city/county courses its
    workers attend) are visible; only the former may be changed."""
    unit = getattr(user, "unit", None)
    if unit_in_scope(user, session.unit):
        return True
    return unit is not None and session.unit_id in unit.ancestor_ids()


@transaction.atomic
def course_create(
    *, name: str, level: str, unit: Unit | None, hours: Decimal, description: str = "", actor: User
) -> Course:
    require_unit_in_scope(actor, unit)
    assert unit is not None  # require_unit_in_scope refuses a missing unit
    if level not in LEVEL_ORDER:
        raise TrainingError(BAD_LEVEL.format(level=level))
    allowed = LEVEL_MIN_DEPTH_TYPES.get(level)
    if allowed is not None and unit.unit_type not in allowed:
        raise TrainingError(LEVEL_ABOVE_UNIT.format(unit=unit.name, unit_type=unit.unit_type, level=level))
    _check_hours(hours)
    course = Course(name=name.strip(), level=level, unit=unit, hours=hours, description=description)
    _clean(course)
    course.save()
    audit_record(actor=actor, action=AuditAction.TRAINING_COURSE_CREATE, target=course, unit=unit, after=snapshot(course))
    return course


@transaction.atomic
def session_create(
    *, course: Course, start: date, end: date, place: str = "", hours: Decimal | None = None, actor: User
) -> TrainingSession:
    require_unit_in_scope(actor, course.unit)
    _check_dates(start, end)
    hours = course.hours if hours is None else hours
    _check_hours(hours)
    session = TrainingSession(course=course, unit=course.unit, start=start, end=end, place=place, hours=hours)
    _clean(session)
    session.save()
    audit_record(actor=actor, action=AuditAction.TRAINING_SESSION_CREATE, target=session, unit=course.unit, after=snapshot(session))
    return session


@dataclass(frozen=True)
class AttendanceLine:
    worker: Worker
    hours: Decimal | None = None


@transaction.atomic
def attendance_record(
    *, session: TrainingSession, lines: list[AttendanceLine], actor: User, policy_version: str = ""
) -> list[Attendance]:
    """Record attendance of many workers at one session: all or nothing. One TRAINING
    event per attendance, written in bulk, and one audit row each."""
    if not session_visible(actor, session):
        raise ScopeError(SESSION_NOT_VISIBLE)
    if not lines:
        raise TrainingError(NO_WORKERS)
    seen: set[int] = set()
    for line in lines:
        require_unit_in_scope(actor, line.worker.unit)
        if line.worker.status == Status.LEFT:
            raise TrainingError(WORKER_LEFT.format(name=line.worker.name))
        if line.worker.pk in seen:
            raise TrainingError(DUPLICATE_IN_BATCH.format(name=line.worker.name))
        seen.add(line.worker.pk)
        if line.hours is not None:
            _check_hours(line.hours)
    taken = set(
        Attendance.objects.filter(session=session, worker_id__in=seen).values_list("worker_id", flat=True)
    )
    if taken:
        name = next(ln.worker.name for ln in lines if ln.worker.pk in taken)
        raise TrainingError(ALREADY_ATTENDED.format(name=name))
    level = session.course.level
    rows = [
        Attendance(
            session=session, worker=ln.worker, unit=ln.worker.unit, level=level, attended_on=session.start,
            hours=session.hours if ln.hours is None else ln.hours, actor=actor if getattr(actor, "pk", None) else None,
        )
        for ln in lines
    ]
    Attendance.objects.bulk_create(rows, batch_size=2000)
    WorkerEvent.objects.bulk_create(
        [
            WorkerEvent(
                worker=a.worker, kind=EventKind.TRAINING, effective=session.start, unit=a.unit,
                cause=f"参加{level}培训：{session.course.name}", actor=a.actor, policy_version=policy_version,
                data={"after": {"session_id": session.pk, "course": session.course.name, "level": level,
                                "hours": str(a.hours), "start": session.start.isoformat(), "end": session.end.isoformat(),
                                "place": session.place}},
            )
            for a in rows
        ],
        batch_size=2000,
    )
    audit_bulk(
        actor=actor, action=AuditAction.TRAINING_ATTEND, target_type="growth.attendance",
        rows=[(a.pk or "", f"{a.worker.name}@{session}", a.unit, None,
               {"session_id": session.pk, "worker_id": a.worker.pk, "hours": str(a.hours)}) for a in rows],
        summary=f"登记培训：{session}",
    )
    return rows


@transaction.atomic
def attendance_remove(*, attendance: Attendance, actor: User, cause: str) -> None:
    """Take back a wrongly recorded attendance: the row goes, the history keeps both the
    training event and this correction."""
    require_unit_in_scope(actor, attendance.unit)
    if not cause.strip():
        raise TrainingError(CAUSE_MISSING)
    before = {"session_id": attendance.session_id, "worker_id": attendance.worker_id, "hours": str(attendance.hours),
              "attended_on": attendance.attended_on.isoformat()}
    WorkerEvent.objects.create(
        worker_id=attendance.worker_id, kind=EventKind.TRAINING, effective=attendance.attended_on, unit=attendance.unit,
        actor=actor, cause=f"撤销培训记录：{attendance.session.course.name}（{cause.strip()}）",
        data={"before": before, "after": None},
    )
    audit_record(actor=actor, action=AuditAction.TRAINING_ATTEND_REMOVE, target=attendance, unit=attendance.unit,
                 before=before, summary=cause.strip())
    attendance.delete()


@transaction.atomic
def mentor_pair_create(
    *, mentee: Worker, start: date, actor: User, mentor: Worker | None = None, mentor_name: str = "",
    group: str = MentorGroup.OTHER, note: str = "",
) -> MentorPair:
    require_unit_in_scope(actor, mentee.unit)
    if group not in MentorGroup.values:
        raise TrainingError(BAD_GROUP.format(group=group))
    if mentor is not None:
        require_unit_in_scope(actor, mentor.unit)
        if mentor.pk == mentee.pk:
            raise TrainingError(MENTOR_IS_MENTEE)
        mentor_name = mentor.name
    if not mentor_name.strip():
        raise TrainingError(MENTOR_NAME_MISSING)
    if mentee.status == Status.LEFT:
        raise TrainingError(WORKER_LEFT.format(name=mentee.name))
    open_pair = MentorPair.objects.filter(mentee=mentee, end__isnull=True).first()
    if open_pair is not None:
        raise TrainingError(ALREADY_PAIRED.format(name=mentee.name, mentor=open_pair.mentor_name, start=open_pair.start))
    pair = MentorPair(mentor=mentor, mentor_name=mentor_name.strip(), mentee=mentee, unit=mentee.unit,
                      group=group, start=start, note=note)
    _clean(pair)
    pair.save()
    WorkerEvent.objects.create(
        worker=mentee, kind=EventKind.MENTORING, effective=start, unit=mentee.unit, actor=actor,
        cause=f"导师帮带：导师 {pair.mentor_name}（{pair.get_group_display()}）",
        data={"after": {"pair_id": pair.pk, "mentor": pair.mentor_name, "group": group, "start": start.isoformat()}},
    )
    audit_record(actor=actor, action=AuditAction.MENTORING_CREATE, target=pair, unit=mentee.unit, after=snapshot(pair))
    return pair


@transaction.atomic
def mentor_pair_end(*, pair: MentorPair, end: date, actor: User) -> MentorPair:
    require_unit_in_scope(actor, pair.unit)
    if pair.end is not None:
        raise TrainingError(PAIR_ALREADY_ENDED.format(end=pair.end))
    _check_dates(pair.start, end)
    before = snapshot(pair, ["end"])
    pair.end = end
    pair.save(update_fields=["end"])
    WorkerEvent.objects.create(
        worker_id=pair.mentee_id, kind=EventKind.MENTORING, effective=end, unit=pair.unit, actor=actor,
        cause=f"导师帮带结束：导师 {pair.mentor_name}",
        data={"before": {"end": None}, "after": {"pair_id": pair.pk, "end": end.isoformat()}},
    )
    audit_record(actor=actor, action=AuditAction.MENTORING_END, target=pair, unit=pair.unit, before=before, after=snapshot(pair, ["end"]))
    return pair


@transaction.atomic
def placement_record(
    *, kind: str, worker: Worker, place: str, start: date, end: date, actor: User, post_served: str = "", note: str = ""
) -> Placement:
    """T-EXCH / T-ALL: an exchange placement or a 全岗通 rotation, with its event."""
    require_unit_in_scope(actor, worker.unit)
    if kind not in PlacementKind.values:
        raise TrainingError(BAD_KIND.format(kind=kind))
    if worker.status == Status.LEFT:
        raise TrainingError(WORKER_LEFT.format(name=worker.name))
    if not place.strip():
        raise TrainingError(PLACE_MISSING)
    if kind == PlacementKind.ROTATION and not post_served.strip():
        raise TrainingError(POST_MISSING)
    _check_dates(start, end)
    p = Placement(kind=kind, worker=worker, unit=worker.unit, place=place.strip(), post_served=post_served.strip(),
                  start=start, end=end, note=note, actor=actor if getattr(actor, "pk", None) else None)
    _clean(p)
    p.save()
    event_kind = EventKind.EXCHANGE if kind == PlacementKind.EXCHANGE else EventKind.ROTATION
    what = f"{p.get_kind_display()}：{p.place}" + (f"（{p.post_served}）" if p.post_served else "")
    WorkerEvent.objects.create(
        worker=worker, kind=event_kind, effective=start, unit=worker.unit, actor=actor, cause=what,
        data={"after": {"placement_id": p.pk, "place": p.place, "post": p.post_served,
                        "start": start.isoformat(), "end": end.isoformat()}},
    )
    audit_record(actor=actor, action=PLACEMENT_ACTIONS[kind], target=p, unit=worker.unit, after=snapshot(p))
    return p


@transaction.atomic
def certificate_record(
    *, worker: Worker, level: str, obtained_on: date, actor: User, number: str = "", today: date | None = None
) -> Certificate:
    """T-CERT: store the certificate and, when it is higher than the worker's current one,
    update Worker.certificate through worker_update so the history shows before → after
    with the date obtained (the pay side reads that date to start the allowance)."""
    require_unit_in_scope(actor, worker.unit)
    if level not in CERT_RANK or level == CertificateLevel.NONE:
        raise TrainingError(BAD_CERT_LEVEL.format(level=level))
    if today is not None and obtained_on > today:
        raise TrainingError(CERT_IN_FUTURE.format(on=obtained_on))
    if worker.status == Status.LEFT:
        raise TrainingError(WORKER_LEFT.format(name=worker.name))
    cert = Certificate(worker=worker, level=level, obtained_on=obtained_on, number=number.strip())
    _clean(cert)
    cert.save()
    audit_record(actor=actor, action=AuditAction.CERTIFICATE_RECORD, target=cert, unit=worker.unit, after=snapshot(cert))
    if CERT_RANK[level] > CERT_RANK.get(worker.certificate, 0):
        worker_update(
            worker=worker, changes={"certificate": level}, effective=obtained_on, actor=actor,
            cause=f"取得{level}职业资格" + (f"（证书编号 {cert.number}）" if cert.number else ""),
            kind=EventKind.CERTIFICATE,
        )
    return cert
