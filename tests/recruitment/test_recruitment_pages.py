"""The pages of the entry area, step by step, as a street HR uses them; bad input gets a
clear Chinese message and changes nothing."""

from __future__ import annotations

from datetime import date

from shequ.recruitment.exam import SCORE_OUT_OF_RANGE
from shequ.recruitment.models import AppStatus, PlanPost, RecruitmentPlan
from shequ.recruitment.services import DUPLICATE_APPLICATION
from shequ.workers.models import Status, Worker
from tests.factories import id_number, make_worker
from tests.recruitment.helpers import counts, rated_dispatch


def _follow(c, url, data):
    return c.post(url, data, follow=True).content.decode()


def test_a_street_hr_goes_from_plan_to_hire_through_the_pages_e_exam(world, policy_label, client_for):
    c = client_for(world.street_a_hr)
    assert "新建招聘计划" in c.get("/recruitment/").content.decode()
    _follow(c, "/recruitment/plans/new/", {"scope": world.street_a.pk, "title": "槐阳街道2026年招聘"})
    plan = RecruitmentPlan.objects.get()
    page = c.get(f"/recruitment/plans/{plan.pk}/").content.decode()
    assert "迎宾社区（空编 15）" in page
    _follow(c, f"/recruitment/plans/{plan.pk}/posts/", {"unit": world.community_a1.pk, "post": "助理", "places": "1"})
    assert PlanPost.objects.get().places == 1
    page = _follow(c, f"/recruitment/plans/{plan.pk}/announce/", {
        "announcement": "公开招聘社区工作者 1 名", "announced_on": "2026-03-01", "apply_from": "2026-03-01",
        "apply_until": "2026-03-20", "exam_on": "2026-04-10"})
    assert "招聘公告已发布" in page and "公开招聘社区工作者 1 名" in page
    pp = PlanPost.objects.get()
    ids = [id_number(date(1996, 1, 1)), id_number(date(1997, 1, 1))]
    for name, idn in zip(["甲", "乙"], ids, strict=True):
        page = _follow(c, f"/recruitment/plans/{plan.pk}/applications/", {
            "plan_post": pp.pk, "name": name, "id_number": idn, "education": "本科", "certificate": "无",
            "residence_local": "1", "veteran": "0"})
        assert f"{name} 已登记，资格审查通过" in page
    page = _follow(c, f"/recruitment/plans/{plan.pk}/applications/", {
        "plan_post": pp.pk, "name": "甲又", "id_number": ids[0], "education": "本科", "residence_local": "1"})
    assert DUPLICATE_APPLICATION.format(id_number=ids[0], name="甲") in page
    a, b = plan.applications.order_by("id")
    # scores through htmx: the row comes back in place
    row = c.post(f"/recruitment/applications/{a.pk}/scores/", {"written": "80", "interview": "90"}, HTTP_HX_REQUEST="true")
    assert row.content.decode().lstrip().startswith(f'<tr id="app-{a.pk}"')
    c.post(f"/recruitment/applications/{b.pk}/scores/", {"written": "70", "interview": "70"}, HTTP_HX_REQUEST="true")
    page = _follow(c, f"/recruitment/plans/{plan.pk}/publish/", {"published_on": "2026-04-20"})
    assert "已于 2026-04-20 公示" in page
    page = _follow(c, f"/recruitment/applications/{b.pk}/hire/", {"effective": "2026-05-01", "confirmed": "1"})
    assert "不在“迎宾社区 · 助理”招聘 1 人的录用范围内" in page
    page = _follow(c, f"/recruitment/applications/{a.pk}/hire/", {"effective": "2026-05-01", "confirmed": "1"})
    assert "已录用 甲" in page and "试用期至 2026-11-01" in page
    w = Worker.objects.get(name="甲")
    assert w.status == Status.PROBATION
    assert c.get(f"/workers/{w.pk}/").status_code == 200


def test_a_score_out_of_range_in_the_page_shows_the_error_and_changes_nothing(world, policy_label, client_for):
    from tests.recruitment.helpers import announced_plan, apply_and_score

    plan, pp = announced_plan(world)
    [a] = apply_and_score(plan, pp, world.street_a_hr, [("甲", 80, 90)])
    c = client_for(world.street_a_hr)
    before = counts()
    row = c.post(f"/recruitment/applications/{a.pk}/scores/", {"written": "120", "interview": "90"}, HTTP_HX_REQUEST="true")
    assert SCORE_OUT_OF_RANGE.format(what="笔试成绩", value="120", max="100") in row.content.decode()
    assert 'value="120"' in row.content.decode()  # what was typed stays to be corrected
    page = _follow(c, f"/recruitment/applications/{a.pk}/scores/", {"written": "abc", "interview": "90"})
    assert "“笔试成绩”应为数字" in page
    a.refresh_from_db()
    assert (str(a.written), str(a.total)) == ("80.00", "86.00")
    assert counts() == before


