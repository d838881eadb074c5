"""The units sheet (单位表) into the org tree, below the importing user's unit."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from shequ.common.imports import RowError, field_errors
from shequ.org.models import ALLOWED_CHILDREN, Unit, UnitFact
from shequ.org.services import URBAN_OVER_POPULATION, KeyedUnit, units_load
from shequ.sheets import read_sheet, validate_units
from shequ.sheets.validate import UNKNOWN_PARENT as SHEET_UNKNOWN_PARENT

if TYPE_CHECKING:
    from shequ.accounts.models import User
    from shequ.rules import Policy

UNKNOWN_PARENT = "上级单位“{name}”既不在本表中，也不在您的管理范围内"
EXISTS = "“{parent}”下已有“{name}”"
BAD_TYPE_UNDER = "“{parent}”（{parent_type}）下不能设立{child_type}"
NEEDS_PARENT = "必须填写上级单位（您只能在“{scope}”范围内新增单位）"
FACT_COLUMNS = {"households": "户数", "population": "常住人口", "urban_population": "城镇常住人口"}


def units_validate(
    content: bytes, filename: str, scope: Unit, actor: User, *, policy: Policy
) -> tuple[list[dict[str, Any]], list[RowError], dict[str, Any]]:
    """`policy` governs `scope` today (the caller resolves it: org sits below policy). With it
    a blank fact its quota rule reads is an error, not a 0 that would silently compute a
    quota of nothing."""
    frame = read_sheet(content, filename)
    clean, sheet_errors = validate_units(frame, policy)
    # A parent may be an existing unit in the importer's scope, not only a row of this sheet:
    # resolve parents here instead of trusting the sheet layer's "not in this sheet".
    unknown_parent_prefix = SHEET_UNKNOWN_PARENT.split("「")[0]
    errors = [
        RowError(row=e.row, column=e.column, message=e.message)
        for e in sheet_errors if not e.message.startswith(unknown_parent_prefix)
    ]
    bad_rows = {e.row for e in errors}
    if 1 in bad_rows:  # a header is missing: no row can be read
        return [], errors, {}
    records = [r for r in clean.to_dicts() if r["_row"] not in bad_rows]
    existing = {u.name: u for u in Unit.objects.filter(path__startswith=scope.path)}
    types_in_sheet = {r["unit"]: r["unit_type"] for r in records}
    rows: list[dict[str, Any]] = []
    for r in records:
        row_no = int(r["_row"])
        parent_name = r.get("parent") or ""
        if not parent_name:
            errors.append(RowError(row_no, "上级单位", NEEDS_PARENT.format(scope=scope.name)))
            continue
        if parent_name in types_in_sheet:
            parent_type = types_in_sheet[parent_name]
        elif parent_name in existing:
            parent_type = existing[parent_name].unit_type
            if Unit.objects.filter(parent=existing[parent_name], name=r["unit"]).exists():
                errors.append(RowError(row_no, "单位名称", EXISTS.format(parent=parent_name, name=r["unit"])))
                continue
        else:
            errors.append(RowError(row_no, "上级单位", UNKNOWN_PARENT.format(name=parent_name)))
            continue
        if r["unit_type"] not in ALLOWED_CHILDREN.get(parent_type, set()):
            errors.append(RowError(row_no, "单位类型", BAD_TYPE_UNDER.format(parent=parent_name, parent_type=parent_type, child_type=r["unit_type"])))
            continue
        row = {
            "name": r["unit"], "parent": parent_name, "unit_type": r["unit_type"],
            "unit_class": r.get("unit_class") or "", "households": int(r.get("households") or 0),
            "population": int(r.get("population") or 0), "urban_population": int(r.get("urban_population") or 0),
            "since": r["since"].isoformat() if r.get("since") else None,
            "_row": row_no,
        }
        # What the tables would refuse at commit (lengths, ranges, unit_fact_urban_within_population).
        db_errors = field_errors(Unit, {"name": row["name"]}, row=row_no, columns={"name": "单位名称"}) + field_errors(
            UnitFact, {k: row[k] for k in FACT_COLUMNS}, row=row_no, columns=FACT_COLUMNS)
        if row["urban_population"] > row["population"]:
            db_errors.append(RowError(row_no, "城镇常住人口", URBAN_OVER_POPULATION.format(
                urban=row["urban_population"], population=row["population"])))
        if db_errors:
            errors += db_errors
            continue
        rows.append(row)
    return rows, errors, {"rows": len(records)}


def units_commit(rows: list[dict[str, Any]], scope: Unit, actor: User) -> dict[str, Any]:
    # Names key the new units; parents not in the sheet are existing units in scope.
    new_names = {r["name"] for r in rows}
    existing = {
        u.name: u for u in Unit.objects.filter(path__startswith=scope.path, name__in={r["parent"] for r in rows} - new_names)
    }
    created = units_load(
        units=[
            KeyedUnit(key=r["name"], parent_key=r["parent"], name=r["name"], unit_type=r["unit_type"],
                      unit_class=r["unit_class"], households=r["households"], population=r["population"],
                      urban_population=r["urban_population"],
                      since=date.fromisoformat(r["since"]) if r.get("since") else None)
            for r in rows
        ],
        existing=existing, since=timezone.localdate(), actor=actor,
    )
    return {"created": len(created)}
