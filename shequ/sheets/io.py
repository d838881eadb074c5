"""Reading and writing sheets: .xlsx/.xls/.ods with python-calamine, .csv in UTF-8 or
GBK/GB18030 (detected); writing .xlsx with XlsxWriter and .csv in UTF-8 with a BOM."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import polars as pl

from shequ.errors import Invalid

ROW = "_row"  # spreadsheet row number of each data row (the header is row 1)
BOOKS = (".xlsx", ".xlsm", ".xls", ".ods")  # read by python-calamine, which sniffs the real format
READABLE = (*BOOKS, ".csv")
READABLE_TEXT = ".xlsx、.xls、.ods 或 .csv"  # for messages and upload pages
UNSUPPORTED = "不支持的文件类型「{suffix}」：请使用 .xlsx、.xls、.ods 或 .csv"
NOT_TEXT = "无法识别 CSV 文件的编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”后再上传"
EMPTY = "文件中没有表头行"
DUPLICATE_HEADER = "表头「{header}」出现了不止一次"
UNREADABLE = ("无法读取文件「{name}」：文件已损坏，或内容与扩展名不符。请用 Excel 或 WPS 打开它，"
              "另存为 .xlsx 后再上传")
ENCRYPTED = "文件「{name}」设有打开密码：请在 Excel 中取消密码（文件 → 信息 → 保护工作簿）后另存再上传"
HTML_AS_XLS = ("文件「{name}」其实是网页（HTML），不是 Excel 表格（有些系统导出的 .xls 就是这样）："
               "请用 Excel 打开它，另存为 .xlsx 后再上传")
NO_CACHED_VALUE = ("以下单元格是公式，但文件里没有保存计算结果（文件不是由 Excel/WPS 保存的）："
                   "{cells}。请在 Excel 或 WPS 中打开、确认数值后保存，或把公式改为数值后再上传")
# Columns holding ID numbers: a number there lost its digits before Shequ saw it.
ID_HEADERS = {"身份证号", "id_number", "证件号码", "公民身份号码"}
NUL_CHARACTER = "第 {row} 行「{column}」含有空字符（NUL），数据库无法保存，请删去后重新上传"
XLSX_UNREADABLE = "无法读取 .xlsx 文件：文件已损坏或不是 Excel 工作簿（请用 Excel 打开后另存为 .xlsx）"
CSV_BROKEN = "CSV 文件第 {line} 行格式不对：{detail}"


class SheetReadError(Invalid):
    pass


def _cell(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else format(v, ".15g")  # as Excel shows it
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    s = str(v).strip()
    return s or None


def _as_excel_shows(v: float | int) -> str:
    """A number as Excel displays it in a narrow General cell: 1.10105199003071E+17.
    Used for an ID number stored as a number, so the message quotes what the user sees."""
    mantissa, exp = f"{float(v):.14E}".split("E")
    return f"{mantissa.rstrip('0').rstrip('.')}E{exp[0]}{int(exp[1:]):02d}"


def _name(filename: str | None) -> str:
    return Path(filename or "").name or "上传的文件"


def _sniff(data: bytes, filename: str | None) -> None:
    if data[:1024].lstrip().startswith(b"<") and any(t in data[:4096].lower() for t in (b"<html", b"<table")):
        raise SheetReadError(HTML_AS_XLS.format(name=_name(filename)))
    # An encrypted OOXML file is an OLE container holding an "EncryptedPackage" stream.
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and "EncryptedPackage".encode("utf-16-le") in data:
        raise SheetReadError(ENCRYPTED.format(name=_name(filename)))


def _rows_book(data: bytes, filename: str | None) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    _sniff(data, filename)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:  # calamine's own error types carry English text: never shown
        raise SheetReadError(UNREADABLE.format(name=_name(filename))) from None
    if data[:2] == b"PK":
        _refuse_formulas_without_values(data, rows)
    return rows


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")


def _first_sheet_part(book: zipfile.ZipFile) -> str | None:
    names = book.namelist()
    try:
        wb = book.read("xl/workbook.xml").decode("utf-8")
        rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        rid = re.search(r'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"', wb)
        if rid:
            target = re.search(r'<Relationship\b[^>]*?Id="' + re.escape(rid[1]) + r'"[^>]*?Target="([^"]+)"', rels) \
                or re.search(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="' + re.escape(rid[1]) + r'"', rels)
            if target:
                t = target[1].lstrip("/")
                return t if t.startswith("xl/") else "xl/" + t
    except (KeyError, UnicodeDecodeError):
        pass
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet"))
    return sheets[0] if sheets else None


def _refuse_formulas_without_values(data: bytes, rows: list[list[Any]]) -> None:
    """Excel and WPS save each formula's last result beside it, and that is what Shequ
    reads. A file written by a program (openpyxl, some exporters) may carry the formula
    alone; calamine then reads an empty cell, which must not become a silent blank or 0."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        part = _first_sheet_part(book)
        xml = book.read(part) if part else b""
    except (zipfile.BadZipFile, KeyError):
        return
    if not _FORMULA.search(xml):  # the usual case: one scan, no parsing
        return
    header = rows[0] if rows else []
    missing: list[str] = []
    for m in _CELL.finditer(xml):
        attrs, body = m[1], m[2] or b""
        if not _FORMULA.search(body) or _VALUE.search(body):
            continue
        t = _TYPE.search(attrs)
        if t and t[1] == b"str" and b"<v>" in body:  # a formula whose result is the empty text
            continue
        ref = _REF.search(attrs)
        if not ref:
            continue
        col = 0
        for ch in ref[1].decode():
            col = col * 26 + ord(ch) - 64
        head = _cell(header[col - 1]) if col - 1 < len(header) else None
        missing.append(f"第 {int(ref[2])} 行「{head or ref[1].decode()}」")
    if missing:
        shown = "、".join(missing[:10]) + (f" 等 {len(missing)} 处" if len(missing) > 10 else "")
        raise SheetReadError(NO_CACHED_VALUE.format(cells=shown))


