"""Headers of the sheets Shequ reads (FORMATS.md): Chinese header, English alias, required."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str      # internal name (the English alias)
    header: str   # Chinese header as users write it
    required: bool = False


UNITS = (
    Column("unit", "单位名称", True),
    Column("parent", "上级单位"),
    Column("unit_type", "单位类型", True),
    Column("unit_class", "单位类别"),
    Column("households", "户数"),
    Column("population", "常住人口"),
    Column("urban_population", "城镇常住人口"),
    Column("since", "生效日期"),  # when the facts apply; empty: the day of import
)
ROSTER = (
    Column("name", "姓名", True),
    Column("id_number", "身份证号", True),
    Column("sex", "性别"),
    Column("birth_date", "出生日期"),
    Column("unit", "所属单位", True),
    Column("category", "人员类别", True),
    Column("post", "岗位", True),
    Column("education", "学历", True),
    Column("community_work_start", "参加社区工作时间", True),
    Column("certificate", "职业资格"),
    Column("grade", "等级"),
)
# The roster update sheet (FORMATS.md "Roster update"): only 身份证号 is required; each
# other roster column present is compared with the roster, and these say when and why.
ROSTER_UPDATE = (
    *(Column(c.key, c.header, c.key == "id_number") for c in ROSTER),
    Column("effective", "变动日期"),
    Column("cause", "变动原因"),
    Column("status", "状态"),
    Column("left_on", "离职日期"),
    Column("exit_reason", "离职原因"),
)
RESULTS = (
    Column("id_number", "身份证号", True),
    Column("year", "年度", True),
    Column("tier", "考核等次"),
    Column("score", "得分"),
)

HEADER_OF = {c.key: c.header for spec in (UNITS, ROSTER_UPDATE, RESULTS) for c in spec}
