"""Excel out. A report says what it is, for which scope and as of when on its first rows,
then a header row and the data, and prints landscape, fit to the page width, with the
header row repeated on every page. A list that an import reads back (`header_first=True`)
has its header in row 1 and the title, scope and date in the workbook properties and a 说明
sheet. Text is always written as text: a value such as "=HYPERLINK(...)" is never a formula.
Workbooks are written row by row (constant memory), so any size streams."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, islice
from typing import Any, Literal
from urllib.parse import quote

import xlsxwriter
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from xlsxwriter.utility import xl_col_to_name

from shequ.common.pii import (
    audit_full_ids,
    disclose_id,
    full_ids_allowed,
    mask_columns,
    mask_id,
    shown_id,
)
from shequ.sheets.io import csv_safe

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTES_SHEET = "说明"


class Total(list[Any]):
    """A row of subtotals or the grand total: written bold with a rule above."""


SIGNATURES = "制表人：                    审核人：                    负责人：                    "


def xlsx_bytes(
    *,
    sheet: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    title_lines: Sequence[str] = (),
    comments: dict[str, str] | None = None,
    extra_sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]] = (),
    ids: Literal["shown", "full", "as_given"] = "shown",
    header_first: bool = False,
    footer_lines: Sequence[str] = (),
    number_formats: dict[str, str] | None = None,
) -> bytes:
    """`ids` decides every 身份证号 column: "shown" masks unless the viewer may and asked
    (pii.shown_id); "full" for a sheet that must come back with the numbers (audited);
    "as_given" when the rows already hold what may be shown (a template's made-up sample,
    a public list masked with pii.mask_id)."""

    def guarded(hdrs: Sequence[str], data: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
        if ids == "as_given":
            return data
        return mask_columns(hdrs, data, disclose_id if ids == "full" else shown_id)

    rows = guarded(headers, rows)
    extra_sheets = [(name, hdrs, guarded(hdrs, data)) for name, hdrs, data in extra_sheets]
    if header_first and not (comments or extra_sheets or footer_lines or number_formats):
        # A plain list, the shape of whole-scope exports: written straight as OOXML.
        from shequ.common.fastxlsx import list_xlsx

        sample, rest, widths = _sample_widths(headers, rows)
        return list_xlsx(sheet=sheet, headers=headers, rows=rest, title_lines=title_lines, notes_sheet=NOTES_SHEET,
                         widths=[min(w, 50) for w in widths], sample=sample)
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        # constant_memory: each row goes to a temporary file as written, so 300,000 rows
        # cost what one row costs, not a gigabyte of cell objects.
        book = xlsxwriter.Workbook(path, {"constant_memory": True, "default_date_format": "yyyy-mm-dd",
                                          "strings_to_formulas": False, "strings_to_urls": False})
        if header_first:
            _write_sheet(book, sheet, headers, rows, (), comments or {}, footer_lines, number_formats,
                         page_title=title_lines[0] if title_lines else "")
            if title_lines:
                book.set_properties({"title": title_lines[0], "subject": sheet,
                                     "comments": "\n".join(title_lines[1:])})
        else:
            _write_sheet(book, sheet, headers, rows, title_lines, comments or {}, footer_lines, number_formats)
        for name, hdrs, data in extra_sheets:
            _write_sheet(book, name, hdrs, data, (), {})
        if header_first and title_lines:
            notes = book.add_worksheet(NOTES_SHEET)
            for i, line in enumerate(title_lines):
                notes.write_string(i, 0, line)
            notes.set_column(0, 0, 80)
        book.close()
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)


def _write_sheet(
    book: Any, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
    title_lines: Sequence[str], comments: dict[str, str], footer_lines: Sequence[str] = (),
    number_formats: dict[str, str] | None = None, page_title: str = "",
) -> None:
    number_formats = number_formats or {}
    ws = book.add_worksheet(name[:31])
    bold = book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
    title = book.add_format({"bold": True, "font_size": 12})
    datefmt = book.add_format({"num_format": "yyyy-mm-dd"})
    total_fmt = book.add_format({"bold": True, "top": 1})
    r = 0
    for line in title_lines:
        ws.write_string(r, 0, str(line), title if r == 0 else None)
        r += 1
    header_row = r
    # Widths from the headers and the first rows: in constant-memory mode columns must be
    # set before the rows are written, and a sample is enough to fit names and ID numbers.
    sample, it, widths = _sample_widths(headers, rows)
    for c, w in enumerate(widths):
        ws.set_column(c, c, min(w, 50), book.add_format({"num_format": number_formats[headers[c]]})
                      if headers[c] in number_formats else None)
    for c, h in enumerate(headers):
        ws.write_string(header_row, c, h, bold)
        if h in comments:
            ws.write_comment(header_row, c, comments[h], {"x_scale": 2, "y_scale": 1.5})
    r = header_row + 1
    money = {c: book.add_format({"num_format": number_formats[h]}) for c, h in enumerate(headers) if h in number_formats}
    money_total = {c: book.add_format({"num_format": number_formats[h], "bold": True, "top": 1})
                   for c, h in enumerate(headers) if h in number_formats}
    for row in chain(sample, it):
        fmt = total_fmt if isinstance(row, Total) else None
        numfmt = money_total if isinstance(row, Total) else money
        for c, value in enumerate(row):
            if fmt is not None and value is None:
                ws.write_blank(r, c, None, fmt)
            elif isinstance(value, datetime):
                ws.write_datetime(r, c, value.replace(tzinfo=None), datefmt)
            elif isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), datefmt)
            elif value is None:
                continue
            elif isinstance(value, bool):
                ws.write_string(r, c, "是" if value else "否", fmt)
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value, numfmt.get(c, fmt))
            else:
                ws.write_string(r, c, str(value), fmt)  # text stays text, whatever it starts with
        r += 1
    r += 1 if footer_lines else 0
    for line in footer_lines:
        ws.write_string(r, 0, line)
        r += 1
    ws.freeze_panes(header_row + 1, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    heading = page_title or (title_lines[0] if title_lines else name)
    ws.set_header(f"&C&\"-,Bold\"{heading.replace('&', '&&')[:200]}")
    ws.set_footer("&L制表时间：&D&R第 &P 页，共 &N 页")


def _sample_widths(
    headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> tuple[list[Sequence[Any]], Iterator[Sequence[Any]], list[int]]:
    it = iter(rows)
    sample = list(islice(it, 500))
    widths = [max(8, _width(h) + 2) for h in headers]
    for row in sample:
        for c, value in enumerate(row[: len(widths)]):
            widths[c] = max(widths[c], _width(value) + 1)
    return sample, it, widths


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (date, datetime)):
        return 10
    text = value if isinstance(value, str) else f"{value:,.2f}" if isinstance(value, float) else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def csv_from_xlsx(content: bytes) -> Iterator[bytes]:
    """The first sheet of an exported workbook as CSV (UTF-8 with a BOM, so Excel opens it)."""
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    buf = io.StringIO()
    writer = csv.writer(buf)
    yield "\ufeff".encode()
    for i, row in enumerate(sheet.iter_rows()):
        writer.writerow([csv_safe(int(v) if isinstance(v, float) and v.is_integer() else v) if v != "" else "" for v in row])
        if i % 2000 == 0:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


def csv_stream(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """Header and rows as CSV (UTF-8 with a BOM), produced in chunks as the rows come."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    yield "\ufeff".encode()
    writer.writerow(headers)
    for i, row in enumerate(rows):
        writer.writerow([csv_safe(v) for v in row])
        if i % 2000 == 1999:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


