"""Templates that prevent mistakes (issue 13, point 2): ID number columns stored as text,
dates as dates, a dropdown for every vocabulary column (posts from the governing policy,
所属单位 from the user's own units), a 填写说明 sheet, and no example row on the data sheet."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from shequ.common.excel import INSTRUCTIONS_SHEET, OPTIONS_SHEET
from shequ.policy.selectors import policy_for
from shequ.rules import vocab
from shequ.sheets import read_sheet

pytestmark = pytest.mark.django_db


def _book(client: Any, kind: str) -> openpyxl.Workbook:
    response = client.get(f"/templates/{kind}.xlsx")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _dropdowns(book: openpyxl.Workbook) -> dict[str, list[str]]:
    """Header → the values its list validation offers, read from the options sheet."""
    data = book.worksheets[0]
    options = book[OPTIONS_SHEET]
    headers = [c.value for c in data[1]]
    out: dict[str, list[str]] = {}
    for dv in data.data_validations.dataValidation:
        if dv.type != "list":
            continue
        col = next(iter(dv.sqref.ranges)).min_col
        ref = dv.formula1.split("!")[1].replace("$", "")
        first, last = ref.split(":")
        out[headers[col - 1]] = [c.value for row in options[f"{first}:{last}"] for c in row]
    return out


def _column_format(ws: Any, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return ws.column_dimensions[get_column_letter(col)].number_format


def test_the_roster_template_offers_dropdowns_from_the_vocabularies_policy_and_own_units(world, client_for):
    book = _book(client_for(world.street_a_hr), "roster")
    lists = _dropdowns(book)
    posts = policy_for(unit=world.street_a, on=__import__("datetime").date.today())[0].post_names()
    assert lists["岗位"] == posts
    assert lists["学历"] == list(vocab.EDUCATION)
    assert lists["人员类别"] == list(vocab.CATEGORIES)
    assert lists["职业资格"] == list(vocab.CERTIFICATES)
    assert lists["性别"] == list(vocab.SEXES)
    assert lists["所属单位"] == ["槐阳街道机关", "迎宾社区", "槐阳北社区"]


def test_another_streets_roster_template_lists_only_its_own_units(world, client_for):
    lists = _dropdowns(_book(client_for(world.street_b_hr), "roster"))
    assert lists["所属单位"] == ["东门社区"]


def test_id_numbers_are_text_and_dates_are_dates_in_the_roster_template(world, client_for):
    ws = _book(client_for(world.street_a_hr), "roster").worksheets[0]
    headers = [c.value for c in ws[1]]
    id_col = headers.index("身份证号") + 1
    date_col = headers.index("参加社区工作时间") + 1
    # The format sits on the whole column, so cells typed or pasted later take it.
    assert _column_format(ws, id_col) == "@"
    assert _column_format(ws, date_col) == "yyyy-mm-dd"
    kinds = {headers[next(iter(dv.sqref.ranges)).min_col - 1]: dv.type for dv in ws.data_validations.dataValidation}
    assert kinds["身份证号"] == "textLength" and kinds["参加社区工作时间"] == "date" and kinds["等级"] == "whole"


def test_the_template_has_an_instructions_sheet_and_no_example_row_to_import(world, client_for):
    client = client_for(world.street_a_hr)
    response = client.get("/templates/roster.xlsx")
    frame = read_sheet(response.content, "花名册模板.xlsx")
    assert frame.height == 0  # nothing to delete before filling in
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "花名册" and INSTRUCTIONS_SHEET in book.sheetnames
    assert book[OPTIONS_SHEET].sheet_state == "hidden"
    guide = [[c for c in row if c is not None] for row in book[INSTRUCTIONS_SHEET].iter_rows(values_only=True)]
    text = "\n".join("\t".join(map(str, r)) for r in guide)
    assert "范围：槐阳街道" in text
    header = next(i for i, r in enumerate(guide) if r[:1] == ["列名"])
    assert guide[header] == ["列名", "是否必填", "填写要求", "可选值", "示例"]
    example = {r[0]: r[-1] for r in guide[header + 1:] if len(r) == 5}
    assert example["所属单位"] == "槐阳街道机关"  # a real unit of the user's, not a made-up one
    assert example["岗位"] in policy_for(unit=world.street_a, on=__import__("datetime").date.today())[0].post_names()


def test_the_units_template_offers_unit_types_and_classes(world, client_for):
    lists = _dropdowns(_book(client_for(world.street_a_hr), "units"))
    assert lists == {"单位类型": list(vocab.UNIT_TYPES), "单位类别": list(vocab.UNIT_CLASSES)}


def test_the_training_attendance_template_keeps_id_numbers_as_text(world, client_for):
    ws = _book(client_for(world.street_a_hr), "training_attendance").worksheets[0]
    assert [c.value for c in ws[1]] == ["班次编号", "身份证号", "姓名", "学时"]
    assert _column_format(ws, 2) == "@"
