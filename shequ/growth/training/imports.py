"""The attendance sheet (培训签到表) into the database: staged, every error with its row
and column, all or nothing (shequ.common.imports does the staging)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from shequ.common.imports import RowError, field_errors
from shequ.common.scope import scoped
from shequ.errors import Invalid
from shequ.growth.training.models import Attendance, TrainingSession
from shequ.growth.training.selectors import visible_q
from shequ.growth.training.services import AttendanceLine, attendance_record
from shequ.sheets import read_records
from shequ.sheets.idcard import id_number_problem
from shequ.workers.models import Status, Worker

if TYPE_CHECKING:
    from shequ.accounts.models import User

# header → key; English aliases accepted as everywhere (FORMATS.md)
HEADERS = {"班次编号": "session", "session": "session", "身份证号": "id_number", "id_number": "id_number",
           "姓名": "name", "name": "name", "学时": "hours", "hours": "hours"}
REQUIRED = {"session": "班次编号", "id_number": "身份证号"}
LABEL = {"session": "班次编号", "id_number": "身份证号", "name": "姓名", "hours": "学时"}

MISSING_COLUMNS = "缺少必填列：{columns}"
EMPTY = "此项不能为空"
BAD_SESSION = "班次编号“{value}”不存在或不在您的管理范围内"
UNKNOWN_WORKER = "身份证号 {value} 不在您管理范围内的花名册中"
LEFT_WORKER = "{name} 已离职"
NAME_MISMATCH = "姓名“{given}”与花名册不符（花名册为“{name}”）"
BAD_HOURS = "学时“{value}”不是 0 到 500 之间的数字"
DUPLICATE_ROW = "与第 {row} 行重复（同一人同一班次）"
ALREADY = "{name} 已登记参加班次 {session}"


def _session_id(value: str) -> int | None:
    """The session number typed, if it can be an id at all: 20 digits would overflow the
    database's integer in the lookup itself."""
    return int(value) if value.isdigit() and int(value) < 2**63 else None


def attendance_validate(content: bytes, filename: str, scope: Any, actor: User) -> tuple[list[dict[str, Any]], list[RowError], dict[str, Any]]:
    headers, table = read_records(content, filename)
    errors: list[RowError] = []
    if table:
        keys = {HEADERS[h] for h in headers if h in HEADERS}
        missing = [label for key, label in REQUIRED.items() if key not in keys]
        if missing:
            raise Invalid(MISSING_COLUMNS.format(columns="、".join(missing)))
    records = []
    for i, raw in table:
        rec = {HEADERS[h]: v for h, v in raw.items() if h in HEADERS}
        if any(rec.values()):
            records.append((i, rec))
    session_ids = [_session_id(r.get("session", "")) for _, r in records]
    sessions = {
        s.pk: s for s in TrainingSession.objects.filter(visible_q(actor)).select_related("course").filter(
            pk__in=[pk for pk in session_ids if pk is not None])
    }
    workers = {
        w.id_number: w for w in scoped(Worker.objects.select_related("unit"), actor).filter(
            id_number__in=[r.get("id_number", "").upper() for _, r in records])
    }
    taken = set(
        Attendance.objects.filter(session_id__in=sessions, worker_id__in=[w.pk for w in workers.values()])
        .values_list("session_id", "worker_id")
    )
    seen: dict[tuple[int, int], int] = {}
    rows = []
    for row_no, rec in records:
        errors_before = len(errors)
        bad = False
        for key, label in REQUIRED.items():
            if not rec.get(key):
                errors.append(RowError(row_no, label, EMPTY))
                bad = True
        if bad:
            continue
        pk = _session_id(rec["session"])
        session = sessions.get(pk) if pk is not None else None
        if session is None:
            errors.append(RowError(row_no, "班次编号", BAD_SESSION.format(value=rec["session"])))
        worker = workers.get(rec["id_number"].upper())
        if worker is None:
            errors.append(RowError(row_no, "身份证号", id_number_problem(rec["id_number"])
                                   or UNKNOWN_WORKER.format(value=rec["id_number"])))
        elif worker.status == Status.LEFT:
            errors.append(RowError(row_no, "身份证号", LEFT_WORKER.format(name=worker.name)))
            worker = None
        elif rec.get("name") and rec["name"] != worker.name:
            errors.append(RowError(row_no, "姓名", NAME_MISMATCH.format(given=rec["name"], name=worker.name)))
        hours = None
        if rec.get("hours"):
            try:
                hours = Decimal(rec["hours"])
                if not (0 < hours <= 500):
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(RowError(row_no, "学时", BAD_HOURS.format(value=rec["hours"])))
            else:  # the column keeps one decimal: 1.25 would be stored as another number
                errors += field_errors(Attendance, {"hours": hours}, row=row_no, columns={"hours": "学时"})
        if session is None or worker is None:
            continue
        row_ok = len(errors) == errors_before
        pair = (session.pk, worker.pk)
        if pair in seen:
            errors.append(RowError(row_no, "身份证号", DUPLICATE_ROW.format(row=seen[pair])))
            continue
        seen[pair] = row_no
        if pair in taken:
            errors.append(RowError(row_no, "身份证号", ALREADY.format(name=worker.name, session=session.pk)))
            continue
        if not row_ok:
            continue
        rows.append({"session_id": session.pk, "session": str(session), "worker_id": worker.pk, "name": worker.name,
                     "id_number": worker.id_number, "unit": worker.unit.name if worker.unit_id else "",
                     "hours": str(hours if hours is not None else session.hours), "_row": row_no})
    return rows, errors, {"rows": len(records)}


def attendance_commit(rows: list[dict[str, Any]], scope: Any, actor: User) -> dict[str, Any]:
    sessions = {s.pk: s for s in TrainingSession.objects.select_related("course").filter(pk__in={r["session_id"] for r in rows})}
    workers = Worker.objects.select_related("unit").in_bulk({r["worker_id"] for r in rows})
    by_session: dict[int, list[AttendanceLine]] = {}
    for r in rows:
        by_session.setdefault(r["session_id"], []).append(AttendanceLine(worker=workers[r["worker_id"]], hours=Decimal(r["hours"])))
    n = 0
    for session_id, lines in by_session.items():
        n += len(attendance_record(session=sessions[session_id], lines=lines, actor=actor))
    return {"created": n}
