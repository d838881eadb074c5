"""Before and after: the same figures on two dates, the differences written the way the
seeds write them ("平均年龄36.8岁，下降了3.7岁", "本科及以上占比提升了10.4个百分点",
"每万城镇常住人口配比由10.1人提升到18.6人")."""

from __future__ import annotations

from typing import Any

from .figures import half_up


def _f1(x: float) -> str:
    return f"{half_up(x, 1):.1f}"


def _money(x: float) -> str:
    return f"{x:,.2f}"


def _points(label: str, a: float, b: float) -> str:
    d = half_up(b - a, 1)
    if d > 0:
        return f"{label}{b:.2f}%，提升了{_f1(d)}个百分点"
    if d < 0:
        return f"{label}{b:.2f}%，下降了{_f1(-d)}个百分点"
    return f"{label}{b:.2f}%，与前持平"


def change_lines(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Seed-style sentences for the change of the scope totals from figures `a` to `b`."""
    ta, tb = a["total"], b["total"]
    lines: list[str] = []
    dn = tb["headcount"] - ta["headcount"]
    verb = f"增加了{dn}人" if dn > 0 else f"减少了{-dn}人" if dn < 0 else "人数持平"
    lines.append(f"在岗人数由{ta['headcount']}人变为{tb['headcount']}人，{verb}")
    if ta["age_mean"] is not None and tb["age_mean"] is not None:
        d = half_up(tb["age_mean"] - ta["age_mean"], 1)
        trend = f"下降了{_f1(-d)}岁" if d < 0 else f"上升了{_f1(d)}岁" if d > 0 else "与前持平"
        lines.append(f"平均年龄{_f1(tb['age_mean'])}岁，{trend}")
    lines.append(_points(f"{b['young_age']}岁以下占比", ta["under35_share"], tb["under35_share"]))
    lines.append(_points("本科及以上占比", ta["bachelor_plus_share"], tb["bachelor_plus_share"]))
    lines.append(_points("大专及以上占比", ta["college_plus_share"], tb["college_plus_share"]))
    if ta["per_10k"] is not None and tb["per_10k"] is not None:
        pa, pb = ta["per_10k"], tb["per_10k"]
        if pa == pb:
            lines.append(f"每万城镇常住人口配比保持{_f1(pb)}人")
        else:
            lines.append(f"每万城镇常住人口配比由{_f1(pa)}人{'提升到' if pb > pa else '下降到'}{_f1(pb)}人")
    lines.append(_points("持证比例", ta["certified_share"], tb["certified_share"]))
    if ta.get("pay_average") and tb.get("pay_average"):
        rise = half_up((tb["pay_average"] - ta["pay_average"]) * 100 / ta["pay_average"], 1)
        trend = f"提高了{_f1(rise)}%" if rise > 0 else f"降低了{_f1(-rise)}%" if rise < 0 else "与前持平"
        lines.append(f"人均月应发{_money(tb['pay_average'])}元，{trend}（{b['basis']}）")
    dc = half_up((tb["annual_cost"] - ta["annual_cost"]) / 10000, 2) if "annual_cost" in ta else 0
    if dc:
        lines.append(f"年度人员成本{'增加' if dc > 0 else '减少'}{abs(dc):,.2f}万元（{b['basis']}）")
    return lines


COMPARED = [
    ("在岗人数", "headcount"), ("核定员额", "quota"), ("按政策测算员额", "computed_quota"), ("占编人数", "filled"),
    ("空编", "vacant"), ("超编", "over"),
    ("每万城镇常住人口配比", "per_10k"), ("平均年龄", "age_mean"), ("{young}岁以下占比(%)", "under35_share"),
    ("本科及以上占比(%)", "bachelor_plus_share"), ("大专及以上占比(%)", "college_plus_share"),
    ("持证占比(%)", "certified_share"), ("本年培训人次", "trained"), ("人均月应发(元)", "pay_average"),
    ("月应发合计(元)", "pay_total"), ("年度成本(元)", "annual_cost"),
]


def compare_rows(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, Any, Any, Any]]:
    out: list[tuple[str, Any, Any, Any]] = []
    for template, key in COMPARED:
        label = template.format(young=b["young_age"])
        if key not in a["total"]:
            continue  # pay, for roles that may not see it
        diff: Any
        va, vb = a["total"][key], b["total"][key]
        if va is None or vb is None:
            diff = None
        elif isinstance(va, int) and isinstance(vb, int):
            diff = vb - va
        else:
            diff = half_up(vb - va, 2)
        out.append((label, va, vb, diff))
    return out
