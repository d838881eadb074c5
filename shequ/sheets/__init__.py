"""The sheets users exchange (FORMATS.md): read .xlsx/.csv, check every row, report every
error by row and column in Chinese. Pure Python + Polars: the web import and the file
command line share it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from shequ.sheets.columns import RESULTS, ROSTER, UNITS, Column
from shequ.sheets.idcard import parse_id_number
from shequ.sheets.reader import ROW
from shequ.sheets.reader import read_sheet as _read
from shequ.sheets.validate import SheetError, validate_results, validate_roster, validate_units

__all__ = [
    "Column", "RESULTS", "ROSTER", "ROW", "SheetError", "UNITS", "parse_id_number", "read_sheet",
    "validate_results", "validate_roster", "validate_units",
]

_ALL_COLUMNS = (*UNITS, *ROSTER, *RESULTS)


def read_sheet(source: bytes | str | Path, filename: str | None = None, columns: Any = None) -> pl.DataFrame:
    """Read a sheet; headers of any FORMATS sheet (Chinese or English alias) become keys.
    Pass `columns` (UNITS, ROSTER, RESULTS) to also require that sheet's columns."""
    frame = _read(source, filename, columns or ())
    if columns:
        return frame
    alias = {c.header: c.key for c in _ALL_COLUMNS}
    return frame.rename({h: alias[h] for h in frame.columns if h in alias})
