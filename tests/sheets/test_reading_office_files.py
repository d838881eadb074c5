"""Reading what offices actually save (issue 13, point 1; FORMATS.md): CSV in UTF-8 with or
without a BOM and in GBK/GB18030, .xls and .ods besides .xlsx, ID numbers Excel turned into
numbers, formulas with and without a saved result, and files that cannot be read."""

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import xlsxwriter

from shequ.rules.policy import load_policy
from shequ.sheets import make_id_number, read_sheet, validate_roster, validate_units
from shequ.sheets.idcard import ID_AS_NUMBER, ID_DIGITS_LOST, TO_TEXT, parse_id_number
from shequ.sheets.io import ENCRYPTED, HTML_AS_XLS, NOT_TEXT, SheetReadError
from shequ.sheets.validate import NEEDED_BY_POLICY

ID1 = make_id_number("222404", dt.date(1985, 3, 2), 1, "男")
ID2 = make_id_number("222404", dt.date(1990, 7, 9), 2, "女")
HEAD = ["姓名", "身份证号", "所属单位", "人员类别", "岗位", "学历", "参加社区工作时间", "职业资格"]
ROWS = [
    ["张𠮷", ID1, "河南社区", "两委成员", "正职", "高中", "2008-05-01", "无"],
    ["李四", ID2, "河南社区", "专职社区工作者", "副职", "本科", "2015-06-01", "社会工作师"],
]


def csv_bytes(head, rows, encoding):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(head)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(head, rows, *, id_as_number=False):
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for j, h in enumerate(head):
        ws.write_string(0, j, h)
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r):
            if head[j] == "身份证号" and id_as_number:
                ws.write_number(i, j, float(v))
            else:
                ws.write_string(i, j, v)
    wb.close()
    return buf.getvalue()


def names_and_ids(frame):
    return list(zip(frame["姓名"].to_list(), frame["身份证号"].to_list(), strict=True))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_a_csv_reads_the_same_in_utf8_with_or_without_bom_and_in_gb18030(encoding):
    frame = read_sheet(csv_bytes(HEAD, ROWS, encoding), "花名册.csv")
    assert names_and_ids(frame) == [("张𠮷", ID1), ("李四", ID2)]
    assert frame["_row"].to_list() == [2, 3]


def test_a_csv_saved_by_chinese_windows_excel_in_gbk_is_detected_without_asking():
    rows = [["王五", ID1, "河南社区", "两委成员", "正职", "高中", "2008-05-01", "无"]]
    data = csv_bytes(HEAD, rows, "gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the file really is not UTF-8
    assert names_and_ids(read_sheet(data, "花名册.csv")) == [("王五", ID1)]


def test_unicode_text_saved_by_excel_reads_as_tab_separated_utf16():
    text = "\r\n".join("\t".join(r) for r in [HEAD, *ROWS])
    frame = read_sheet(text.encode("utf-16"), "花名册.csv")
    assert names_and_ids(frame) == [("张𠮷", ID1), ("李四", ID2)]


def test_a_csv_in_no_known_encoding_gets_a_chinese_message():
    with pytest.raises(SheetReadError) as exc:
        read_sheet(b"\x81\x20\xff\xfe\x00" * 3, "x.csv")
    assert str(exc.value) == NOT_TEXT


def _soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """The roster as LibreOffice saves it in old Excel (.xls) and OpenDocument (.ods)."""
    office = _soffice()
    if not office:
        pytest.skip("LibreOffice (soffice) is not installed")
    d = tmp_path_factory.mktemp("office")
    src = d / "花名册.xlsx"
    src.write_bytes(xlsx_bytes(HEAD, ROWS))
    out: dict[str, Path] = {}
    for fmt in ("xls", "ods"):
        # Own profile directory: another soffice on the machine must not hold the lock.
        subprocess.run(
            [office, f"-env:UserInstallation=file://{d}/profile", "--headless", "--convert-to", fmt,
             "--outdir", str(d), str(src)],
            check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(d)},
        )
        out[fmt] = d / f"花名册.{fmt}"
    return out


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_old_excel_and_opendocument_files_read_like_xlsx(converted, fmt):
    frame = read_sheet(converted[fmt])
    assert names_and_ids(frame) == [("张𠮷", ID1), ("李四", ID2)]
    clean, errors = validate_roster(frame, load_policy("hunchun"))
    assert errors == []
    assert clean["community_work_start"].to_list() == [dt.date(2008, 5, 1), dt.date(2015, 6, 1)]


