"""API under /api/v1/growth/training: the same scope rules as the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema

from shequ.accounts.api_auth import need
from shequ.accounts.types import AuthedRequest
from shequ.common.params import Amount, Day, Id, Year
from shequ.growth.training import selectors, services
from shequ.growth.training.certification import certification_due, certification_share
from shequ.growth.training.compliance import training_compliance
from shequ.growth.training.coverage import mentoring_coverage, rotation_coverage

router = Router()


class AsOf(Schema):
    on: Day | None = None
    unit: Id | None = None


def _scope(request: AuthedRequest, q: AsOf) -> tuple[date, Any]:
    return q.on or timezone.localdate(), selectors.root_unit(user=request.user, unit_id=q.unit)


class CourseOut(Schema):
    id: int
    name: str
    level: str
    unit_id: int
    unit_name: str
    hours: Decimal


class CourseIn(Schema):
    name: str
    level: str
    unit_id: Id | None = None
    hours: Amount
    description: str = ""


def _course(c: Any) -> dict[str, Any]:
    return {"id": c.pk, "name": c.name, "level": c.level, "unit_id": c.unit_id, "unit_name": c.unit.name,
            "hours": c.hours}


@router.get("/courses", response=list[CourseOut], summary="培训课程（本范围及上级主办）")
def list_courses(request: AuthedRequest) -> list[dict[str, Any]]:
    need(request, "growth.view")
    return [_course(c) for c in selectors.course_list(user=request.user)[:2000]]


@router.post("/courses", response=CourseOut, summary="新增培训课程（主办单位默认为本单位）")
def create_course(request: AuthedRequest, body: CourseIn) -> dict[str, Any]:
    need(request, "growth.change")
    unit = selectors.root_unit(user=request.user, unit_id=body.unit_id)
    c = services.course_create(name=body.name, level=body.level, unit=unit, hours=body.hours,
                               description=body.description, actor=request.user)
    return _course(c)


class SessionOut(Schema):
    id: int
    course: str
    level: str
    unit_name: str
    start: date
    end: date
    place: str
    hours: Decimal


class SessionIn(Schema):
    course_id: Id
    start: Day
    end: Day | None = None
    place: str = ""
    hours: Amount | None = None


def _session(s: Any) -> dict[str, Any]:
    return {"id": s.pk, "course": s.course.name, "level": s.course.level, "unit_name": s.unit.name, "start": s.start,
            "end": s.end, "place": s.place, "hours": s.hours}


@router.get("/sessions", response=list[SessionOut], summary="培训班次（本范围及上级主办）")
def list_sessions(request: AuthedRequest, level: str = "", year: Year | None = None) -> list[dict[str, Any]]:
    need(request, "growth.view")
    return [_session(s) for s in selectors.session_list(user=request.user, level=level, year=year)[:1000]]


@router.post("/sessions", response=SessionOut, summary="新增培训班次")
def create_session(request: AuthedRequest, body: SessionIn) -> dict[str, Any]:
    need(request, "growth.change")
    course = selectors.course_get(user=request.user, pk=body.course_id, for_change=True)
    s = services.session_create(course=course, start=body.start, end=body.end or body.start, place=body.place,
                                hours=body.hours, actor=request.user)
    return _session(s)


class AttendanceOut(Schema):
    worker_id: int
    name: str
    unit_name: str
    level: str
    attended_on: date
    hours: Decimal


class AttendanceIn(Schema):
    worker_ids: list[Id]
    hours: Amount | None = None


def _attendance(a: Any) -> dict[str, Any]:
    return {"worker_id": a.worker_id, "name": a.worker.name, "unit_name": a.unit.name, "level": a.level,
            "attended_on": a.attended_on, "hours": a.hours}


@router.get("/sessions/{session_id}/attendance", response=list[AttendanceOut], summary="班次参训人员（本范围）")
def list_attendance(request: AuthedRequest, session_id: Id) -> list[dict[str, Any]]:
    need(request, "growth.view")
    session = selectors.session_get(user=request.user, pk=session_id)
    return [_attendance(a) for a in selectors.attendance_list(user=request.user, session=session)]


@router.post("/sessions/{session_id}/attendance", response=list[AttendanceOut], summary="登记参训人员（全部成功或全部不登记）")
def record_attendance(request: AuthedRequest, session_id: Id, body: AttendanceIn) -> list[dict[str, Any]]:
    need(request, "growth.change")
    session = selectors.session_get(user=request.user, pk=session_id)
    workers = selectors.workers_in_scope(user=request.user, pks=body.worker_ids)
    rows = services.attendance_record(session=session, actor=request.user,
                                      lines=[services.AttendanceLine(worker=w, hours=body.hours) for w in workers])
    return [_attendance(a) for a in rows]


class ComplianceRow(Schema):
    worker_id: int
    name: str
    unit_name: str
    post: str
    requirement: str | None
    last_training: date | None
    due: date | None
    status: str | None
    days_overdue: int | None


class ComplianceOut(Schema):
    on: date
    workers: int
    overdue: list[ComplianceRow]
    by_unit: list[dict[str, Any]]


@router.get("/compliance", response=ComplianceOut, summary="培训达标：逾期未培训名单与按单位汇总（T-LEVEL）")
def compliance(request: AuthedRequest, q: Query[AsOf]) -> dict[str, Any]:
    need(request, "growth.view")
    on, root = _scope(request, q)
    r = training_compliance(user=request.user, root=root, on=on)
    return {"on": on, "workers": r.workers.height, "overdue": r.overdue.to_dicts(),
            "by_unit": r.by_unit.drop("unit_path").to_dicts()}


@router.get("/hours", response=list[dict[str, Any]], summary="每人参训人次与学时")
def hours(request: AuthedRequest, year: Year, unit: Id | None = None) -> list[dict[str, Any]]:
    need(request, "growth.view")
    root = selectors.root_unit(user=request.user, unit_id=unit)
    rows = selectors.hours_by_worker(user=request.user, root=root, start=date(year, 1, 1), end=date(year, 12, 31))
    return [{"worker_id": r["worker_id"], "name": r["worker__name"], "unit_name": r["unit__name"], "times": r["times"],
             "hours": float(r["hours"] or 0), "市级": r["city"], "县级": r["county"], "街道": r["street"]} for r in rows]


class PairIn(Schema):
    mentee_id: Id
    mentor_id: Id | None = None
    mentor_name: str = ""
    group: str = "other"
    start: Day
    note: str = ""


class PairOut(Schema):
    id: int
    mentee_id: int
    mentee: str
    mentor_name: str
    group: str
    start: date
    end: date | None


def _pair(p: Any) -> dict[str, Any]:
    return {"id": p.pk, "mentee_id": p.mentee_id, "mentee": p.mentee.name, "mentor_name": p.mentor_name,
            "group": p.group, "start": p.start, "end": p.end}


@router.get("/mentoring/pairs", response=list[PairOut], summary="导师帮带关系")
def list_pairs(request: AuthedRequest) -> list[dict[str, Any]]:
    need(request, "growth.view")
    return [_pair(p) for p in selectors.mentor_pair_list(user=request.user)[:2000]]


@router.post("/mentoring/pairs", response=PairOut, summary="建立帮带关系")
def create_pair(request: AuthedRequest, body: PairIn) -> dict[str, Any]:
    need(request, "growth.change")
    mentee = selectors.worker_in_scope(user=request.user, pk=body.mentee_id)
    mentor = selectors.worker_in_scope(user=request.user, pk=body.mentor_id) if body.mentor_id else None
    p = services.mentor_pair_create(mentee=mentee, mentor=mentor, mentor_name=body.mentor_name, group=body.group,
                                    start=body.start, note=body.note, actor=request.user)
    return _pair(p)


@router.get("/mentoring/coverage", response=dict[str, Any], summary="帮带覆盖情况与未结对名单（T-MENTOR）")
def coverage(request: AuthedRequest, q: Query[AsOf]) -> dict[str, Any]:
    need(request, "growth.view")
    on, root = _scope(request, q)
    cov = mentoring_coverage(user=request.user, root=root, on=on)
    unpaired = cov.unpaired.select("worker_id", "name", "unit_name", "post", "age", "reasons").to_dicts()
    return {"on": on, "groups": cov.groups, "unpaired": unpaired}


class PlacementIn(Schema):
    kind: str
    worker_id: Id
    place: str
    post_served: str = ""
    start: Day
    end: Day
    note: str = ""


class PlacementOut(Schema):
    id: int
    kind: str
    worker_id: int
    name: str
    unit_name: str
    place: str
    post_served: str
    start: date
    end: date


def _placement(p: Any) -> dict[str, Any]:
    return {"id": p.pk, "kind": p.kind, "worker_id": p.worker_id, "name": p.worker.name, "unit_name": p.unit.name,
            "place": p.place, "post_served": p.post_served, "start": p.start, "end": p.end}


@router.get("/placements", response=list[PlacementOut], summary="跟岗学习（exchange）与全岗通轮岗（rotation）")
def list_placements(request: AuthedRequest, kind: str = "rotation") -> list[dict[str, Any]]:
    need(request, "growth.view")
    return [_placement(p) for p in selectors.placement_list(user=request.user, kind=kind)[:2000]]


@router.post("/placements", response=PlacementOut, summary="登记跟岗学习或轮岗")
def create_placement(request: AuthedRequest, body: PlacementIn) -> dict[str, Any]:
    need(request, "growth.change")
    worker = selectors.worker_in_scope(user=request.user, pk=body.worker_id)
    p = services.placement_record(kind=body.kind, worker=worker, place=body.place, post_served=body.post_served,
                                  start=body.start, end=body.end, note=body.note, actor=request.user)
    return _placement(p)


@router.get("/rotation/coverage", response=list[dict[str, Any]], summary="全岗通轮岗覆盖（按单位，T-ALL）")
def rotation(request: AuthedRequest, q: Query[AsOf]) -> list[dict[str, Any]]:
    need(request, "growth.view")
    on, root = _scope(request, q)
    return rotation_coverage(user=request.user, root=root, on=on).drop("unit_path").to_dicts()


class CertificateIn(Schema):
    worker_id: Id
    level: str
    obtained_on: Day
    number: str = ""


class CertificateOut(Schema):
    id: int
    worker_id: int
    level: str
    obtained_on: date
    number: str


@router.post("/certificates", response=CertificateOut, summary="登记职业资格证书（T-CERT）")
def create_certificate(request: AuthedRequest, body: CertificateIn) -> dict[str, Any]:
    need(request, "growth.change")
    worker = selectors.worker_in_scope(user=request.user, pk=body.worker_id)
    c = services.certificate_record(worker=worker, level=body.level, obtained_on=body.obtained_on, number=body.number,
                                    actor=request.user, today=timezone.localdate())
    return {"id": c.pk, "worker_id": c.worker_id, "level": c.level, "obtained_on": c.obtained_on, "number": c.number}


@router.get("/certificates", response=list[CertificateOut], summary="职业资格证书")
def list_certificates(request: AuthedRequest) -> list[dict[str, Any]]:
    need(request, "growth.view")
    return [{"id": c.pk, "worker_id": c.worker_id, "level": c.level, "obtained_on": c.obtained_on, "number": c.number}
            for c in selectors.certificate_list(user=request.user)[:2000]]


@router.get("/certification/share", response=list[dict[str, Any]], summary="持证率（按单位）")
def cert_share(request: AuthedRequest, q: Query[AsOf]) -> list[dict[str, Any]]:
    need(request, "growth.view")
    on, root = _scope(request, q)
    return certification_share(user=request.user, root=root, on=on).drop("unit_path").to_dicts()


@router.get("/certification/due", response=dict[str, Any], summary="须在持证期限内取证的人员")
def cert_due(request: AuthedRequest, q: Query[AsOf]) -> dict[str, Any]:
    need(request, "growth.view")
    on, root = _scope(request, q)
    rows = certification_due(user=request.user, root=root, on=on).workers
    return {"on": on, "workers": rows.select("worker_id", "name", "unit_name", "post", "warning", "deadline", "status",
                                             "days_left").to_dicts()}
