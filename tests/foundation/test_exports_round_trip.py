"""The app's own exports (issue 13, points 4, 7 and 8): the roster export reads back through
the roster update import as "no changes", in xlsx and in CSV; the header is in row 1 with
title, scope and date in the workbook properties and a 说明 sheet; text that looks like a
formula is never written as one; every export answers ?format=csv."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shequ.common.excel import NOTES_SHEET, xlsx_bytes
from shequ.common.models import ImportBatch
from shequ.workers.imports import NO_CHANGES
from shequ.workers.models import WorkerEvent
from tests.factories import make_worker

pytestmark = pytest.mark.django_db

EVIL = ['=HYPERLINK("http://example.com","点我")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB"]


def _stage(client, content: bytes, name: str) -> ImportBatch:
    client.post("/imports/roster-update/", {"file": SimpleUploadedFile(name, content)})
    return ImportBatch.objects.latest("pk")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_roster_export_imports_back_as_no_changes(world, client_for, fmt):
    make_worker(world.community_a2, name="王二", post="主办", grade=3, certificate="社会工作师")
    client = client_for(world.street_a_hr)
    # Full numbers, as a clerk updating by sheet asks for them (masked by default; audited).
    url = "/workers/export.xlsx?full_ids=1" + ("&format=csv" if fmt == "csv" else "")
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    batch = _stage(client, content, f"花名册.{fmt}")
    assert batch.errors == [{"row": 1, "column": "", "message": NO_CHANGES.format(n=2)}]
    assert not WorkerEvent.objects.exists()


def test_an_edited_export_imports_back_as_exactly_the_edit(world, client_for):
    client = client_for(world.street_a_hr)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/workers/export.xlsx?full_ids=1").content))
    ws = book.worksheets[0]
    headers = [c.value for c in ws[1]]
    ws.cell(row=2, column=headers.index("学历") + 1, value="硕士研究生")
    buf = io.BytesIO()
    book.save(buf)
    batch = _stage(client, buf.getvalue(), "花名册.xlsx")
    assert batch.status == "ready", batch.errors
    assert [r["changes_text"] for r in batch.rows] == ["学历：本科 → 硕士研究生"]


def test_the_roster_export_has_its_header_in_row_one_and_its_title_in_the_properties(world, client_for):
    response = client_for(world.street_a_hr).get("/workers/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]][:2] == ["姓名", "身份证号"]
    assert book.properties.title == "社区工作者花名册"
    assert "范围：槐阳街道" in book.properties.description
    assert book[NOTES_SHEET]["A2"].value.startswith("范围：槐阳街道")


def test_names_that_look_like_formulas_leave_the_roster_export_as_text(world, client_for):
    for i, name in enumerate(EVIL):
        make_worker(world.community_a1, name=name, birth_date=__import__("datetime").date(1991, 1, 1 + i))
    client = client_for(world.street_a_hr)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/workers/export.xlsx?full_ids=1").content))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = {c.value for c in cells}
    assert set(EVIL) <= names
    response = client.get("/workers/export.xlsx?format=csv&full_ids=1")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    written = {row[0] for row in csv.reader(io.StringIO(text))}
    assert {"'" + n for n in EVIL} <= written
    # ... and reading the CSV back drops the guard: nothing changed.
    batch = _stage(client, text.encode("utf-8"), "花名册.csv")
    assert batch.errors and batch.errors[0]["message"] == NO_CHANGES.format(n=len(EVIL) + 1), [r["changes_text"] for r in batch.rows]


def test_no_export_writes_text_as_a_formula():
    """Every export goes through xlsx_bytes; title lines, headers and cells alike."""
    content = xlsx_bytes(sheet="表", headers=[EVIL[0], "金额"], rows=[[e, -12.5] for e in [*EVIL, "\r回车"]],
                         title_lines=[EVIL[3], "范围：" + EVIL[1]])
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert [c.value for c in cells if c.data_type == "n"] == [-12.5] * (len(EVIL) + 1)


@pytest.mark.parametrize("url", ["/workers/export.xlsx", "/quota/ledger.xlsx"])
def test_exports_answer_with_csv_beside_xlsx(world, client_for, url):
    client = client_for(world.city_admin)
    xlsx = client.get(url)
    if xlsx.status_code == 404:
        pytest.skip(f"{url} is not an export here")
    assert xlsx.status_code == 200
    response = client.get(url + ("&" if "?" in url else "?") + "format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert ".csv" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    first_sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert len(list(csv.reader(io.StringIO(text)))) == first_sheet.max_row


def test_a_list_workbook_reads_back_cell_for_cell():
    """The direct OOXML writer of list exports: text (formula-like, XML-special, control
    characters dropped), dates, numbers and blanks read back as written."""
    import datetime as dt

    from python_calamine import CalamineWorkbook

    rows = [[f"人员{i}", EVIL[i % len(EVIL)] + " & <b>", dt.date(2020, 1, 1) + dt.timedelta(days=i), i, i / 4, None]
            for i in range(3000)]
    content = xlsx_bytes(sheet="花名册", headers=["姓名", "备注", "日期", "序号", "金额", "空"], rows=rows,
                         title_lines=["名单", "范围：某街道"], header_first=True)
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert book.sheet_names == ["花名册", NOTES_SHEET]
    got = book.get_sheet_by_index(0).to_python()
    assert got[0] == ["姓名", "备注", "日期", "序号", "金额", "空"]
    for want, have in zip(rows, got[1:], strict=True):
        assert have[:5] == [want[0], want[1], want[2], want[3], want[4]] and have[5] == ""  # 3 == 3.0
    opened = openpyxl.load_workbook(io.BytesIO(content))
    assert opened.properties.title == "名单" and opened.worksheets[0].print_title_rows.replace("$", "") == "1:1"
