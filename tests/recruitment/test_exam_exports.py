"""E-EXAM: the published list (公示) and the applications list as Excel, read back."""

from __future__ import annotations

import io
from datetime import date

import python_calamine

from shequ.recruitment.exports import APPLICATION_HEADERS, RANKING_HEADERS
from shequ.recruitment.services import application_create, plan_publish
from tests.recruitment.helpers import announced_plan, applicant, apply_and_score


def _read(content: bytes, sheet: int = 0) -> list[list]:
    return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(sheet).to_python()


def test_the_published_list_prints_scope_and_date_and_ranks_each_post_e_exam(world, policy_label, client_for):
    plan, pp = announced_plan(world, places=1)
    a, b = apply_and_score(plan, pp, world.street_a_hr, [("甲", 80, 90), ("乙", 70, 70)])
    plan_publish(plan=plan, on=date(2026, 4, 20), actor=world.street_a_hr)
    resp = client_for(world.street_a_hr).get(f"/recruitment/plans/{plan.pk}/ranking.xlsx")
    assert resp.status_code == 200
    rows = _read(resp.content)
    assert "公示" in rows[0][0]
    assert "范围：槐阳街道" in rows[1][0] and "数据日期" in rows[1][0]
    assert rows[2][0] == "公示日期：2026-04-20    政策版本：" + policy_label
    assert rows[3] == RANKING_HEADERS
    assert rows[4][:6] == ["迎宾社区", "助理", 1.0, 1.0, "甲", a.id_number[:4] + "*" * 10 + a.id_number[-4:]]
    assert rows[4][9:11] == [86.0, "是"]
    assert rows[5][4] == "乙" and rows[5][10] == "否"


def test_the_applications_list_shows_each_rejection_reason(world, policy_label, client_for):
    plan, pp = announced_plan(world)
    application_create(plan=plan, plan_post=pp, data=applicant("丁", education="高中"), actor=world.street_a_hr)
    rows = _read(client_for(world.street_a_hr).get(f"/recruitment/plans/{plan.pk}/applications.xlsx").content)
    assert rows[2] == APPLICATION_HEADERS
    assert rows[3][0] == "丁" and rows[3][10] == "不通过" and rows[3][11] == "学历低于大专"


def test_the_plans_list_exports(world, policy_label, client_for):
    announced_plan(world)
    rows = _read(client_for(world.street_a_hr).get("/recruitment/plans.xlsx").content)
    assert rows[3][0] == "槐阳街道2026年社区工作者招聘" and rows[3][2] == "已发布公告"
