"""Audit action names are one enumeration with a Chinese label each, and the audit page
reads in Chinese, filters, exports what it shows and stays inside the viewer's subtree."""

from __future__ import annotations

import ast
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import python_calamine
from django.db import transaction
from django.utils import timezone

from shequ.common import audit_actions
from shequ.common.audit import audit_bulk, audit_record
from shequ.common.audit_actions import AuditAction, UnknownAuditAction
from shequ.common.models import AuditEntry
from shequ.workers.services import worker_exit, worker_update

pytestmark = pytest.mark.django_db

SHEQU = Path(__file__).resolve().parents[2] / "shequ"
MAPPINGS = {name for name in dir(audit_actions) if name.endswith("_ACTIONS")}


def _call_sites() -> list[tuple[str, int, ast.expr]]:
    sites = []
    for path in SHEQU.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in {"audit_record", "audit_bulk"}:
                for kw in node.keywords:
                    if kw.arg == "action":
                        sites.append((str(path.relative_to(SHEQU)), node.lineno, kw.value))
    return sites


def _is_member(expr: ast.expr) -> bool:
    if isinstance(expr, ast.IfExp):
        return _is_member(expr.body) and _is_member(expr.orelse)
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "AuditAction":
        return expr.attr in AuditAction.__members__
    # A lookup in one of audit_actions' tables, whose values are members (checked below).
    return isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name) and expr.value.id in MAPPINGS


def test_every_call_site_names_its_action_by_a_member_of_the_enumeration():
    sites = _call_sites()
    assert len(sites) > 60  # the walk found the services, not an empty tree
    bad = [f"{file}:{line}: {ast.unparse(expr)}" for file, line, expr in sites if not _is_member(expr)]
    assert bad == []


def test_every_lookup_table_maps_to_members_and_covers_the_kinds_it_is_used_for():
    from shequ.growth.training.models import PlacementKind
    from shequ.web.imports import IMPORT_KINDS

    for name in MAPPINGS:
        assert all(isinstance(v, AuditAction) for v in getattr(audit_actions, name).values()), name
    assert set(audit_actions.PLACEMENT_ACTIONS) == set(PlacementKind.values)
    assert {spec.kind for spec in IMPORT_KINDS.values()} | {"assessment"} <= set(audit_actions.IMPORT_ACTIONS)


def test_every_member_has_a_chinese_label_and_keeps_the_name_stored_before():
    for member in AuditAction:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(member.label)), member
    # Rows written before the enumeration keep their values: these are today's strings.
    assert AuditAction("training.session_create") is AuditAction.TRAINING_SESSION_CREATE
    assert AuditAction("recruit.plan.create") is AuditAction.RECRUIT_PLAN_CREATE


def test_audit_record_refuses_a_name_that_is_not_a_member(world):
    n = AuditEntry.objects.count()
    with pytest.raises(UnknownAuditAction) as err, transaction.atomic():
        audit_record(actor=world.street_a_hr, action="worker.teleport", target=world.worker_a1,  # type: ignore[arg-type]
                     unit=world.community_a1)
    assert str(err.value) == audit_actions.UNKNOWN_ACTION.format(action="worker.teleport")
    with pytest.raises(UnknownAuditAction), transaction.atomic():
        audit_bulk(actor=world.street_a_hr, action="worker.teleport", target_type="workers.worker", rows=[])  # type: ignore[arg-type]
    assert AuditEntry.objects.count() == n


def test_the_audit_page_shows_action_labels_and_field_names_not_codes(world, client_for):
    worker_update(worker=world.worker_a1, changes={"education": "硕士研究生"}, effective=date(2026, 3, 1),
                  actor=world.street_a_hr, cause="学历提升")
    page = client_for(world.street_a_hr).get("/audit/").content.decode()
    table = page.split('id="audit"')[1].split("</table>")[0]
    assert AuditAction.WORKER_EDIT.label in table
    assert "worker.edit" not in table
    assert "学历：本科" in table and "学历：硕士研究生" in table
    assert "education" not in table


def test_the_audit_page_shows_choice_values_by_their_labels(world, client_for):
    worker_exit(worker=world.worker_a1, on=date(2026, 6, 30), reason="辞职", actor=world.street_a_hr)
    table = client_for(world.street_a_hr).get("/audit/").content.decode().split('id="audit"')[1]
    assert AuditAction.WORKER_EXIT.label in table
    assert "状态：在职" in table and "状态：已离职" in table
    assert "=active" not in table and "：active" not in table


def _edit(world: Any, actor: Any, education: str) -> None:
    worker_update(worker=world.worker_a1, changes={"education": education}, effective=date(2026, 3, 1),
                  actor=actor, cause="更正")