def _decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV and its delimiter. Excel on Chinese Windows saves "CSV（逗号分隔）"
    in GBK (read as GB18030, its superset), "CSV UTF-8" with a BOM, and "Unicode 文本" as
    tab-separated UTF-16; other programs write UTF-8 without a BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "\t"
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        first = text.split("\n", 1)[0]
        return text, "\t" if "\t" in first and "," not in first else ","
    raise SheetReadError(NOT_TEXT)


# What a spreadsheet takes for the start of a formula when text is opened or pasted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """A cell for CSV: text that a spreadsheet would take for a formula gets a leading
    apostrophe (read back without it by read_sheet); numbers and dates stay as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        value = "；".join(map(str, value))
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _unguard(cell: str) -> str:
    """Shequ's CSV exports write text such as "=HYPERLINK(...)" as "'=HYPERLINK(...)" so that
    no spreadsheet runs it; reading back drops that apostrophe."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS and cell[1:2] else cell


def _rows_csv(data: bytes) -> list[list[Any]]:
    text, delimiter = _decode(data)
    if "\n" not in text:
        text = text.replace("\r", "\n")  # old Mac line endings
    else:
        text = re.sub(r"\r(?!\n)", "", text)  # a stray CR inside a cell is never meant
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [[_unguard(c) for c in r] for r in reader]
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
    if suffix in BOOKS:
        rows = _rows_book(data, filename)
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
        if "\x00" in h:
            raise SheetReadError(NUL_CHARACTER.format(row=1, column=h.replace("\x00", "")))
        if h and h in seen:
            raise SheetReadError(DUPLICATE_HEADER.format(header=h))
        seen.add(h)
    cols: dict[str, list[str | None]] = {h: [] for h in header if h}
    id_cols = {j for j, h in enumerate(header) if h.strip() in ID_HEADERS or h.strip().lower() in ID_HEADERS}
    numbers: list[int] = []
    for i, r in enumerate(rows[1:], start=2):
        cells = [
            _as_excel_shows(v) if j in id_cols and isinstance(v, (int, float)) and not isinstance(v, bool) else _cell(v)
            for j, v in enumerate(r[: len(header)])
        ] + [None] * max(0, len(header) - len(r))
        if all(c is None for c in cells):
            continue
        numbers.append(i)
        for h, c in zip(header, cells, strict=False):
            if h:
                # PostgreSQL refuses NUL in text, even in a lookup: say where, once, for the file.
                if c is not None and "\x00" in c:
                    raise SheetReadError(NUL_CHARACTER.format(row=i, column=h))
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
                    w.writerow([csv_safe(v) for v in row])
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
