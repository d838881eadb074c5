"""A street HR works through the careers pages in a browser: fills the reserve pool, sees
a promotion's conditions and promotes, is refused a grid too large and fixes it, proposes
an admission item that the bureau then approves."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.growth.careers.models import AdmissionItem, GridInfo, ReserveCandidate
from shequ.workers.models import EventKind, WorkerEvent
from tests.browser.conftest import login, shot
from tests.factories import id_number, make_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reserve_promotion_grid_and_admission_through_the_pages(world, five_posts, live_server, page):  # noqa: F811
    today = date.today()
    w = make_worker(world.community_a1, name="王五岗", post="五岗", grade=3, education="大专",
                    community_work_start=date(2015, 1, 1), hired_on=date(2015, 1, 1))
    for year in (today.year - 2, today.year - 1):
        WorkerEvent.objects.create(worker=w, kind=EventKind.ASSESSMENT, effective=date(year, 12, 31),
                                   unit=w.unit, data={"year": year, "tier": "优秀"})
    make_worker(world.community_a1, name="将退休", sex="女", post="五岗", birth_date=date(today.year - 50, 1, 1))

    login(page, live_server, "street_a_hr")
    page.goto(f"{live_server.url}/growth/careers/")
    shot(page, "careers-index")

    page.click(".subnav >> text=书记后备人才库")
    page.select_option("#reserve-add select[name=community]", label="槐阳街道 · 迎宾社区")
    page.fill("#reserve-add input[name=name]", "后备甲")
    page.fill("#reserve-add input[name=id_number]", id_number(date(1988, 3, 3)))
    page.click("#reserve-add button[type=submit]")
    page.wait_for_selector("text=已列入后备人才库")
    assert "后备甲" in page.inner_text("#candidates")
    assert page.inner_text("#young-share") == "100.00%"
    shot(page, "careers-reserve")
    assert ReserveCandidate.objects.filter(name="后备甲").exists()

    page.goto(f"{live_server.url}/growth/careers/promotions/")
    assert "王五岗" in page.inner_text("#promotions") and "符合" in page.inner_text("#promotions")
    shot(page, "careers-promotions")
    page.click("#promotions >> text=王五岗")
    page.wait_for_url(f"**/growth/careers/workers/{w.pk}/")
    assert "各项条件均已满足" in page.inner_text("main")
    shot(page, "careers-worker")
    page.click("text=晋升为四岗")
    page.wait_for_selector("text=已晋升岗位")
    w.refresh_from_db()
    assert w.post == "四岗"
    assert "岗位：五岗 → 四岗" in page.inner_text("main")
    shot(page, "careers-worker-promoted")

    page.goto(f"{live_server.url}/growth/careers/grids/")
    page.fill("#grid-add input[name=name]", "第一网格")
    page.fill("#grid-add input[name=households]", "650")
    page.fill("#grid-add input[name=party_org]", "第一网格党支部")
    page.click("#grid-add button[type=submit]")
    page.wait_for_selector(".msg.error")
    assert "网格户数 650 户不在 300—500 户的标准内" in page.inner_text(".messages")
    shot(page, "careers-grid-refused")
    assert not GridInfo.objects.exists()
    page.fill("#grid-add input[name=name]", "第一网格")
    page.fill("#grid-add input[name=households]", "450")
    page.fill("#grid-add input[name=party_org]", "第一网格党支部")
    page.click("#grid-add button[type=submit]")
    page.wait_for_selector("text=已设立网格")
    assert "第一网格党支部" in page.inner_text("#grids")
    shot(page, "careers-grids")

    page.goto(f"{live_server.url}/growth/careers/retirements/")
    assert "将退休" in page.inner_text("#retirements")
    shot(page, "careers-retirements")

    page.goto(f"{live_server.url}/growth/careers/admission/")
    page.fill("#admission-propose input[name=category]", "社会保障")
    page.fill("#admission-propose input[name=title]", "城乡居民医保参保登记")
    page.click("#admission-propose button[type=submit]")
    page.wait_for_selector("text=已提交准入事项，待民政局审批")
    assert "待审批" in page.inner_text("#admission")

    page.context.clear_cookies()
    login(page, live_server, "city_admin")
    page.goto(f"{live_server.url}/growth/careers/admission/")
    page.click("#admission >> button:has-text('准入')")
    page.wait_for_selector("text=已准入")
    assert AdmissionItem.objects.get().status == "approved"
    shot(page, "careers-admission")
