"""Excel out: every export says what it is, for which scope and as of when, on its first
rows, then a header row and the data, with the header frozen."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse

from shequ.common.pii import disclose_id, mask_columns, shown_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(
    *,
    sheet: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    title_lines: Sequence[str] = (),
    comments: dict[str, str] | None = None,
    extra_sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]] = (),
    ids: Literal["shown", "full", "as_given"] = "shown",
) -> bytes:
    """`ids` decides every 身份证号 column: "shown" masks unless the viewer may and asked
    (pii.shown_id); "full" for a sheet that must come back with the numbers (audited);
    "as_given" when the rows already hold what may be shown (a template's made-up sample,
    a public list masked with pii.mask_id)."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "default_date_format": "yyyy-mm-dd"})

    def guarded(hdrs: Sequence[str], data: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
        if ids == "as_given":
            return data
        return mask_columns(hdrs, data, disclose_id if ids == "full" else shown_id)

    _write_sheet(book, sheet, headers, guarded(headers, rows), title_lines, comments or {})
    for name, hdrs, data in extra_sheets:
        _write_sheet(book, name, hdrs, guarded(hdrs, data), (), {})
    book.close()
    return buf.getvalue()


def _write_sheet(
    book: Any, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
    title_lines: Sequence[str], comments: dict[str, str],
) -> None:
    ws = book.add_worksheet(name[:31])
    bold = book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
    title = book.add_format({"bold": True, "font_size": 12})
    datefmt = book.add_format({"num_format": "yyyy-mm-dd"})
    r = 0
    for line in title_lines:
        ws.write(r, 0, line, title if r == 0 else None)
        r += 1
    header_row = r
    widths = [max(8, len(h) * 2 + 2) for h in headers]
    for c, h in enumerate(headers):
        ws.write(header_row, c, h, bold)
        if h in comments:
            ws.write_comment(header_row, c, comments[h], {"x_scale": 2, "y_scale": 1.5})
    r = header_row + 1
    for row in rows:
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                ws.write_datetime(r, c, value.replace(tzinfo=None), datefmt)
            elif isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), datefmt)
            elif value is None:
                ws.write_blank(r, c, None)
            else:
                ws.write(r, c, value)
            if c < len(widths) and isinstance(value, str):
                widths[c] = min(60, max(widths[c], len(value) * 2))
        r += 1
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.freeze_panes(header_row + 1, 0)


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def scope_line(*, scope_name: str, on: date, what: str) -> list[str]:
    return [what, f"范围：{scope_name}    数据日期：{on:%Y-%m-%d}    导出时间：{datetime.now():%Y-%m-%d %H:%M}"]
