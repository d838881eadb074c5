"""Report sheets (Excel): roster statistics by unit, pay summary, quota ledger. Built from
the same figures dict as the page and the charts, so the numbers cannot disagree."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from shequ.common.excel import scope_line, xlsx_bytes

TOTAL_LABEL = "合计"

STATS_HEADERS_HEAD = ["单位", "在岗人数", "核定员额", "占编人数", "空编", "超编", "未核定单位数", "按政策测算员额",
                      "城镇常住人口", "每万城镇常住人口配比", "平均年龄", "{young}岁以下人数", "{young}岁以下占比(%)"]
STATS_HEADERS_TAIL = ["本科及以上占比(%)", "大专及以上占比(%)", "持证人数", "持证占比(%)", "本年培训人次",
                      "后备人才", "后备人才{reserve}岁以下占比(%)"]


def stats_headers(fig: dict[str, Any]) -> list[str]:
    ages = {"young": fig["young_age"], "reserve": fig["reserve_young_age"]}
    return [*(h.format(**ages) for h in STATS_HEADERS_HEAD), *fig["age_bands"], *fig["educations"],
            *(h.format(**ages) for h in STATS_HEADERS_TAIL)]


def _stats_row(name: str, f: dict[str, Any], fig: dict[str, Any]) -> list[Any]:
    return [
        name, f["headcount"], f["quota"], f["filled"], f["vacant"], f["over"], f["unset"], f["computed_quota"],
        f["urban_population"], f["per_10k"], f["age_mean"],
        f["under35"], f["under35_share"],
        *[f["age_bands"][b] for b in fig["age_bands"]], *[f["education"][e] for e in fig["educations"]],
        f["bachelor_plus_share"], f["college_plus_share"], f["certified"], f["certified_share"], f["trained"],
        f["reserves"], f["reserves_under45_share"],
    ]


def roster_stats_xlsx(fig: dict[str, Any], on: date) -> bytes:
    rows = [_stats_row(c["name"], c, fig) for c in fig["children"]]
    rows.append(_stats_row(TOTAL_LABEL, fig["total"], fig))
    return xlsx_bytes(
        sheet="人员统计", headers=stats_headers(fig), rows=rows,
        title_lines=scope_line(scope_name=fig["scope"]["name"], on=on, what="社区工作者队伍结构统计（按单位）"),
    )


def pay_headers(fig: dict[str, Any]) -> list[str]:
    return ["单位", "人数", "月应发合计(元)", "人均月应发(元)", "单位月成本(含单位五险一金,元)", "年度成本(元)", *fig["components"],
            "已锁定核算人数", "已锁定应发合计(元)", "已锁定人均应发(元)"]


def _pay_row(name: str, f: dict[str, Any], fig: dict[str, Any]) -> list[Any]:
    return [name, f["headcount"], f["pay_total"], f["pay_average"], f["employer_cost"], f["annual_cost"],
            *[f["components"].get(c, 0.0) for c in fig["components"]],
            f["locked_headcount"], f["locked_pay_total"], f["locked_pay_average"]]


def pay_summary_xlsx(fig: dict[str, Any], on: date) -> bytes:
    rows = [_pay_row(c["name"], c, fig) for c in fig["children"]]
    rows.append(_pay_row(TOTAL_LABEL, fig["total"], fig))
    return xlsx_bytes(
        sheet="薪酬汇总", headers=pay_headers(fig), rows=rows,
        title_lines=[*scope_line(scope_name=fig["scope"]["name"], on=on, what="薪酬汇总（按单位）"),
                     f"口径：{fig['basis']}（{'、'.join(fig['policies'])}）；已锁定列为 {fig['locked_month'][:7]} 已锁定工资核算的当月明细"],
    )


QUOTA_HEADERS = ["单位", "单位类型", "单位类别", "所属", "户数", "城镇常住人口", "核定员额", "按政策测算员额", "在岗人数",
                 "占编人数", "空编", "超编", "每万城镇常住人口配比"]
UNSET = "未核定"


def quota_ledger_xlsx(ledger: pl.DataFrame, fig: dict[str, Any], on: date) -> bytes:
    rows = [
        [r["unit"], r["unit_type"], r["unit_class"] or "", r["child_name"], r["households"], r["urban_population"],
         UNSET if r["quota"] is None else r["quota"], r["computed_quota"], r["headcount"], r["filled"], r["vacant"], r["over"],
         r["per_10k"]]
        for r in ledger.iter_rows(named=True)
    ]
    t = fig["total"]
    rows.append([TOTAL_LABEL, "", "", "", None, None, t["quota"], t["computed_quota"], int(ledger["headcount"].sum() or 0),
                 t["filled"], t["vacant"], t["over"], None])
    return xlsx_bytes(
        sheet="员额台账", headers=QUOTA_HEADERS, rows=rows,
        title_lines=[*scope_line(scope_name=fig["scope"]["name"], on=on, what="员额使用台账"),
                     f"核定员额为已批准的员额决定；按政策测算员额依据：{'、'.join(fig['policies'])}"],
    )
