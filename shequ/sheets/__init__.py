"""Sheets users exchange with Shequ (FORMATS.md): read, validate, write. Pure; no Django."""

from shequ.sheets.idcard import make_id_number, parse_id_number
from shequ.sheets.io import (
    READABLE,
    READABLE_TEXT,
    ROW,
    SheetReadError,
    read_records,
    read_sheet,
    write_sheet,
)
from shequ.sheets.validate import (
    SheetError,
    SheetInvalid,
    parse_date,
    validate_results,
    validate_roster,
    validate_units,
)

__all__ = [
    "READABLE", "READABLE_TEXT", "ROW", "SheetError", "SheetInvalid", "SheetReadError", "make_id_number", "parse_date",
    "parse_id_number", "read_records", "read_sheet", "validate_results", "validate_roster", "validate_units",
    "write_sheet",
]
