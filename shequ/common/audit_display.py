"""How an audit row reads to a clerk: the action's label, field names in Chinese, choice
values by their labels, ID numbers as the viewer may see them."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from shequ.common.audit_actions import action_label
from shequ.common.models import AuditEntry
from shequ.common.pii import shown_id

# Keys of before/after that are not model fields (written by services as plain dicts),
# and model fields whose verbose_name is missing or reads worse than this.
FIELD_LABELS: dict[str, str] = {
    "filename": "文件名",
    "kind": "类型",
    "status": "状态",
    "row_count": "行数",
    "created": "新建条数",
    "updated": "更新条数",
    "scores": "评分条数",
    "history": "往年结果条数",
    "address": "登录地址",
    "username": "登录名",
    "locked": "已锁定",
    "path": "页面",
    "count": "完整身份证号个数",
    "name": "名称",
    "prefix": "令牌前缀",
    "indicators": "指标得分",
    "score": "得分",
    "tier": "考核等次",
    "tier_given": "评定等次",
    "id_number": "身份证号",
    "unit_id": "单位",
    "worker_id": "人员",
    "workers": "人数",
    "units": "单位数",
    "lines": "明细条数",
    "month": "月份",
    "reason": "原因",
    "note": "备注",
    "cause": "原因",
    "action": "处理",
    "grade_before": "原等级",
    "grade_after": "新等级",
    "from_unit_id": "原单位",
    "to_unit_id": "新单位",
    "effective": "生效日期",
    # Model fields without a Chinese verbose_name that snapshot() writes.
    "unit_path": "单位路径",
    "committed_at": "导入时间",
    "key_hash": "令牌摘要",
    "last_used_at": "最近使用时间",
    "revoked": "已吊销",
    "parent_id": "上级单位",
    "depth": "层级",
    "updated_at": "更新时间",
    "plan_id": "招聘计划",
    "batch_id": "套改批次",
    "run_id": "薪酬批次",
    "campaign_id": "考核",
    "published_by_id": "公布人",
    "confirmed_by_id": "确认人",
    "recorded_by_id": "登记人",
    "second_by_id": "二次确认人",
}

_CJK = re.compile(r"[\u4e00-\u9fff]")


@cache
def _model_fields(target_type: str) -> dict[str, models.Field[Any, Any]]:
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return {}
    out: dict[str, models.Field[Any, Any]] = {}
    for f in model._meta.concrete_fields:
        out[f.name] = f
        out[f.attname] = f
    return out


@cache
def _all_labels() -> dict[str, str]:
    """Every model field's Chinese verbose_name by field name, for keys of bulk rows whose
    target type is another model than the one the values came from (scores on a worker)."""
    out: dict[str, str] = {}
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            label = str(f.verbose_name)
            if _CJK.search(label):
                out.setdefault(f.name, label)
                out.setdefault(f.attname, label)
    return out


def field_label(target_type: str, key: str) -> str:
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    field = _model_fields(target_type).get(key)
    if field is not None and _CJK.search(str(field.verbose_name)):
        return str(field.verbose_name)
    return _all_labels().get(key, key)


def field_value(target_type: str, key: str, value: Any) -> str:
    if key == "id_number":
        return shown_id(value)
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    field = _model_fields(target_type).get(key)
    if field is not None and field.choices and not isinstance(value, dict | list):
        labels = {str(k): str(v) for k, v in field.flatchoices}
        return labels.get(str(value), str(value))
    if isinstance(value, dict):
        return "；".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def changes(entry: AuditEntry, side: str) -> list[tuple[str, str]]:
    """(label, value) of before or after, in the order written."""
    data = getattr(entry, side)
    if not isinstance(data, dict):
        return []
    return [(field_label(entry.target_type, k), field_value(entry.target_type, k, v)) for k, v in data.items()]


def entry_view(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at,
        "actor": str(entry.actor) if entry.actor_id else "系统",
        "action": action_label(entry.action),
        "target": entry.target_label,
        "unit": entry.unit.name if entry.unit_id and entry.unit else "",
        "summary": entry.summary,
        "before": changes(entry, "before"),
        "after": changes(entry, "after"),
    }


EXPORT_HEADERS = ["时间", "操作人", "操作", "对象", "单位", "摘要", "变更前", "变更后"]


def export_row(entry: AuditEntry) -> list[Any]:
    v = entry_view(entry)
    return [
        timezone.localtime(v["at"]).replace(tzinfo=None), v["actor"], v["action"], v["target"], v["unit"], v["summary"],
        "\n".join(f"{k}：{x}" for k, x in v["before"]), "\n".join(f"{k}：{x}" for k, x in v["after"]),
    ]
