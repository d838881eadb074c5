"""E-EXAM applications imported from Excel: staged, every error with row and column in
Chinese, all rows or none; eligibility rejections recorded with their reason."""

from __future__ import annotations

from datetime import date

from shequ.common.excel import xlsx_bytes
from shequ.recruitment.imports import (
    ALREADY_APPLIED,
    BAD_CHOICE,
    BAD_YES_NO,
    DUPLICATE_IN_FILE,
    HEADERS,
    NO_SUCH_POST,
    REQUIRED,
)
from shequ.recruitment.models import Application, AppStatus
from shequ.rules.entry import EDUCATION_BELOW
from shequ.rules.vocab import EDUCATION
from tests.factories import id_number
from tests.recruitment.helpers import announced_plan, applicant, counts


def _sheet(rows):
    return xlsx_bytes(sheet="报名表", headers=HEADERS, rows=rows, ids="as_given")


def _row(name, idn, *, unit="迎宾社区", post="助理", education="本科", cert="无", local="是", vet="否"):
    return [name, idn, unit, post, education, cert, local, vet, "13800000000"]


def _upload(client, plan, content, filename="报名表.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/recruitment/plans/{plan.pk}/import/", {"file": SimpleUploadedFile(filename, content)})


def test_a_clean_sheet_is_committed_whole_with_rejections_and_reasons_e_exam(world, policy_label, client_for):
    plan, _ = announced_plan(world)
    c = client_for(world.street_a_hr)
    rows = [_row("甲", id_number(date(1997, 1, 1))), _row("乙", id_number(date(1998, 1, 1)), education="高中"),
            _row("丙", id_number(date(1999, 1, 1)), cert="助理社会工作师", vet="是")]
    resp = _upload(c, plan, _sheet(rows))
    assert resp.status_code == 302
    preview = c.get(resp["Location"])
    text = preview.content.decode()
    assert "校验通过：3 行" in text and EDUCATION_BELOW.format(min="大专") in text
    assert Application.objects.count() == 0  # staged only
    done = c.post(resp["Location"], {"commit": "1"})
    assert done.status_code == 302
    apps = {a.name: a for a in Application.objects.filter(plan=plan)}
    assert apps["甲"].status == AppStatus.ELIGIBLE
    assert apps["乙"].status == AppStatus.REJECTED
    assert apps["乙"].rejection_reason == EDUCATION_BELOW.format(min="大专")
    assert str(apps["丙"].bonus) == "5.00"


def test_every_error_is_listed_with_row_and_column_and_nothing_is_imported(world, policy_label, client_for):
    plan, _ = announced_plan(world)
    from shequ.recruitment.services import application_create

    existing = applicant("已报")
    application_create(plan=plan, plan_post=plan.posts.get(), data=existing, actor=world.street_a_hr)
    c = client_for(world.street_a_hr)
    dup = id_number(date(1997, 2, 2))
    rows = [
        _row("好人", id_number(date(1997, 1, 1))),
        _row("", dup),                                        # row 3: name missing
        _row("重复", dup),                                     # row 4: same ID as row 3
        _row("错学历", id_number(date(1997, 3, 3)), education="大学"),  # row 5
        _row("错岗位", id_number(date(1997, 4, 4)), post="主管"),       # row 6
        _row("错是否", id_number(date(1997, 5, 5)), vet="也许"),        # row 7
        _row("已报名", existing.id_number),                       # row 8
        _row("坏号码", "110101199001011234"),                     # row 9: check digit
    ]
    before = counts()
    resp = _upload(c, plan, _sheet(rows))
    from shequ.common.models import ImportBatch

    batch = ImportBatch.objects.get(kind="applications")
    errors = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert errors[(3, "姓名")] == REQUIRED
    assert errors[(4, "身份证号")] == DUPLICATE_IN_FILE.format(row=3)
    assert errors[(5, "学历")] == BAD_CHOICE.format(value="大学", choices="、".join(EDUCATION))
    assert errors[(6, "报考岗位")] == NO_SUCH_POST.format(unit="迎宾社区", post="主管")
    assert errors[(7, "退役军人")] == BAD_YES_NO.format(value="也许")
    assert errors[(8, "身份证号")] == ALREADY_APPLIED.format(id_number=existing.id_number, name="已报")
    assert (9, "身份证号") in errors
    assert (2, "姓名") not in errors
    page = c.get(resp["Location"]).content.decode()
    assert "第 4 行" in page and "未导入任何数据" in page
    # the refused batch cannot be committed
    c.post(resp["Location"], {"commit": "1"})
    after = counts()
    assert after["Application"] == before["Application"]
    assert after["Worker"] == before["Worker"]


