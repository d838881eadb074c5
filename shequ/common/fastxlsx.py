"""A list workbook written straight as OOXML: one data sheet (header in row 1, text as
inline strings, dates and numbers as numbers), a 说明 sheet and the core properties.

Whole-scope lists (300,000 roster rows) spend most of XlsxWriter's time in per-cell
Python calls; building each row's XML as one string and deflating at a low level writes
the same workbook several times faster, in constant memory (rows go to the zip stream)."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any
from xml.sax.saxutils import escape

from xlsxwriter.utility import xl_col_to_name

_EPOCH = date(1899, 12, 30).toordinal()
_CTRL = {i: None for i in range(32) if i not in (9, 10, 13)}  # not allowed in XML 1.0

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""
BOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
# Style 0 plain, 1 date, 2 bold header with fill and border.
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFDDE6F0"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>
<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def _text(value: str) -> str:
    return escape(value.translate(_CTRL))


def _cell(ref: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="inlineStr"><is><t>{"是" if value else "否"}</t></is></c>'
    if isinstance(value, datetime):
        serial = value.toordinal() - _EPOCH + (value.hour * 3600 + value.minute * 60 + value.second) / 86400
        return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="1"><v>{value.toordinal() - _EPOCH}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    # Inline strings are always text: nothing here can become a formula.
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(str(value))}</t></is></c>'


def _sheet_head(widths: Sequence[int], landscape: bool, frozen: bool) -> str:
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1))
    pane = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/></sheetView></sheetViews>') if frozen else ""
    fit = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if landscape else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"{fit}{pane}<cols>{cols}</cols><sheetData>")


def _sheet_tail(title: str, landscape: bool) -> str:
    setup = ('<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
             '<pageSetup paperSize="9" orientation="landscape" fitToHeight="0"/>'
             f'<headerFooter><oddHeader>&amp;C&amp;"-,Bold"{_text(title.replace("&", "&&"))}</oddHeader>'
             "<oddFooter>&amp;L制表时间：&amp;D&amp;R第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>") if landscape else ""
    return f"</sheetData>{setup}</worksheet>"


def list_xlsx(
    *, sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], title_lines: Sequence[str],
    notes_sheet: str, widths: Sequence[int], sample: list[Sequence[Any]],
) -> bytes:
    letters = [xl_col_to_name(i) for i in range(len(headers))]
    title = title_lines[0] if title_lines else sheet
    with tempfile.TemporaryFile() as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
            book.writestr("[Content_Types].xml", CONTENT_TYPES)
            book.writestr("_rels/.rels", ROOT_RELS)
            book.writestr("xl/_rels/workbook.xml.rels", BOOK_RELS)
            book.writestr("xl/styles.xml", STYLES)
            book.writestr("xl/workbook.xml", (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                f'<sheet name="{_text(sheet[:31])}" sheetId="1" r:id="rId1"/>'
                f'<sheet name="{_text(notes_sheet)}" sheetId="2" r:id="rId2"/></sheets>'
                f"<definedNames><definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'{_text(sheet[:31])}'!$1:$1"
                "</definedName></definedNames></workbook>"))
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            book.writestr("docProps/core.xml", (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                f"<dc:title>{_text(title)}</dc:title><dc:subject>{_text(sheet)}</dc:subject>"
                f"<dc:description>{_text(chr(10).join(title_lines[1:]))}</dc:description>"
                f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created></cp:coreProperties>'))
            with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                part.write(_sheet_head(widths, True, True).encode())
                head = "".join(f'<c r="{L}1" s="2" t="inlineStr"><is><t>{_text(h)}</t></is></c>'
                               for L, h in zip(letters, headers, strict=True))
                part.write(f'<row r="1">{head}</row>'.encode())
                chunk: list[str] = []
                r = 1
                for row in _chain(sample, rows):
                    r += 1
                    n = str(r)
                    chunk.append(f'<row r="{n}">' + "".join(_cell(L + n, v) for L, v in zip(letters, row, strict=False)) + "</row>")
                    if len(chunk) == 2000:
                        part.write("".join(chunk).encode())
                        chunk.clear()
                part.write("".join(chunk).encode())
                part.write(_sheet_tail(title, True).encode())
            notes = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{_text(line)}</t></is></c></row>'
                            for i, line in enumerate(title_lines, start=1))
            book.writestr("xl/worksheets/sheet2.xml", _sheet_head([80], False, False) + notes + _sheet_tail("", False))
        tmp.seek(0)
        return tmp.read()


def _chain(first: list[Sequence[Any]], rest: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    yield from first
    yield from rest
