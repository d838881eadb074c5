"""What changed between two policies, in Chinese, for `shequ policy diff` and the web side."""

from __future__ import annotations

from typing import Any

from shequ.rules.policy import Policy
from shequ.rules.schema import Entry

SECTION_LABELS = {
    "units": "单位", "assessment": "考核", "training": "培训", "certification": "持证",
    "reserve": "后备人才", "dispatch": "劳务派遣转岗", "exam": "招聘考试", "probation": "试用期",
    "retirement": "退休", "mobility": "流动", "benefits": "五险一金", "quota_review": "员额调整", "conversion": "转入",
    "careers": "晋升与套转", "grids": "网格", "statistics": "统计口径",
}


def _show(v: Any) -> str:
    if isinstance(v, dict):
        return "{" + "，".join(f"{k}: {_show(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + "，".join(_show(x) for x in v) + "]"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _prov(e: Entry) -> str:
    return f"自 {e.since.isoformat()} 起，" + ("假定值" if e.assumed else f"来源 {e.source}")


def _entries(label: str, a: list[Entry] | None, b: list[Entry] | None) -> list[str]:
    if a == b:
        return []
    if not a:
        assert b
        return [f"新增{label}：{_show(b[-1].value)}（{_prov(b[-1])}）"]
    if not b:
        return [f"删除{label}（原为 {_show(a[-1].value)}）"]
    la, lb = max(a, key=lambda e: e.since), max(b, key=lambda e: e.since)
    if la.value != lb.value:
        return [f"{label}：{_show(la.value)} → {_show(lb.value)}（{_prov(lb)}）"]
    return [f"{label}：取值不变，生效日期或来源有变化（{_prov(la)} → {_prov(lb)}）"]


def diff_policies(a: Policy, b: Policy) -> list[str]:
    """Human-readable changes from policy a to policy b; empty when they are the same."""
    out: list[str] = []
    for attr, label in (("id", "编号"), ("name", "名称"), ("version", "版本"), ("source", "依据文件"), ("extends", "继承")):
        va, vb = getattr(a, attr), getattr(b, attr)
        if va != vb:
            out.append(f"{label}：{va or '无'} → {vb or '无'}")
    for name in a.posts.keys() - b.posts.keys():
        out.append(f"删除岗位「{name}」")
    for name in b.posts:
        if name not in a.posts:
            p = b.posts[name]
            out.append(f"新增岗位「{name}」（{p.grade_min}–{p.grade_max} 级）")
            continue
        pa, pb = a.posts[name], b.posts[name]
        if (pa.grade_min, pa.grade_max) != (pb.grade_min, pb.grade_max):
            out.append(f"岗位「{name}」等级范围：{pa.grade_min}–{pa.grade_max} → {pb.grade_min}–{pb.grade_max}")
        if pa.group != pb.group:
            out.append(f"岗位「{name}」所属类别：{pa.group} → {pb.group}")
    ca = {c.name: c for c in a.components}
    cb = {c.name: c for c in b.components}
    for name in ca.keys() - cb.keys():
        out.append(f"删除薪酬项目「{name}」")
    for name, c in cb.items():
        if name not in ca:
            out.append(f"新增薪酬项目「{name}」：{c.formula}")
        elif str(ca[name].formula) != str(c.formula):
            out.append(f"薪酬项目「{name}」的公式：{ca[name].formula} → {c.formula}")
    fa = a.floor.formula if a.floor else None
    fb = b.floor.formula if b.floor else None
    if fa != fb:
        out.append(f"保底标准：{fa or '无'} → {fb or '无'}")
    qa, qb = a.quota_section, b.quota_section
    if (qa.formula if qa else None) != (qb.formula if qb else None):
        out.append(f"员额公式：{qa.formula if qa else '无'} → {qb.formula if qb else '无'}")
    if qa and qb and qa.applies_to != qb.applies_to:
        out.append(f"员额适用单位类型：{'、'.join(qa.applies_to)} → {'、'.join(qb.applies_to)}")
    pa_, pb_ = a.placement_section, b.placement_section
    if (pa_.formula if pa_ else None) != (pb_.formula if pb_ else None):
        out.append(f"定级公式：{pa_.formula if pa_ else '无'} → {pb_.formula if pb_ else '无'}")
    for name in sorted(a.params_entries.keys() | b.params_entries.keys()):
        out += _entries(f"参数 {name}", a.params_entries.get(name), b.params_entries.get(name))
    for section, label in SECTION_LABELS.items():
        sa, sb = a.sections.get(section, {}), b.sections.get(section, {})
        for key in sorted(sa.keys() | sb.keys()):
            out += _entries(f"{label}.{key}", sa.get(key), sb.get(key))
    return out
