"""Reading and writing sheets (.xlsx with python-calamine / XlsxWriter, .csv in UTF-8)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import polars as pl

ROW = "_row"  # spreadsheet row number of each data row (the header is row 1)
UNSUPPORTED = "不支持的文件类型「{suffix}」：请使用 .xlsx 或 .csv"
NOT_UTF8 = "CSV 文件不是 UTF-8 编码：请另存为“CSV UTF-8”"
EMPTY = "文件中没有表头行"
DUPLICATE_HEADER = "表头「{header}」出现了不止一次"
UNREADABLE = "无法读取文件：{detail}"
XLSX_UNREADABLE = "无法读取 .xlsx 文件：文件已损坏或不是 Excel 工作簿（请用 Excel 打开后另存为 .xlsx）"
CSV_BROKEN = "CSV 文件第 {line} 行格式不对：{detail}"


class SheetReadError(ValueError):
    pass


def _cell(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    s = str(v).strip()
    return s or None


def _rows_xlsx(data: bytes) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own error types, with English text
        raise SheetReadError(XLSX_UNREADABLE) from None


def _rows_csv(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetReadError(NOT_UTF8) from None
    if "\n" not in text:
        text = text.replace("\r", "\n")  # old Mac line endings
    else:
        text = re.sub(r"\r(?!\n)", "", text)  # a stray CR inside a cell is never meant
    if "\x00" in text:
        raise SheetReadError(NOT_UTF8)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [list(r) for r in reader]
    except csv.Error as exc:
        detail = "引号没有闭合" if "EOF" in str(exc) or "quote" in str(exc) else "有无法识别的字符或换行"
        raise SheetReadError(CSV_BROKEN.format(line=reader.line_num, detail=detail)) from None


def read_sheet(path_or_bytes: str | Path | bytes, filename: str | None = None) -> pl.DataFrame:
    """Read the first sheet as text columns named by the header row, plus `_row`.
    Empty rows are skipped; numbers written as 4100.0 by Excel read as "4100"."""
    if isinstance(path_or_bytes, (str, Path)):
        filename = filename or str(path_or_bytes)
        data = Path(path_or_bytes).read_bytes()
    else:
        data = path_or_bytes
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".xlsx":
        rows = _rows_xlsx(data)
    elif suffix == ".csv":
        rows = _rows_csv(data)
    else:
        raise SheetReadError(UNSUPPORTED.format(suffix=suffix or "无"))
    if not rows:
        raise SheetReadError(EMPTY)
    header = [(_cell(h) or "") for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            raise SheetReadError(DUPLICATE_HEADER.format(header=h))
        seen.add(h)
    cols: dict[str, list[str | None]] = {h: [] for h in header if h}
    numbers: list[int] = []
    for i, r in enumerate(rows[1:], start=2):
        cells = [_cell(v) for v in r[: len(header)]] + [None] * max(0, len(header) - len(r))
        if all(c is None for c in cells):
            continue
        numbers.append(i)
        for h, c in zip(header, cells, strict=False):
            if h:
                cols[h].append(c)
    df = pl.DataFrame({h: pl.Series(h, v, dtype=pl.Utf8) for h, v in cols.items()})
    return df.with_columns(pl.Series(ROW, numbers, dtype=pl.Int64))


def read_records(path_or_bytes: str | Path | bytes, filename: str | None = None) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The headers, and (spreadsheet row, {header: text}) for every non-empty row, empty
    cells as "": the shape an area's own import (applications, attendance, scores) reads."""
    frame = read_sheet(path_or_bytes, filename)
    headers = [c for c in frame.columns if c != ROW]
    return headers, [(r[ROW], {h: r[h] or "" for h in headers}) for r in frame.iter_rows(named=True)]


def write_sheet(df: pl.DataFrame, path: str | Path) -> None:
    """Write .xlsx or .csv (UTF-8 with BOM, so Excel opens it) all at once: a failure
    leaves no file behind."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise SheetReadError(UNSUPPORTED.format(suffix=suffix or "无"))
    df = df.drop([c for c in df.columns if c == ROW])
    fd, tmp = tempfile.mkstemp(suffix=suffix, dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    try:
        if suffix == ".csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(df.columns)
                for row in df.iter_rows():
                    w.writerow(["；".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v) for v in row])
        else:
            _write_xlsx(df, tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write_xlsx(df: pl.DataFrame, tmp: str) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(tmp)
    ws = wb.add_worksheet("Sheet1")
    head = wb.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    money = wb.add_format({"num_format": "#,##0.00"})
    wrap = wb.add_format({"text_wrap": False})
    for j, name in enumerate(df.columns):
        ws.write_string(0, j, name, head)
        dtype = df.schema[name]
        width = max(8, min(60, len(name) * 2 + 2))
        ws.set_column(j, j, width)
        for i, v in enumerate(df.get_column(name).to_list(), start=1):
            if v is None:
                continue
            if isinstance(v, list):
                ws.write_string(i, j, "；".join(map(str, v)))
            elif isinstance(v, dt.date):
                ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), date_fmt)
            elif dtype == pl.Float64:
                ws.write_number(i, j, v, money)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(i, j, v)
            else:
                ws.write_string(i, j, str(v), wrap)
    ws.freeze_panes(1, 0)
    wb.close()