def test_the_audit_page_filters_by_action_user_and_date_range(world, client_for):
    _edit(world, world.street_a_hr, "硕士研究生")
    _edit(world, world.city_admin, "博士研究生")
    worker_exit(worker=world.worker_a1, on=date(2026, 6, 30), reason="辞职", actor=world.street_a_hr)
    old = AuditEntry.objects.filter(action=AuditAction.WORKER_EXIT).get()
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    client = client_for(world.city_admin)

    def rows(query: str) -> list[str]:
        table = client.get(f"/audit/?{query}").content.decode().split("<tbody>")[1].split("</tbody>")[0]
        return [r for r in table.split("<tr>")[1:] if "暂无记录" not in r]

    edits = rows("action=worker.edit")
    assert len(edits) == 2 and all(AuditAction.WORKER_EDIT.label in r for r in edits)
    mine = rows(f"action=worker.edit&actor={world.city_admin.pk}")
    assert len(mine) == 1 and "博士研究生" in mine[0]
    today = timezone.localdate()
    recent = rows(f"since={today - timedelta(days=7)}&until={today}")
    assert not any(AuditAction.WORKER_EXIT.label in r for r in recent)
    older = rows(f"until={today - timedelta(days=30)}")
    assert len(older) == 1 and AuditAction.WORKER_EXIT.label in older[0]


def test_a_bad_filter_is_answered_in_chinese_naming_the_field(world, client_for):
    from shequ.common import views

    client = client_for(world.street_a_hr)
    r = client.get("/audit/?since=2026-13-01")
    assert r.status_code == 400
    assert views.AUDIT_BAD_DATE.format(field="起始日期", value="2026-13-01") in r.content.decode()
    r = client.get("/audit/?action=worker.teleport")
    assert r.status_code == 400 and views.AUDIT_BAD_ACTION.format(value="worker.teleport") in r.content.decode()


def _sheet(content: bytes) -> list[list[Any]]:
    return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_the_excel_export_holds_what_is_filtered_with_labels(world, client_for):
    _edit(world, world.street_a_hr, "硕士研究生")
    worker_exit(worker=world.worker_a1, on=date(2026, 6, 30), reason="辞职", actor=world.street_a_hr)
    r = client_for(world.street_a_hr).get("/audit/export.xlsx?action=worker.edit")
    assert r.status_code == 200
    rows = _sheet(r.content)
    header = rows.index(["时间", "操作人", "操作", "对象", "单位", "摘要", "变更前", "变更后"])
    data = rows[header + 1:]
    assert [row[2] for row in data] == [AuditAction.WORKER_EDIT.label]
    assert data[0][6] == "学历：本科" and data[0][7] == "学历：硕士研究生"


def test_a_street_hr_of_another_street_sees_no_row_on_the_page_or_in_the_export(world, client_for):
    _edit(world, world.street_a_hr, "硕士研究生")
    assert AuditEntry.objects.filter(action=AuditAction.WORKER_EDIT).count() == 1
    client = client_for(world.street_b_hr)
    page = client.get("/audit/?action=worker.edit").content.decode()
    assert "刘少萌" not in page and "暂无记录" in page
    rows = _sheet(client.get("/audit/export.xlsx?action=worker.edit").content)
    assert not any("刘少萌" in str(cell) for row in rows for cell in row)
    # and the same export for street A's own HR has the row
    rows = _sheet(client_for(world.street_a_hr).get("/audit/export.xlsx?action=worker.edit").content)
    assert any("刘少萌" in str(cell) for row in rows for cell in row)


def test_the_call_site_check_refuses_a_plain_string_and_an_unknown_member():
    for source in ['"worker.edit"', 'f"worker.{kind}"', "AuditAction.WORKER_TELEPORT", "OTHER_TABLE[kind]"]:
        assert not _is_member(ast.parse(source, mode="eval").body), source
    assert _is_member(ast.parse("AuditAction.WORKER_EDIT", mode="eval").body)


def test_an_id_number_in_an_audit_row_is_masked_on_the_page_and_in_the_export(world, client_for):
    from shequ.common.pii import mask_id
    from shequ.workers.services import WorkerData, worker_create
    from tests.factories import id_number

    number = id_number(date(1998, 4, 4))
    worker_create(data=WorkerData(name="新人", id_number=number, unit=world.community_a1, category="专职社区工作者",
                                  post="助理", education="本科", community_work_start=date(2026, 1, 1)),
                  effective=date(2026, 1, 1), actor=world.street_a_hr)
    client = client_for(world.street_a_hr)
    page = client.get("/audit/?action=worker.create").content.decode()
    assert f"身份证号：{mask_id(number)}" in page and number not in page
    cells = [str(c) for row in _sheet(client.get("/audit/export.xlsx?action=worker.create").content) for c in row]
    assert any(mask_id(number) in c for c in cells) and not any(number in c for c in cells)


def test_every_field_of_every_model_has_a_chinese_name_on_the_audit_page():
    from django.apps import apps

    from shequ.common.audit_display import field_label

    missing = [
        f"{m._meta.label_lower}.{f.attname}"
        for m in apps.get_models() if m.__module__.startswith("shequ")
        for f in m._meta.concrete_fields if f.attname not in {"id", "path"}
        if not any("\u4e00" <= ch <= "\u9fff" for ch in field_label(m._meta.label_lower, f.attname))
    ]
    assert missing == []
