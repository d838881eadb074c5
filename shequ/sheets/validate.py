"""Validating sheets: headers and aliases, ID numbers, enumerations, dates and numbers.

Every problem becomes a SheetError naming the spreadsheet row (header = row 1) and the
column as the user wrote it. Callers must refuse the whole file when any error is found.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from shequ.errors import Invalid
from shequ.rules import vocab
from shequ.rules.policy import QUOTA_INPUTS, Policy
from shequ.sheets.columns import RESULTS, ROSTER, ROSTER_UPDATE, UNITS, Column
from shequ.sheets.idcard import parse_id_number
from shequ.sheets.io import ROW

MISSING_COLUMN = "缺少必填列「{header}」"
REQUIRED = "不能为空"
NOT_IN = "「{value}」不是有效的{what}，可选：{options}"
BAD_DATE = "「{value}」不是有效日期（例：2018-03-01）"
BAD_INT = "「{value}」不是非负整数"
BAD_NUMBER = "「{value}」不是数字"
BAD_YEAR = "「{value}」不是有效年度（例：2025）"
SEX_MISMATCH = "性别「{value}」与身份证号不符（应为{want}）"
BIRTH_MISMATCH = "出生日期 {value} 与身份证号不符（应为 {want}）"
DUPLICATE_ID = "身份证号与第 {other} 行重复"
DUPLICATE_RESULT = "同一人同一年度的考核结果与第 {other} 行重复"
GRADE_RANGE = "等级 {value} 不在岗位「{post}」的等级范围 {lo}–{hi} 内"
UNKNOWN_PARENT = "上级单位「{value}」不在单位表中"
DUPLICATE_UNIT = "单位「{value}」在同一上级单位下重复（第 {other} 行）"
TIER_OR_SCORE = "考核等次和得分至少填一项"
NEEDED_BY_POLICY = "政策「{policy}」的员额规则需要此项"
LEFT_STATUSES = ("离职", "已离职")  # 状态 that makes an update row an exit ("已离职" as exported)
STATUSES = ("在职", "试用期", *LEFT_STATUSES)
EXIT_NEEDS = "状态为“离职”时须填写{what}"
EXIT_FIELDS_WITHOUT_STATUS = "填写了离职日期或离职原因时，状态须为“离职”"


@dataclass(frozen=True)
class SheetError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」：{self.message}"


class SheetInvalid(Invalid):
    """Raised by callers that want an exception; carries every error."""

    def __init__(self, errors: list[SheetError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def map_headers(df: pl.DataFrame, spec: Iterable[Column]) -> tuple[dict[str, str], list[SheetError]]:
    """Header in the file → internal key, by Chinese header or English alias."""
    spec = list(spec)
    by_name = {c.header: c.key for c in spec} | {c.key.lower(): c.key for c in spec}
    found: dict[str, str] = {}
    for h in df.columns:
        if h == ROW:
            continue
        key = by_name.get(h.strip()) or by_name.get(h.strip().lower())
        if key and key not in found.values():
            found[h] = key
    errors = [SheetError(1, c.header, MISSING_COLUMN.format(header=c.header))
              for c in spec if c.required and c.key not in found.values()]
    return found, errors


def parse_date(s: str) -> dt.date:
    s = s.strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", s)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})月?", s)
    if m:
        return dt.date(int(m[1]), int(m[2]), 1)
    raise ValueError(s)


class _Checker:
    def __init__(self, df: pl.DataFrame, headers: dict[str, str]):
        self.df = df
        self.header_of = {v: k for k, v in headers.items()}
        self.rows = df.get_column(ROW).to_list() if ROW in df.columns else list(range(2, df.height + 2))
        self.errors: list[SheetError] = []

    def values(self, key: str) -> list[str | None]:
        h = self.header_of.get(key)
        return self.df.get_column(h).to_list() if h else [None] * self.df.height

    def has(self, key: str) -> bool:
        return key in self.header_of

    def err(self, i: int, key: str, message: str) -> None:
        self.errors.append(SheetError(self.rows[i], self.header_of.get(key, key), message))

    def column(self, key: str, parse: Callable[[str], Any], message: str, *, required: bool = False) -> list[Any]:
        out: list[Any] = []
        for i, v in enumerate(self.values(key)):
            if v is None or v == "":
                if required:
                    self.err(i, key, REQUIRED)
                out.append(None)
                continue
            try:
                out.append(parse(v))
            except (ValueError, TypeError):
                self.err(i, key, message.format(value=v))
                out.append(None)
        return out

    def choice(self, key: str, options: Iterable[str], what: str, *, required: bool = False,
               aliases: dict[str, str] | None = None) -> list[str | None]:
        options = list(options)
        aliases = aliases or {}

        def parse(v: str) -> str:
            v = aliases.get(v.strip(), v.strip())
            if v not in options:
                raise ValueError(v)
            return v

        return self.column(key, parse, NOT_IN.replace("{options}", "、".join(options)).replace("{what}", what), required=required)


def _int(v: str) -> int:
    f = float(v)
    if not f.is_integer() or f < 0:
        raise ValueError(v)
    return int(f)


def _passthrough(df: pl.DataFrame, headers: dict[str, str]) -> dict[str, pl.Series]:
    return {h: df.get_column(h) for h in df.columns if h not in headers and h != ROW}


def validate_roster(df: pl.DataFrame, policy: Policy) -> tuple[pl.DataFrame, list[SheetError]]:
    """花名册 → typed frame ready for place/pay (worker_id = 身份证号), and every error."""
    headers, errors = map_headers(df, ROSTER)
    if errors:
        return df, errors
    c = _Checker(df, headers)
    names = c.column("name", str, "{value}", required=True)
    ids_raw = c.values("id_number")
    ids: list[str | None] = []
    births: list[dt.date | None] = []
    sexes: list[str | None] = []
    seen: dict[str, int] = {}
    for i, v in enumerate(ids_raw):
        if not v:
            c.err(i, "id_number", REQUIRED)
            ids.append(None)
            births.append(None)
            sexes.append(None)
            continue
        v = v.strip().upper()
        try:
            b, s = parse_id_number(v)
        except ValueError as exc:
            c.err(i, "id_number", str(exc))
            ids.append(None)
            births.append(None)
            sexes.append(None)
            continue
        if v in seen:
            c.err(i, "id_number", DUPLICATE_ID.format(other=seen[v]))
        seen.setdefault(v, c.rows[i])
        ids.append(v)
        births.append(b)
        sexes.append(s)
    given_sex = c.choice("sex", vocab.SEXES, "性别")
    given_birth = c.column("birth_date", parse_date, BAD_DATE)
    for i in range(df.height):
        if given_sex[i] and sexes[i] and given_sex[i] != sexes[i]:
            c.err(i, "sex", SEX_MISMATCH.format(value=given_sex[i], want=sexes[i]))
        if given_birth[i] and births[i] and given_birth[i] != births[i]:
            c.err(i, "birth_date", BIRTH_MISMATCH.format(value=str(given_birth[i]), want=str(births[i])))
    units = c.column("unit", str, "{value}", required=True)
    category = c.choice("category", vocab.CATEGORIES, "人员类别", required=True)
    post = c.choice("post", policy.post_names(), "岗位", required=True)
    education = c.choice("education", vocab.EDUCATION, "学历", required=True)
    start = c.column("community_work_start", parse_date, BAD_DATE, required=True)
    certificate = [v or "无" for v in c.choice("certificate", vocab.CERTIFICATES, "职业资格")]
    grade = c.column("grade", _int, BAD_INT)
    for i, g in enumerate(grade):
        name = post[i]
        if g is not None and name is not None:
            p = policy.post(name)
            if not p.grade_min <= g <= p.grade_max:
                c.err(i, "grade", GRADE_RANGE.format(value=g, post=p.name, lo=p.grade_min, hi=p.grade_max))
    out = pl.DataFrame({
        "worker_id": pl.Series(ids, dtype=pl.Utf8),
        "name": pl.Series(names, dtype=pl.Utf8),
        "id_number": pl.Series(ids, dtype=pl.Utf8),
        "sex": pl.Series(sexes, dtype=pl.Utf8),
        "birth_date": pl.Series(births, dtype=pl.Date),
        "unit": pl.Series(units, dtype=pl.Utf8),
        "category": pl.Series(category, dtype=pl.Utf8),
        "post": pl.Series(post, dtype=pl.Utf8),
        "education": pl.Series(education, dtype=pl.Utf8),
        "community_work_start": pl.Series(start, dtype=pl.Date),
        "certificate": pl.Series(certificate, dtype=pl.Utf8),
        "grade": pl.Series(grade, dtype=pl.Int64),
        **_passthrough(df, headers),
        ROW: pl.Series(c.rows, dtype=pl.Int64),
    })
    return out, sorted(c.errors, key=lambda e: e.row)


def validate_units(df: pl.DataFrame, policy: Policy | None = None) -> tuple[pl.DataFrame, list[SheetError]]:
    """单位表 → typed frame for quota(); with a policy, the facts its quota rule reads are
    required for the unit types it applies to."""
    headers, errors = map_headers(df, UNITS)
    needed: set[str] = set()
    applies: list[str] = []
    if policy is not None and policy.quota_section is not None:
        for f in policy.formulas["quota"].values():
            needed |= f.names & (QUOTA_INPUTS - {"unit_type", "unit_class"})
        applies = policy.quota_section.applies_to
        col_by_key = {c.key: c for c in UNITS}
        errors += [SheetError(1, col_by_key[k].header, MISSING_COLUMN.format(header=col_by_key[k].header))
                   for k in sorted(needed) if k not in headers.values()]
    if errors:
        return df, errors
    c = _Checker(df, headers)
    unit = c.column("unit", str, "{value}", required=True)
    parent = c.column("parent", str, "{value}")
    utype = c.choice("unit_type", vocab.UNIT_TYPES, "单位类型", required=True)
    uclass = c.choice("unit_class", vocab.UNIT_CLASSES, "单位类别")
    facts = {k: c.column(k, _int, BAD_INT) for k in ("households", "population", "urban_population")}
    since = c.column("since", parse_date, BAD_DATE)
    names = set(unit)
    seen: dict[tuple[str | None, str], int] = {}
    for i in range(df.height):
        if parent[i] and parent[i] not in names:
            c.err(i, "parent", UNKNOWN_PARENT.format(value=parent[i]))
        if unit[i]:
            key = (parent[i], unit[i])
            if key in seen:
                c.err(i, "unit", DUPLICATE_UNIT.format(value=unit[i], other=seen[key]))
            seen.setdefault(key, c.rows[i])
        if utype[i] in applies:
            for k in sorted(needed):
                if facts[k][i] is None and not any(e.row == c.rows[i] and e.column == c.header_of.get(k) for e in c.errors):
                    c.err(i, k, NEEDED_BY_POLICY.format(policy=policy.id if policy else ""))
    out = pl.DataFrame({
        "unit_id": pl.Series(unit, dtype=pl.Utf8),
        "unit": pl.Series(unit, dtype=pl.Utf8),
        "parent": pl.Series(parent, dtype=pl.Utf8),
        "unit_type": pl.Series(utype, dtype=pl.Utf8),
        "unit_class": pl.Series(uclass, dtype=pl.Utf8),
        **{k: pl.Series(v, dtype=pl.Int64) for k, v in facts.items()},
        "since": pl.Series(since, dtype=pl.Date),
        **_passthrough(df, headers),
        ROW: pl.Series(c.rows, dtype=pl.Int64),
    })
    return out, sorted(c.errors, key=lambda e: e.row)


def validate_results(df: pl.DataFrame, policy: Policy | None = None) -> tuple[pl.DataFrame, list[SheetError]]:
    """考核结果 → frame for assess(): worker_id = 身份证号, tier read through the aliases."""
    headers, errors = map_headers(df, RESULTS)
    if errors:
        return df, errors
    c = _Checker(df, headers)
    ids: list[str | None] = []
    for i, v in enumerate(c.values("id_number")):
        if not v:
            c.err(i, "id_number", REQUIRED)
            ids.append(None)
            continue
        try:
            parse_id_number(v)
            ids.append(v.strip().upper())
        except ValueError as exc:
            c.err(i, "id_number", str(exc))
            ids.append(None)
    year = c.column("year", lambda v: int(_int(v)) if 1949 < _int(v) < 2200 else int("x"), BAD_YEAR, required=True)
    tier = c.choice("tier", vocab.TIERS, "考核等次", aliases=dict(vocab.TIER_ALIASES))
    score = c.column("score", float, BAD_NUMBER)
    seen: dict[tuple[str | None, Any], int] = {}
    for i in range(df.height):
        if tier[i] is None and score[i] is None and not any(e.row == c.rows[i] for e in c.errors):
            c.err(i, "tier", TIER_OR_SCORE)
        if ids[i] and year[i]:
            k = (ids[i], year[i])
            if k in seen:
                c.err(i, "year", DUPLICATE_RESULT.format(other=seen[k]))
            seen.setdefault(k, c.rows[i])
    out = pl.DataFrame({
        "worker_id": pl.Series(ids, dtype=pl.Utf8),
        "year": pl.Series(year, dtype=pl.Int64),
        "tier": pl.Series(tier, dtype=pl.Utf8),
        "score": pl.Series(score, dtype=pl.Float64),
        **_passthrough(df, headers),
        ROW: pl.Series(c.rows, dtype=pl.Int64),
    })
    return out, sorted(c.errors, key=lambda e: e.row)


def validate_roster_update(df: pl.DataFrame, policy: Policy) -> tuple[pl.DataFrame, list[SheetError]]:
    """Roster update sheet → typed frame with the columns the file has (keys of
    ROSTER_UPDATE), every error named by row and column. A blank cell means "no change"."""
    headers, errors = map_headers(df, ROSTER_UPDATE)
    if errors:
        return df, errors
    c = _Checker(df, headers)
    ids: list[str | None] = []
    seen: dict[str, int] = {}
    for i, v in enumerate(c.values("id_number")):
        if not v:
            c.err(i, "id_number", REQUIRED)
            ids.append(None)
            continue
        v = v.strip().upper()
        try:
            parse_id_number(v)
        except ValueError as exc:
            c.err(i, "id_number", str(exc))
            ids.append(None)
            continue
        if v in seen:
            c.err(i, "id_number", DUPLICATE_ID.format(other=seen[v]))
        seen.setdefault(v, c.rows[i])
        ids.append(v)
    parsed: dict[str, pl.Series] = {"id_number": pl.Series(ids, dtype=pl.Utf8)}
    if c.has("name"):
        parsed["name"] = pl.Series(c.column("name", str, "{value}"), dtype=pl.Utf8)
    if c.has("sex"):
        parsed["sex"] = pl.Series(c.choice("sex", vocab.SEXES, "性别"), dtype=pl.Utf8)
    for key in ("birth_date", "community_work_start", "effective", "left_on"):
        if c.has(key):
            parsed[key] = pl.Series(c.column(key, parse_date, BAD_DATE), dtype=pl.Date)
    for key in ("unit", "cause", "exit_reason"):
        if c.has(key):
            parsed[key] = pl.Series(c.column(key, str, "{value}"), dtype=pl.Utf8)
    choices = {"category": (vocab.CATEGORIES, "人员类别"), "post": (policy.post_names(), "岗位"),
               "education": (vocab.EDUCATION, "学历"), "certificate": (vocab.CERTIFICATES, "职业资格"),
               "status": (STATUSES, "状态")}
    for key, (options, what) in choices.items():
        if c.has(key):
            parsed[key] = pl.Series(c.choice(key, options, what), dtype=pl.Utf8)
    if c.has("grade"):
        parsed["grade"] = pl.Series(c.column("grade", _int, BAD_INT), dtype=pl.Int64)
    status = parsed.get("status", pl.Series([None] * df.height)).to_list()
    left_on = parsed.get("left_on", pl.Series([None] * df.height)).to_list()
    reason = parsed.get("exit_reason", pl.Series([None] * df.height)).to_list()
    for i in range(df.height):
        if status[i] in LEFT_STATUSES and (left_on[i] is not None or reason[i]):
            if left_on[i] is None and not any(e.row == c.rows[i] and e.column == c.header_of.get("left_on") for e in c.errors):
                c.err(i, "left_on" if c.has("left_on") else "status", EXIT_NEEDS.format(what="离职日期"))
            if not reason[i]:
                c.err(i, "exit_reason" if c.has("exit_reason") else "status", EXIT_NEEDS.format(what="离职原因"))
        elif status[i] in LEFT_STATUSES and not c.has("left_on"):
            c.err(i, "status", EXIT_NEEDS.format(what="离职日期"))
        elif status[i] not in LEFT_STATUSES and (left_on[i] is not None or reason[i]):
            c.err(i, "status", EXIT_FIELDS_WITHOUT_STATUS)
    out = pl.DataFrame({**parsed, ROW: pl.Series(c.rows, dtype=pl.Int64)})
    return out, sorted(c.errors, key=lambda e: e.row)
