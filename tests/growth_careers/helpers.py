from __future__ import annotations

import io
from typing import Any

from python_calamine import CalamineWorkbook


def read_xlsx(content: bytes, sheet: int | str = 0) -> list[list[Any]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    ws = book.get_sheet_by_index(sheet) if isinstance(sheet, int) else book.get_sheet_by_name(sheet)
    return ws.to_python()