def test_an_id_number_stored_as_a_number_in_xlsx_says_so_and_how_to_fix_it():
    frame = read_sheet(xlsx_bytes(HEAD, ROWS, id_as_number=True), "花名册.xlsx")
    _, errors = validate_roster(frame, load_policy("hunchun"))
    by_row = {e.row: e for e in errors if e.column == "身份证号"}
    assert set(by_row) == {2, 3}
    assert by_row[2].message == ID_AS_NUMBER.format(text=frame["身份证号"][0])
    assert "科学计数法" in by_row[2].message and TO_TEXT in by_row[2].message
    assert "校验码" not in by_row[2].message


@pytest.mark.parametrize("shown", ["1.10105E+17", "2.22404E+17", "1.10105199003071e17"])
def test_an_id_number_in_scientific_notation_from_a_csv_says_it_was_stored_as_a_number(shown):
    with pytest.raises(ValueError) as exc:
        parse_id_number(shown)
    assert str(exc.value) == ID_AS_NUMBER.format(text=shown.upper())


def test_an_id_number_whose_last_digits_excel_zeroed_says_digits_were_lost():
    # A real number whose zeroed form fails the check digit, as 10 in 11 do.
    real = next(n for seq in range(20) if (n := make_id_number("222404", dt.date(1985, 3, 1 + seq), 7, "男"))
                and not _valid(n[:15] + "000"))
    lost = real[:15] + "000"
    frame = read_sheet(csv_bytes(HEAD, [[ROWS[0][0], lost, *ROWS[0][2:]]], "gb18030"), "花名册.csv")
    _, errors = validate_roster(frame, load_policy("hunchun"))
    assert [e.message for e in errors if e.column == "身份证号"] == [ID_DIGITS_LOST.format(text=lost)]


def _valid(n):
    try:
        parse_id_number(n)
    except ValueError:
        return False
    return True


def test_a_formula_is_read_by_the_value_excel_saved_with_it():
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["单位名称", "单位类型", "户数"])
    ws.write_row(1, 0, ["河南社区", "城市社区"])
    ws.write_formula(1, 2, "=1200+34", None, 1234)
    wb.close()
    frame = read_sheet(buf.getvalue(), "单位表.xlsx")
    assert frame["户数"].to_list() == ["1234"]


def test_a_formula_saved_without_its_value_is_an_error_naming_the_cell_not_a_blank():
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位名称", "单位类型", "户数"])
    ws.append(["河南社区", "城市社区", 1200])
    ws.append(["河北社区", "城市社区", "=C2+10"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(SheetReadError) as exc:
        read_sheet(buf.getvalue(), "单位表.xlsx")
    assert "第 3 行「户数」" in str(exc.value)
    assert "公式" in str(exc.value) and "第 2 行" not in str(exc.value)


def test_a_blank_number_the_policy_needs_is_an_error_never_a_zero():
    # hunchun's base posts come from population bands (Q-HC), the +1s from households.
    frame = read_sheet(csv_bytes(["单位名称", "上级单位", "单位类型", "户数", "常住人口"],
                                 [["河南街道", "", "街道", "", ""], ["河南社区", "河南街道", "城市社区", "", "9000"]], "utf-8"),
                       "单位表.csv")
    clean, errors = validate_units(frame, load_policy("hunchun"))
    assert [(e.row, e.column, e.message) for e in errors] == [
        (3, "户数", NEEDED_BY_POLICY.format(policy="hunchun")),
    ]
    assert clean["households"].to_list() == [None, None]


@pytest.mark.parametrize("data,filename,expected", [
    (b"\x00\x01garbage" * 40, "花名册.xlsx", "无法读取文件「花名册.xlsx」"),
    (b"PK\x03\x04broken zip", "花名册.xlsx", "无法读取文件「花名册.xlsx」"),
    (b"<html><body><table><tr><td>\xe5\xa7\x93\xe5\x90\x8d</td></tr></table></body></html>", "导出.xls",
     HTML_AS_XLS.format(name="导出.xls")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le"), "花名册.xlsx",
     ENCRYPTED.format(name="花名册.xlsx")),
    (b"whatever", "花名册.docx", "不支持的文件类型「.docx」"),
])
def test_an_unreadable_file_gets_a_chinese_message_without_library_text(data, filename, expected):
    with pytest.raises(SheetReadError) as exc:
        read_sheet(data, filename)
    message = str(exc.value)
    assert message.startswith(expected)
    assert not any(ch.isascii() and ch.isalpha() for ch in message.replace(filename, "").replace("Excel", "")
                   .replace("WPS", "").replace("xlsx", "").replace("xls", "").replace("ods", "").replace("csv", "")
                   .replace("HTML", "").replace("docx", ""))
