"""A street HR opens the training compliance list, records a secretary's attendance at a
county session and imports a sign-in sheet for another worker; both leave the overdue list
(T-LEVEL)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shequ.growth.training import services
from tests.browser.conftest import login, shot
from tests.factories import make_worker
from tests.growth.training_setup import bind_policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ON = "2026-04-01"


def _overdue(page) -> str:
    return page.inner_text("#overdue")


def _open_compliance(page) -> None:
    page.click("text=培训达标")
    page.fill("input[name=on]", ON)
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("#overdue")


def test_recording_a_session_and_importing_a_sheet_shrink_the_overdue_list_T_LEVEL(world, live_server, page, tmp_path):
    bind_policy(world)
    make_worker(world.community_a1, name="王书记", post="主管", category="两委成员", hired_on=date(2018, 1, 1))
    course = services.course_create(name="社区书记县级轮训", level="县级", unit=world.district, hours=Decimal("16"),
                                    actor=world.city_admin)
    session = services.session_create(course=course, start=date(2026, 3, 2), end=date(2026, 3, 3), place="区委党校",
                                      actor=world.city_admin)

    login(page, live_server, "street_a_hr")
    page.click("nav.areas >> text=培训")
    page.wait_for_selector("text=培训达标情况")
    shot(page, "growth-hub")
    _open_compliance(page)
    before = _overdue(page)
    assert "王书记" in before and "刘少萌" in before and "宋大哥" not in before
    assert page.inner_text("#overdue-count") == "2"
    shot(page, "training-compliance-before")

    page.click("text=培训班次")
    page.click(f"#sessions >> text={course.name}")
    page.wait_for_selector("#attend-form")
    page.select_option("select[name=workers]", label=next(
        o for o in page.locator("select[name=workers] option").all_inner_texts() if o.startswith("王书记")))
    page.click("#attend-form button[type=submit]")
    page.wait_for_selector("#attendance >> text=王书记")
    shot(page, "training-session-recorded")

    _open_compliance(page)
    after = _overdue(page)
    assert "王书记" not in after and "刘少萌" in after
    assert page.inner_text("#overdue-count") == "1"
    shot(page, "training-compliance-after-entry")

    sheet = tmp_path / "签到表.csv"
    sheet.write_text(f"班次编号,身份证号,姓名,学时\n{session.pk},{world.worker_a1.id_number},刘晓萌,8\n", encoding="utf-8-sig")
    page.click("text=培训班次")
    page.click("text=导入培训签到表")
    page.set_input_files("input[type=file]", str(sheet))
    page.click("text=上传并校验")
    errors = page.inner_text("#import-errors")
    assert "第 2 行" in errors and "姓名" in errors and "刘晓萌" in errors
    shot(page, "training-import-errors")

    sheet.write_text(sheet.read_text(encoding="utf-8-sig").replace("刘晓萌", "刘少萌"), encoding="utf-8-sig")
    page.click("a:has-text('重新上传')")
    page.set_input_files("input[type=file]", str(sheet))
    page.click("text=上传并校验")
    page.click("text=确认导入全部 1 行")
    page.wait_for_selector("#sessions")

    _open_compliance(page)
    assert page.inner_text("#overdue-count") == "0"
    assert "没有逾期未培训的人员" in _overdue(page)
    shot(page, "training-compliance-after-import")
