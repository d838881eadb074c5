"""The roster sheet (花名册) into the database: sheet checks from shequ.sheets, then the
checks only the database can make (unit in scope, ID number not yet on the roster)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from shequ.common.imports import RowError, field_errors
from shequ.common.provinces import connection
from shequ.common.scope import scoped
from shequ.org.models import STAFFED_TYPES, Unit
from shequ.policy.selectors import policy_for
from shequ.sheets import read_sheet, validate_roster
from shequ.workers.models import Worker
from shequ.workers.placement import placed_grades
from shequ.workers.services import WorkerData, workers_bulk_create

if TYPE_CHECKING:
    from shequ.accounts.models import User

UNKNOWN_UNIT = "单位“{name}”不在您的管理范围内或不存在"
AMBIGUOUS_UNIT = "单位名称“{name}”在您的范围内有多个，请改用唯一名称"
NOT_STAFFED_UNIT = "“{name}”是{unit_type}，人员只能放在街道机关或社区/村"
ALREADY_ON_ROSTER = "身份证号 {id_number} 已在花名册中（{name}）"
WORK_BEFORE_BIRTH = "参加社区工作时间（{start}）必须晚于出生日期（{birth}，由身份证号得出）"
# The roster's own columns the workers table bounds (length, range), by their headers.
BOUNDED = {"name": "姓名", "post": "岗位", "grade": "等级", "phone": "联系电话"}

# Columns the sheet layer adds for the engine, not entered by the user.
DERIVED = {"worker_id"}
KNOWN = {
    "name", "id_number", "sex", "birth_date", "unit", "category", "post", "education",
    "community_work_start", "certificate", "grade", "phone",
}


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def roster_validate(content: bytes, filename: str, scope: Unit, actor: User) -> tuple[list[dict[str, Any]], list[RowError], dict[str, Any]]:
    today = timezone.localdate()
    policy, label = policy_for(unit=scope, on=today)
    frame = read_sheet(content, filename)
    clean, sheet_errors = validate_roster(frame, policy)
    errors = [RowError(row=e.row, column=e.column, message=e.message) for e in sheet_errors]

    units_by_name: dict[str, list[Unit]] = {}
    for u in scoped(Unit.objects.all(), actor, unit_field="").filter(path__startswith=scope.path):
        units_by_name.setdefault(u.name, []).append(u)
    bad_rows = {e.row for e in errors}
    if 1 in bad_rows:  # a header is missing: no row can be read
        return [], errors, {}
    records = [r for r in clean.to_dicts() if r["_row"] not in bad_rows]
    existing = _on_roster([r["id_number"] for r in records if r.get("id_number")])
    rows: list[dict[str, Any]] = []
    for r in records:
        row_no = int(r["_row"])
        candidates = units_by_name.get(str(r.get("unit") or ""), [])
        if not candidates:
            errors.append(RowError(row_no, "所属单位", UNKNOWN_UNIT.format(name=r.get("unit"))))
            continue
        if len(candidates) > 1:
            errors.append(RowError(row_no, "所属单位", AMBIGUOUS_UNIT.format(name=r.get("unit"))))
            continue
        unit = candidates[0]
        if unit.unit_type not in STAFFED_TYPES:
            errors.append(RowError(row_no, "所属单位", NOT_STAFFED_UNIT.format(name=unit.name, unit_type=unit.unit_type)))
            continue
        if r["id_number"] in existing:
            errors.append(RowError(row_no, "身份证号", ALREADY_ON_ROSTER.format(id_number=r["id_number"], name=existing[r["id_number"]])))
            continue
        # What the workers table would refuse at commit: lengths, ranges, worker_work_after_birth.
        db_errors = field_errors(Worker, {k: r.get(k) for k in BOUNDED}, row=row_no, columns=BOUNDED)
        start, birth = r.get("community_work_start"), r.get("birth_date")
        if start is not None and birth is not None and start <= birth:
            db_errors.append(RowError(row_no, "参加社区工作时间", WORK_BEFORE_BIRTH.format(start=start, birth=birth)))
        if db_errors:
            errors += db_errors
            continue
        extra = {
            k: _iso(v) for k, v in r.items()
            if k not in KNOWN and k not in DERIVED and not k.startswith("_") and v not in (None, "")
        }
        rows.append({**{k: _iso(r.get(k)) for k in KNOWN if k in r}, "unit_id": unit.pk, "_row": row_no, "extra": extra})
    if rows and not errors:
        for row, grade in zip(rows, placed_grades(policy=policy, records=_typed(rows), on=today), strict=True):
            row["placed"] = row.get("grade") in (None, "")
            row["grade"] = grade
    return rows, errors, {"policy": label, "rows": len(records)}


def _on_roster(id_numbers: list[str]) -> dict[str, str]:
    """ID number → name of those already on the roster (anywhere: ID numbers are unique)."""
    if connection.vendor == "postgresql":
        # One array parameter instead of 100,000 placeholders: 0.9 s instead of 5 s.
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT id_number, name FROM {Worker._meta.db_table} WHERE id_number = ANY(%s)", [id_numbers]
            )
            return dict(cur.fetchall())
    return dict(Worker.objects.filter(id_number__in=id_numbers).values_list("id_number", "name"))


def _typed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "community_work_start": date.fromisoformat(r["community_work_start"])} for r in rows]


def roster_commit(rows: list[dict[str, Any]], scope: Unit, actor: User) -> dict[str, Any]:
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r["unit_id"] for r in rows})}
    data = [
        WorkerData(
            name=r["name"], id_number=r["id_number"], unit=units[r["unit_id"]], category=r["category"],
            post=r["post"], education=r["education"],
            community_work_start=date.fromisoformat(r["community_work_start"]),
            certificate=r.get("certificate") or "无",
            grade=int(r["grade"]) if r.get("grade") not in (None, "") else None,
            sex=r.get("sex") or None,
            birth_date=date.fromisoformat(r["birth_date"]) if r.get("birth_date") else None,
            phone=str(r.get("phone") or ""),
            extra=r.get("extra") or {},
        )
        for r in rows
    ]
    placed = sum(1 for r in rows if r.get("placed"))
    cause = f"花名册导入（{placed} 人按政策定级）" if placed else "花名册导入"
    n = workers_bulk_create(rows=data, effective=timezone.localdate(), actor=actor, cause=cause)
    return {"created": n}