def test_places_beyond_the_vacancy_in_the_page_show_the_reason(world, policy_label, client_for):
    c = client_for(world.street_a_hr)
    _follow(c, "/recruitment/plans/new/", {"scope": world.street_a.pk, "title": "计划"})
    plan = RecruitmentPlan.objects.get()
    page = _follow(c, f"/recruitment/plans/{plan.pk}/posts/", {"unit": world.community_a1.pk, "post": "助理", "places": "16"})
    assert "“迎宾社区”空编 15 个" in page
    assert not PlanPost.objects.exists()


def test_the_withdraw_button_names_who_moves_up(world, policy_label, client_for):
    from shequ.recruitment.services import plan_publish
    from tests.recruitment.helpers import announced_plan, apply_and_score

    plan, pp = announced_plan(world, places=1)
    a, b = apply_and_score(plan, pp, world.street_a_hr, [("甲", 80, 90), ("乙", 70, 70)])
    plan_publish(plan=plan, on=date(2026, 4, 20), actor=world.street_a_hr)
    c = client_for(world.street_a_hr)
    page = _follow(c, f"/recruitment/applications/{a.pk}/withdraw/", {"reason": "本人放弃", "effective": "2026-05-01", "confirmed": "1"})
    assert "甲 已放弃，由 乙 递补" in page
    a.refresh_from_db()
    assert a.status == AppStatus.WITHDRAWN
    ranking = c.get(f"/recruitment/plans/{plan.pk}/ranking/").content.decode()
    assert f'action="/recruitment/applications/{b.pk}/hire/"' in ranking
    assert f'action="/recruitment/applications/{a.pk}/hire/"' not in ranking


def test_the_dispatch_page_shows_reasons_and_converts_the_eligible(world, policy_label, client_for):
    for i in range(10):
        rated_dispatch(world.community_a1, name=f"派遣{i}", hired_on=date(2019, 1, 1))
    make_worker(world.community_a1, name="新派遣", category="劳务派遣", hired_on=date.today())
    c = client_for(world.street_a_hr)
    page = c.get("/recruitment/dispatch/").content.decode()
    assert "新派遣" in page and "在本单位工作不满 3 年" in page
    w = Worker.objects.get(name="派遣0")
    page = _follow(c, f"/recruitment/dispatch/{w.pk}/convert/", {"effective": date.today().isoformat()})
    assert "派遣0 已转为专职社区工作者" in page
    n = Worker.objects.get(name="新派遣")
    page = _follow(c, f"/recruitment/dispatch/{n.pk}/convert/", {"effective": date.today().isoformat()})
    assert "未保存：" in page and "在本单位工作不满 3 年" in page
    assert Worker.objects.get(pk=n.pk).category == "劳务派遣"


def test_the_conversion_pages_pick_review_and_confirm_a_batch_e_conv(world, policy_label, client_for):
    people = [make_worker(world.community_a1, name=f"两委{i}", category="两委成员", post="主办") for i in range(3)]
    c = client_for(world.street_a_hr)
    page = c.get("/recruitment/conversions/").content.decode()
    assert all(p.name in page for p in people)
    page = _follow(c, "/recruitment/conversions/new/", {
        "scope": world.street_a.pk, "title": "槐阳第一批", "effective": "2026-01-01", "workers": [p.pk for p in people]})
    assert "已拟定 3 人的岗位和等级" in page and "按岗位和等级统计" in page
    from shequ.recruitment.models import ConversionBatch

    batch = ConversionBatch.objects.get()
    line = batch.lines.first()
    page = _follow(c, f"/recruitment/conversion-lines/{line.pk}/", {"post": "主办", "grade": "9", "reason": ""})
    assert "调整岗位或等级必须填写理由" in page
    page = _follow(c, f"/recruitment/conversion-lines/{line.pk}/", {"post": "主办", "grade": "9", "reason": "任职年限另计"})
    assert "已调整" in page
    page = _follow(c, f"/recruitment/conversions/{batch.pk}/confirm/", {})
    assert "套改已确认：3 人" in page
    assert Worker.objects.get(pk=line.worker_id).grade == 9
