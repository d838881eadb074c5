"""The imports the foundation offers; other areas add theirs to IMPORT_KINDS."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from shequ.common.views import ImportKind
from shequ.growth.training.imports import attendance_commit, attendance_validate
from shequ.org.imports import units_commit, units_validate
from shequ.policy.selectors import policy_for
from shequ.recruitment.imports import applications_commit, applications_validate
from shequ.workers.imports import (
    roster_commit,
    roster_update_commit,
    roster_update_validate,
    roster_validate,
)

if TYPE_CHECKING:
    from shequ.accounts.models import User
    from shequ.org.models import Unit


def governed_units_validate(content: bytes, filename: str, scope: Unit, actor: User) -> Any:
    """The units sheet checked against the policy governing the importer's unit today."""
    policy, _label = policy_for(unit=scope, on=timezone.localdate())
    return units_validate(content, filename, scope, actor, policy=policy)

IMPORT_KINDS: dict[str, ImportKind] = {
    "roster": ImportKind(
        kind="roster", title="导入花名册", capability="roster.change",
        validate=roster_validate, commit=roster_commit,
        template_url="/templates/roster.xlsx", done_url="/workers/",
        preview_columns=[("name", "姓名"), ("id_number", "身份证号"), ("unit", "所属单位"), ("category", "人员类别"),
                         ("post", "岗位"), ("education", "学历"), ("community_work_start", "参加社区工作时间"),
                         ("certificate", "职业资格"), ("grade", "等级")],
    ),
    "roster_update": ImportKind(
        kind="roster_update", title="按表更新花名册", capability="roster.change",
        validate=roster_update_validate, commit=roster_update_commit,
        template_url="/workers/export.xlsx?full_ids=1", done_url="/workers/",
        preview_columns=[("name", "姓名"), ("id_number", "身份证号"), ("effective", "变动日期"),
                         ("cause", "变动原因"), ("changes_text", "变动内容（原 → 新）")],
    ),
    "units": ImportKind(
        kind="units", title="导入单位表", capability="org.change",
        validate=governed_units_validate, commit=units_commit,
        template_url="/templates/units.xlsx", done_url="/org/",
        preview_columns=[("name", "单位名称"), ("parent", "上级单位"), ("unit_type", "单位类型"), ("unit_class", "单位类别"),
                         ("households", "户数"), ("population", "常住人口"), ("urban_population", "城镇常住人口")],
    ),
    "applications": ImportKind(
        kind="applications", title="导入报名表", capability="recruit.change",
        validate=applications_validate, commit=applications_commit,
        template_url="/recruitment/", done_url="/recruitment/",
        preview_columns=[("name", "姓名"), ("id_number", "身份证号"), ("unit", "报考单位"), ("post", "报考岗位"),
                         ("education", "学历"), ("certificate", "职业资格"), ("residence_local", "本地户籍或居住"),
                         ("veteran", "退役军人"), ("check", "资格审查")],
    ),
    "training_attendance": ImportKind(
        kind="training_attendance", title="导入培训签到表", capability="growth.change",
        validate=attendance_validate, commit=attendance_commit,
        template_url="/templates/training_attendance.xlsx", done_url="/growth/training/",
        preview_columns=[("session", "培训班次"), ("name", "姓名"), ("id_number", "身份证号"), ("unit", "所属单位"),
                         ("hours", "学时")],
    ),
}
