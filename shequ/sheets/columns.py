"""The sheets of FORMATS.md: Chinese headers, English aliases, and what each column holds."""

from __future__ import annotations

from dataclasses import dataclass

from shequ.rules.vocab import CATEGORIES, CERTIFICATES, EDUCATION, SEXES, UNIT_CLASSES, UNIT_TYPES


@dataclass(frozen=True)
class Column:
    key: str  # internal (English alias)
    header: str  # Chinese header
    kind: str  # text | int | date | enum | id
    required: bool = True
    choices: tuple[str, ...] = ()
    note: str = ""


UNITS = (
    Column("unit", "单位名称", "text"),
    Column("parent", "上级单位", "text", required=False),
    Column("unit_type", "单位类型", "enum", choices=UNIT_TYPES),
    Column("unit_class", "单位类别", "enum", required=False, choices=UNIT_CLASSES),
    Column("households", "户数", "int"),
    Column("population", "常住人口", "int"),
    Column("urban_population", "城镇常住人口", "int"),
)

ROSTER = (
    Column("name", "姓名", "text"),
    Column("id_number", "身份证号", "id"),
    Column("sex", "性别", "enum", required=False, choices=SEXES),
    Column("birth_date", "出生日期", "date", required=False),
    Column("unit", "所属单位", "text"),
    Column("category", "人员类别", "enum", choices=CATEGORIES),
    Column("post", "岗位", "post"),
    Column("education", "学历", "enum", choices=EDUCATION),
    Column("community_work_start", "参加社区工作时间", "date"),
    Column("certificate", "职业资格", "enum", required=False, choices=CERTIFICATES),
    Column("grade", "等级", "int", required=False),
)

RESULTS = (
    Column("id_number", "身份证号", "id"),
    Column("year", "年度", "int"),
    Column("tier", "考核等次", "tier"),
    Column("score", "得分", "float", required=False),
)