def csv_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, request: HttpRequest, count: int
) -> StreamingHttpResponse:
    """A list export as CSV straight from its rows: for whole-scope exports, where going
    through a workbook first would cost its time and memory twice. The rows stream after
    the request's middleware has returned, so whether ID numbers go out full is decided
    here, once, and a full export of `count` rows is audited before the first byte."""
    if full_ids_allowed(request):
        audit_full_ids(request, count)
        shown = rows
    else:
        shown = mask_columns(headers, rows, mask_id)
    response = StreamingHttpResponse(csv_stream(headers, shown), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class CsvBesideXlsxMiddleware:
    """Every export is also CSV: `?format=csv` on any URL answering with a workbook answers
    with its first sheet as CSV instead, so no export needs its own CSV code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        response = self.get_response(request)
        if request.GET.get("format") != "csv" or response.get("Content-Type") != XLSX or response.streaming:
            return response
        disposition = response.get("Content-Disposition", "")
        csv_response = StreamingHttpResponse(csv_from_xlsx(response.content), content_type="text/csv; charset=utf-8")
        csv_response["Content-Disposition"] = disposition.replace(".xlsx", ".csv").replace("%2Exlsx", "%2Ecsv")
        return csv_response


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def scope_line(*, scope_name: str, on: date, what: str) -> list[str]:
    return [what, f"范围：{scope_name}    数据日期：{on:%Y-%m-%d}    导出时间：{datetime.now():%Y-%m-%d %H:%M}"]


# --- Templates to fill in -------------------------------------------------------------

OPTIONS_SHEET = "选项"
INSTRUCTIONS_SHEET = "填写说明"
TEMPLATE_ROWS = 5000  # rows below the header carrying the column formats and dropdowns
CHOOSE = "请从下拉列表中选择，或复制粘贴列表中的值"
ID_HINT = "18 位身份证号，本列已设为文本格式，请勿改为数字（否则后几位会变成 0）"
DATE_HINT = "日期，如 2021-03-01"
BAD_DATE_ENTRY = "请填写 1900 年至 2100 年之间的日期，如 2021-03-01"
BAD_WHOLE = "请填写不小于 0 的整数"
BAD_NUMBER_ENTRY = "请填写数字"
BAD_ID_ENTRY = "身份证号应为 18 位"


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    note: str = ""
    kind: str = "text"  # text | id | date | int | number | choice
    choices: Sequence[str] = ()
    required: bool = False
    example: object = ""


def template_xlsx(
    *,
    sheet: str,
    columns: Sequence[TemplateColumn],
    scope_name: str,
    rows: Iterable[Sequence[Any]] = (),
    notes: Sequence[str] = (),
    example: bool = True,
) -> bytes:
    """A sheet to fill in that prevents the usual mistakes: the header in row 1 with a
    comment per column, ID number columns stored as text (so Excel cannot turn them into
    numbers), date columns as dates, a dropdown for every column with a fixed vocabulary,
    and a 填写说明 sheet with the rules and, per column, its example (the example row, read
    down). The example is kept off the data sheet so that an example forgotten there
    cannot be imported as a person."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "default_date_format": "yyyy-mm-dd"})
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
    required_head = book.add_format({"bold": True, "bg_color": "#F7E3C6", "border": 1})
    text_fmt = book.add_format({"num_format": "@"})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    options = book.add_worksheet(OPTIONS_SHEET)
    last = TEMPLATE_ROWS
    list_col = 0
    data_rows = [list(r) for r in rows]
    for j, col in enumerate(columns):
        ws.write_string(0, j, col.header, required_head if col.required else bold)
        comment = (("必填。" if col.required else "可空。") + col.note).strip()
        ws.write_comment(0, j, comment, {"x_scale": 2, "y_scale": 1.5})
        width = max(10, len(col.header) * 2 + 4, *(len(str(c)) * 2 + 2 for c in col.choices[:50]))
        width = min(width, 40)
        if col.kind == "id":
            ws.set_column(j, j, 22, text_fmt)
            ws.data_validation(1, j, last, j, {
                "validate": "length", "criteria": "==", "value": 18,
                "input_title": col.header, "input_message": ID_HINT,
                "error_title": col.header, "error_message": BAD_ID_ENTRY,
            })
        elif col.kind == "date":
            ws.set_column(j, j, 14, date_fmt)
            ws.data_validation(1, j, last, j, {
                "validate": "date", "criteria": "between",
                "minimum": datetime(1900, 1, 1), "maximum": datetime(2100, 12, 31),
                "input_title": col.header, "input_message": DATE_HINT,
                "error_title": col.header, "error_message": BAD_DATE_ENTRY,
            })
        elif col.kind in ("int", "number"):
            ws.set_column(j, j, width)
            ws.data_validation(1, j, last, j, {
                "validate": "integer" if col.kind == "int" else "decimal",
                "criteria": ">=" if col.kind == "int" else "between",
                **({"value": 0} if col.kind == "int" else {"minimum": -1e12, "maximum": 1e12}),
                "error_title": col.header, "error_message": BAD_WHOLE if col.kind == "int" else BAD_NUMBER_ENTRY,
            })
        elif col.kind == "choice" and col.choices:
            ws.set_column(j, j, width, text_fmt)
            options.write_string(0, list_col, col.header, bold)
            for i, choice in enumerate(col.choices, start=1):
                options.write_string(i, list_col, str(choice))
            letter = xl_col_to_name(list_col)
            ws.data_validation(1, j, last, j, {
                "validate": "list",
                "source": f"='{OPTIONS_SHEET}'!${letter}$2:${letter}${len(col.choices) + 1}",
                "input_title": col.header[:32], "input_message": CHOOSE,
                "error_title": col.header[:32], "error_message": f"「{col.header}」{CHOOSE}",
            })
            list_col += 1
        else:
            ws.set_column(j, j, width, text_fmt)
    for i, data_row in enumerate(data_rows, start=1):
        for j, value in enumerate(data_row):
            _write_value(ws, i, j, value, text_fmt, date_fmt)
    ws.freeze_panes(1, 0)
    options.hide()

    guide = book.add_worksheet(INSTRUCTIONS_SHEET)
    title = book.add_format({"bold": True, "font_size": 13})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    guide.write_string(0, 0, f"{sheet}填写说明", title)
    guide.write_string(1, 0, f"范围：{scope_name}    生成时间：{datetime.now():%Y-%m-%d %H:%M}")
    lines = [
        f"在“{sheet}”工作表中从第 2 行起每行填写一条，第 1 行表头不要改动；列的顺序可以调整，多出的列会原样保留。",
        "橙色表头为必填列。带下拉箭头的列请从列表中选择。",
        "身份证号列已设为文本格式：从别处粘贴时请用“选择性粘贴 → 值”，不要把该列改成数字或常规格式。",
        "日期填写为 2021-03-01 这样的格式。公式请先转成数值再上传。",
        "可以保存为 .xlsx、.xls、.ods 或 CSV（UTF-8 或 Excel 默认的 CSV 均可）后上传；上传后先校验全部行，有任何错误都不会导入。",
        *notes,
    ]
    for i, line in enumerate(lines, start=3):
        guide.write_string(i, 0, f"{i - 2}. {line}")
    r = len(lines) + 4
    for j, h in enumerate(["列名", "是否必填", "填写要求", "可选值", "示例" if example else ""]):
        guide.write_string(r, j, h, bold)
    for col in columns:
        r += 1
        shown = "、".join(map(str, col.choices[:30])) + ("……（见下拉列表）" if len(col.choices) > 30 else "")
        guide.write_string(r, 0, col.header)
        guide.write_string(r, 1, "必填" if col.required else "可空")
        guide.write_string(r, 2, col.note, wrap)
        guide.write_string(r, 3, shown, wrap)
        if example:
            _write_value(guide, r, 4, col.example, text_fmt, date_fmt)
    guide.set_column(0, 0, 22)
    guide.set_column(1, 1, 10)
    guide.set_column(2, 3, 48)
    guide.set_column(4, 4, 22)
    for page in (ws, guide):
        page.set_landscape()
        page.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    book.close()
    return buf.getvalue()


def _write_value(ws: Any, r: int, c: int, value: Any, text_fmt: Any, date_fmt: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, datetime):
        ws.write_datetime(r, c, value.replace(tzinfo=None), date_fmt)
    elif isinstance(value, date):
        ws.write_datetime(r, c, datetime(value.year, value.month, value.day), date_fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value)
    else:
        ws.write_string(r, c, str(value), text_fmt)
