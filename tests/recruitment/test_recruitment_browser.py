"""In the browser, a street HR goes from a recruitment plan to a hire: plan, post within
the vacancy, announcement, two applicants, scores (htmx), 公示, hire on probation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shequ.workers.models import Status, Worker
from tests.browser.conftest import login, shot
from tests.factories import id_number
from tests.recruitment.helpers import rated_dispatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_plan_to_hire_in_the_browser_e_exam_e_prob(world, policy_label, live_server, page):
    today = date.today()
    login(page, live_server, "street_a_hr")
    page.click("header >> text=招聘")
    page.fill("input[name=title]", "槐阳街道社区工作者公开招聘")
    page.click("text=新建招聘计划")
    page.wait_for_selector("#add-post")
    page.select_option("#add-post select[name=unit]", label="迎宾社区（空编 15）")
    page.select_option("#add-post select[name=post]", "助理")
    page.fill("#add-post input[name=places]", "20")
    page.click("text=添加/修改岗位")
    assert "空编 15 个" in page.inner_text(".messages")
    shot(page, "recruit-1-places-over-vacancy")
    page.fill("#add-post input[name=places]", "1")
    page.click("text=添加/修改岗位")
    assert "迎宾社区" in page.inner_text("#posts")
    page.fill("#announce input[name=apply_until]", (today + timedelta(days=20)).isoformat())
    page.fill("#announce textarea[name=announcement]", "面向社会公开招聘社区工作者 1 名，报名条件见政策。")
    page.click("text=发布公告")
    page.wait_for_selector("#apply")
    shot(page, "recruit-2-announced")

    for name, birth in (("回硕", date(1997, 6, 6)), ("连苗苗", date(1998, 7, 7))):
        page.fill("#apply input[name=name]", name)
        page.fill("#apply input[name=id_number]", id_number(birth))
        page.click("text=登记报名")
        assert f"{name} 已登记，资格审查通过" in page.inner_text(".messages")
    page.fill("#apply input[name=name]", "高中生")
    page.fill("#apply input[name=id_number]", id_number(date(1999, 1, 1)))
    page.select_option("#apply select[name=education]", "高中")
    page.click("text=登记报名")
    assert "资格审查未通过" in page.inner_text(".messages")

    rows = page.locator("#applications-table tbody tr")
    first = rows.filter(has_text="回硕")
    first.locator("input[name=written]").fill("120")
    first.locator("input[name=interview]").fill("90")
    first.locator("button").click()
    page.wait_for_selector("text=超出范围")
    shot(page, "recruit-3-score-error")
    first = page.locator("#applications-table tbody tr", has_text="回硕")
    first.locator("input[name=written]").fill("82")
    first.locator("button").click()
    page.wait_for_selector("#applications-table tr:has-text('回硕') >> text=86.80")
    second = page.locator("#applications-table tbody tr", has_text="连苗苗")
    second.locator("input[name=written]").fill("75")
    second.locator("input[name=interview]").fill("80")
    second.locator("button").click()
    page.wait_for_selector("#applications-table tr:has-text('连苗苗') >> text=78.00")
    shot(page, "recruit-4-scores")

    page.click("text=排名、公示与录用")
    page.click("text=公示成绩与拟录用名单")
    assert "成绩与拟录用名单已公示" in page.inner_text(".messages")
    shot(page, "recruit-5-published")
    assert "公示期 7 天" in page.inner_text("#publicity")  # E-EXAM: the policy's period
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "recruit-5-published-390")
    page.set_viewport_size({"width": 1366, "height": 800})
    page.locator("table.ranking tr", has_text="回硕").locator("button.hire").click()
    page.wait_for_selector("#confirm")
    assert "占用" in page.inner_text("#confirm") and "员额 1 名" in page.inner_text("#confirm")
    shot(page, "recruit-6-confirm-hire")
    page.click("#confirm-yes")
    msg = page.inner_text(".messages")
    assert "已录用 回硕" in msg and "试用期至" in msg
    shot(page, "recruit-6-hired")
    w = Worker.objects.get(name="回硕")
    assert w.status == Status.PROBATION and w.unit == world.community_a1

    page.locator("table.ranking tr", has_text="回硕").locator("a", has_text="档案").click()
    page.wait_for_selector("text=考试录用")
    shot(page, "recruit-7-worker")


def test_dispatch_conversion_and_a_bulk_conversion_batch_in_the_browser_e_disp_e_conv(world, policy_label, live_server, page):
    from tests.factories import make_worker

    for i in range(10):
        rated_dispatch(world.community_a1, name=f"派遣{i}", hired_on=date(2019, 1, 1))
    rated_dispatch(world.street_a_office, name="机关派遣", hired_on=date(2019, 1, 1))
    posts = [("主管", "本科", date(2006, 3, 1)), ("副主管", "大专", date(2013, 3, 1)), ("主办", "本科", date(2019, 3, 1)),
             ("主办", "高中", date(2010, 3, 1))]
    for i, (post, edu, start) in enumerate(posts):
        make_worker(world.community_a1 if i % 2 else world.community_a2, name=f"两委{i}", category="两委成员", post=post,
                    education=edu, community_work_start=start)
    login(page, live_server, "street_a_hr")
    page.goto(f"{live_server.url}/recruitment/dispatch/")
    assert "不在社区工作" in page.inner_text("#dispatch")
    page.locator("#dispatch tr", has_text="派遣0").locator("button").click()
    assert "派遣0 已转为专职社区工作者" in page.inner_text(".messages")
    shot(page, "recruit-8-dispatch")

    page.click("text=两委成员套改")
    page.locator("#candidates tr", has_text="两委3").locator("input[type=checkbox]").uncheck()
    page.click("text=拟定岗位和等级")
    page.wait_for_selector("#report")
    shot(page, "recruit-9-conversion-provisional")
    row = page.locator("#lines tr", has_text="两委2")
    row.locator("input[name=grade]").fill("6")
    row.locator("input[name=reason]").fill("任社区党委委员，按实际岗位调整")
    row.locator("button", has_text="调整").click()
    assert "已调整 两委2" in page.inner_text(".messages")
    page.locator("#lines tr", has_text="两委0").locator("button", has_text="签订").click()
    assert "两委0 自愿签订劳动合同：是" in page.inner_text(".messages")
    page.click("text=整批确认套改")
    assert "套改已确认：3 人" in page.inner_text(".messages")
    shot(page, "recruit-10-conversion-confirmed")
    assert Worker.objects.get(name="两委2").grade == 6
