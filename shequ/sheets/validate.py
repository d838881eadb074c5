"""Check every cell of a sheet against FORMATS.md and the policy; collect every error with
its row and column (in Chinese) instead of stopping at the first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from shequ.rules.vocab import TIER_ALIASES, TIERS
from shequ.sheets.columns import RESULTS, ROSTER, UNITS, Column
from shequ.sheets.idcard import parse_id_number
from shequ.sheets.reader import ROW

REQUIRED = "必填"
NOT_INTEGER = "应为整数（收到“{value}”）"
NEGATIVE = "不能为负数（收到 {value}）"
NOT_NUMBER = "应为数字（收到“{value}”）"
NOT_DATE = "应为日期，如 2021-03-01（收到“{value}”）"
NOT_IN = "“{value}”不是可选值之一：{choices}"
UNKNOWN_POST = "岗位“{value}”不在政策“{policy}”中（可选：{choices}）"
DUPLICATE_ID = "身份证号与第 {first} 行重复"
SEX_MISMATCH = "性别“{given}”与身份证号不符（身份证号为{derived}性）"
BIRTH_MISMATCH = "出生日期 {given} 与身份证号不符（身份证号为 {derived}）"
URBAN_OVER = "城镇常住人口（{urban}）不能大于常住人口（{population}）"
DUPLICATE_UNIT = "单位名称与第 {first} 行重复（同一上级下）"
START_BEFORE_BIRTH = "参加社区工作时间 {start} 早于出生日期 {birth}"
GRADE_RANGE = "等级 {grade} 超出岗位“{post}”的范围 {lo}–{hi}"


@dataclass(frozen=True)
class SheetError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」：{self.message}" if self.column else f"第 {self.row} 行：{self.message}"


def _parse_date(value: str) -> date:
    text = value.strip().replace("/", "-").replace(".", "-")
    if len(text) == 7:  # 2021-03: first of the month
        text += "-01"
    parts = text.split("-")
    if len(parts) != 3:
        raise ValueError
    return date(int(parts[0]), int(parts[1]), int(parts[2][:2]))


def _cell(col: Column, raw: str, policy: Any) -> Any:
    """Typed value of one cell, or ValueError with the reason."""
    if col.kind in {"text"}:
        return raw
    if col.kind == "int":
        try:
            number = int(float(raw)) if raw.replace(".", "", 1).lstrip("-").isdigit() and float(raw).is_integer() else int(raw)
        except ValueError as exc:
            raise ValueError(NOT_INTEGER.format(value=raw)) from exc
        if number < 0:
            raise ValueError(NEGATIVE.format(value=number))
        return number
    if col.kind == "float":
        try:
            return float(raw)
        except ValueError as exc:
            raise ValueError(NOT_NUMBER.format(value=raw)) from exc
    if col.kind == "date":
        try:
            return _parse_date(raw)
        except (ValueError, IndexError) as exc:
            raise ValueError(NOT_DATE.format(value=raw)) from exc
    if col.kind == "enum":
        if raw not in col.choices:
            raise ValueError(NOT_IN.format(value=raw, choices="、".join(col.choices)))
        return raw
    if col.kind == "tier":
        tier = TIER_ALIASES.get(raw, raw)
        if tier not in TIERS:
            raise ValueError(NOT_IN.format(value=raw, choices="、".join((*TIERS, *TIER_ALIASES))))
        return tier
    if col.kind == "post":
        names = policy.post_names() if policy is not None else None
        if names is not None and raw not in names:
            raise ValueError(UNKNOWN_POST.format(value=raw, policy=policy.name, choices="、".join(names)))
        return raw
    if col.kind == "id":
        parse_id_number(raw)
        return raw.strip().upper()
    raise AssertionError(col.kind)


def validate(frame: pl.DataFrame, columns: Sequence[Column], policy: Any = None) -> tuple[list[dict[str, Any]], list[SheetError]]:
    """Typed records of the rows without errors, and every error found."""
    errors: list[SheetError] = []
    good: list[dict[str, Any]] = []
    present = [c for c in columns if c.key in frame.columns]
    for record in frame.iter_rows(named=True):
        row_no = record[ROW]
        out = dict(record)
        row_errors: list[SheetError] = []
        for col in present:
            raw = (record.get(col.key) or "").strip()
            if raw == "":
                if col.required:
                    row_errors.append(SheetError(row_no, col.header, REQUIRED))
                out[col.key] = None
                continue
            try:
                out[col.key] = _cell(col, raw, policy)
            except ValueError as exc:
                row_errors.append(SheetError(row_no, col.header, str(exc)))
        errors.extend(row_errors)
        if not row_errors:
            good.append(out)
    return good, errors


def _to_frame(records: list[dict[str, Any]], like: pl.DataFrame) -> pl.DataFrame:
    if not records:
        return like.clear()
    return pl.DataFrame(records, infer_schema_length=None)


def validate_roster(frame: pl.DataFrame, policy: Any = None) -> tuple[pl.DataFrame, list[SheetError]]:
    records, errors = validate(frame, ROSTER, policy)
    clean: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for r in records:
        row_no = r[ROW]
        birth, sex = parse_id_number(r["id_number"])
        problems: list[SheetError] = []
        if r["id_number"] in first_row:
            problems.append(SheetError(row_no, "身份证号", DUPLICATE_ID.format(first=first_row[r["id_number"]])))
        else:
            first_row[r["id_number"]] = row_no
        if r.get("sex") and r["sex"] != sex:
            problems.append(SheetError(row_no, "性别", SEX_MISMATCH.format(given=r["sex"], derived=sex)))
        if r.get("birth_date") and r["birth_date"] != birth:
            problems.append(SheetError(row_no, "出生日期", BIRTH_MISMATCH.format(given=r["birth_date"], derived=birth)))
        if r["community_work_start"] <= birth:
            problems.append(SheetError(row_no, "参加社区工作时间", START_BEFORE_BIRTH.format(start=r["community_work_start"], birth=birth)))
        if r.get("grade") is not None and policy is not None:
            post = policy.post(r["post"])
            if not post.grade_min <= r["grade"] <= post.grade_max:
                problems.append(SheetError(row_no, "等级", GRADE_RANGE.format(grade=r["grade"], post=post.name, lo=post.grade_min, hi=post.grade_max)))
        if problems:
            errors.extend(problems)
            continue
        clean.append({**r, "sex": sex, "birth_date": birth, "certificate": r.get("certificate") or "无"})
    errors.sort(key=lambda e: (e.row, e.column))
    return _to_frame(clean, frame), errors


def validate_units(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[SheetError]]:
    records, errors = validate(frame, UNITS)
    clean: list[dict[str, Any]] = []
    first_row: dict[tuple[str, str], int] = {}
    for r in records:
        key = (r.get("parent") or "", r["unit"])
        if key in first_row:
            errors.append(SheetError(r[ROW], "单位名称", DUPLICATE_UNIT.format(first=first_row[key])))
            continue
        first_row[key] = r[ROW]
        if r["urban_population"] > r["population"]:
            errors.append(SheetError(r[ROW], "城镇常住人口", URBAN_OVER.format(urban=r["urban_population"], population=r["population"])))
            continue
        clean.append(r)
    errors.sort(key=lambda e: (e.row, e.column))
    return _to_frame(clean, frame), errors


def validate_results(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[SheetError]]:
    records, errors = validate(frame, RESULTS)
    errors.sort(key=lambda e: (e.row, e.column))
    return _to_frame(records, frame), errors