def test_a_csv_sheet_is_read_too(world, policy_label, client_for):
    plan, _ = announced_plan(world)
    c = client_for(world.street_a_hr)
    body = ",".join(HEADERS) + "\n" + ",".join(_row("甲", id_number(date(1997, 1, 1)))) + "\n"
    resp = _upload(c, plan, body.encode("utf-8-sig"), filename="报名表.csv")
    c.post(resp["Location"], {"commit": "1"})
    assert Application.objects.filter(plan=plan, name="甲").exists()


def test_a_sheet_without_the_required_columns_is_one_clear_error(world, policy_label, client_for):
    plan, _ = announced_plan(world)
    c = client_for(world.street_a_hr)
    _upload(c, plan, xlsx_bytes(sheet="x", headers=["姓名"], rows=[["甲"]]))
    from shequ.common.models import ImportBatch

    [e] = ImportBatch.objects.get(kind="applications").errors
    assert e["message"] == "缺少必填列：身份证号、报考单位、报考岗位、学历"


def test_the_upload_again_link_of_the_preview_returns_to_the_plan(world, policy_label, client_for):
    plan, _ = announced_plan(world)
    c = client_for(world.street_a_hr)
    _upload(c, plan, _sheet([_row("", "x")]))
    resp = c.get("/imports/applications/")
    assert resp["Location"] == f"/recruitment/plans/{plan.pk}/import/"


def test_the_template_has_the_headers_dropdowns_of_the_plan_and_an_example_on_the_instructions(world, policy_label, client_for):
    import io

    import openpyxl
    import python_calamine

    plan, _ = announced_plan(world)
    resp = client_for(world.street_a_hr).get(f"/recruitment/plans/{plan.pk}/import-template.xlsx")
    rows = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(resp.content)).get_sheet_by_index(0).to_python()
    assert rows == [HEADERS]
    book = openpyxl.load_workbook(io.BytesIO(resp.content))
    options = {c[0].value: [x.value for x in c[1:] if x.value] for c in book["选项"].iter_cols()}
    assert options["报考单位"] == ["迎宾社区"] and options["报考岗位"] == ["助理"]
    guide = {r[0]: r[4] for r in book["填写说明"].iter_rows(values_only=True) if r[0] in HEADERS}
    assert (guide["报考单位"], guide["报考岗位"]) == ("迎宾社区", "助理")
    assert client_for(world.street_b_hr).get(f"/recruitment/plans/{plan.pk}/import-template.xlsx").status_code == 404


def test_a_phone_number_longer_than_its_column_is_refused_at_the_preview_e_exam(world, policy_label, client_for):
    """The phone column holds 20 characters; a longer one passed the preview and failed the commit."""
    from shequ.common.imports import TOO_LONG
    from shequ.common.models import ImportBatch

    plan, _ = announced_plan(world)
    c = client_for(world.street_a_hr)
    row = _row("甲", id_number(date(1997, 1, 1)))
    row[-1] = "0431-88886666 转 12345 分机"
    resp = _upload(c, plan, _sheet([row]))
    before = counts()  # after staging, which is audited: the commit must add nothing
    batch = ImportBatch.objects.get(kind="applications")
    assert batch.errors == [{"row": 2, "column": "联系电话",
                             "message": TOO_LONG.format(value=row[-1][:20] + "…", length=len(row[-1]), limit=20)}]
    c.post(resp["Location"], {"commit": "1"})
    assert counts() == before
