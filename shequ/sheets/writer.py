"""Writing sheets for the file command line: .xlsx (XlsxWriter) or .csv (UTF-8 with BOM).
Reading and checking live in shequ.sheets.reader / shequ.sheets.validate."""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from pathlib import Path

import polars as pl

from shequ.sheets.reader import ROW

UNSUPPORTED = "不支持的输出文件类型「{suffix}」：请使用 .xlsx 或 .csv"


def write_sheet(df: pl.DataFrame, path: str | Path) -> None:
    """Write .xlsx or .csv (UTF-8 with BOM, so Excel opens it) all at once: a failure
    leaves no file behind."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValueError(UNSUPPORTED.format(suffix=suffix or "无"))
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
