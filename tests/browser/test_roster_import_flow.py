"""A street HR logs in, opens the roster, imports a sheet with one bad row, sees the error,
fixes it, imports, and finds the worker."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.workers.models import Worker
from tests.browser.conftest import login, shot
from tests.factories import id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "姓名,身份证号,所属单位,人员类别,岗位,学历,参加社区工作时间,职业资格\n"


def test_import_a_sheet_see_the_bad_row_fix_it_and_find_the_worker(world, live_server, page, tmp_path):
    login(page, live_server, "street_a_hr")
    shot(page, "home")
    page.click("text=花名册")
    page.wait_for_selector("#roster")
    assert "刘少萌" in page.inner_text("#roster")
    shot(page, "roster")

    good_id = id_number(date(1996, 6, 6))
    bad_sheet = tmp_path / "花名册.csv"
    bad_sheet.write_text(
        HEADER
        + f"回硕,{good_id},迎宾社区,专职社区工作者,助理,本科,2021-03-01,无\n"
        + f"连苗苗,{id_number(date(1997, 7, 7))},迎宾社区,专职社区工作者,助理,硕士,2021-03-01,无\n",
        encoding="utf-8-sig",
    )
    page.click("text=导入花名册")
    page.set_input_files("input[type=file]", str(bad_sheet))
    page.click("text=上传并校验")
    errors = page.inner_text("#import-errors")
    assert "第 3 行" in errors and "学历" in errors and "硕士" in errors
    shot(page, "import-errors")
    assert not Worker.objects.filter(name="回硕").exists()

    fixed = tmp_path / "花名册-改.csv"
    fixed.write_text(bad_sheet.read_text(encoding="utf-8-sig").replace(",硕士,", ",硕士研究生,"), encoding="utf-8-sig")
    page.click("a:has-text('重新上传')")
    page.set_input_files("input[type=file]", str(fixed))
    page.click("text=上传并校验")
    page.click("text=确认导入全部 2 行")
    page.wait_for_selector("#roster")
    shot(page, "import-done")

    page.fill("input[name=q]", "连苗苗")
    page.click("#roster-filters button[type=submit]")
    page.wait_for_selector("text=连苗苗")
    page.click("#roster >> text=连苗苗")
    page.wait_for_selector("#timeline")
    assert "导入建档" in page.inner_text("#timeline")
    shot(page, "worker")
