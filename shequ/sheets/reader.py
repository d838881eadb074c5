"""Read an .xlsx or .csv sheet into a frame of strings, headers mapped to internal keys."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import polars as pl
from python_calamine import CalamineWorkbook

from shequ.sheets.columns import Column

UNREADABLE = "无法读取文件“{name}”：{detail}"
BAD_SUFFIX = "只支持 .xlsx 或 .csv 文件（收到“{name}”）"
NO_HEADER = "文件“{name}”没有表头行"
DUPLICATE_HEADER = "表头“{header}”出现了不止一次"
MISSING_COLUMNS = "缺少必需的列：{columns}"
ROW = "_row"  # spreadsheet row number of each data row (the header is row 1)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from(content: bytes, name: str) -> list[list[str]]:
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".csv":
            text = content.decode("utf-8-sig")
            return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
        if suffix in {".xlsx", ".xls"}:
            book = CalamineWorkbook.from_filelike(io.BytesIO(content))
            return [[_cell_text(c) for c in row] for row in book.get_sheet_by_index(0).to_python(skip_empty_area=False)]
    except (UnicodeDecodeError, ValueError, csv.Error, Exception) as exc:  # noqa: BLE001 - any reader failure
        raise ValueError(UNREADABLE.format(name=name, detail=exc)) from exc
    raise ValueError(BAD_SUFFIX.format(name=name))


def read_sheet(source: bytes | str | Path, filename: str | None = None, columns: Sequence[Column] = ()) -> pl.DataFrame:
    """All cells as strings. Known headers (Chinese or English alias) become internal keys;
    unknown columns keep their header and pass through. Adds `_row`."""
    if isinstance(source, str | Path):
        path = Path(source)
        content, name = path.read_bytes(), filename or path.name
    else:
        content, name = source, filename or "upload"
    rows = [r for r in _rows_from(content, name)]
    while rows and not any(rows[0]):
        rows.pop(0)
    if not rows:
        raise ValueError(NO_HEADER.format(name=name))
    alias = {c.header: c.key for c in columns} | {c.key: c.key for c in columns}
    headers = [alias.get(h.strip(), h.strip()) for h in rows[0]]
    seen: set[str] = set()
    for h in headers:
        if h and h in seen:
            raise ValueError(DUPLICATE_HEADER.format(header=h))
        seen.add(h)
    if columns:
        missing = [c.header for c in columns if c.required and c.key not in seen]
        if missing:
            raise ValueError(MISSING_COLUMNS.format(columns="、".join(missing)))
    keep = [i for i, h in enumerate(headers) if h]
    data = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell for cell in row):
            continue
        padded = row + [""] * (len(headers) - len(row))
        data.append([padded[i] for i in keep] + [n])
    schema = {headers[i]: pl.Utf8 for i in keep} | {ROW: pl.Int64}
    return pl.DataFrame(data, schema=schema, orient="row")
