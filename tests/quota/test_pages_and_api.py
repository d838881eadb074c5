"""Quota pages and /api/v1/quota: what each persona sees and may do. Street B's HR never
sees or changes street A's quota (ORG-1), on any page, endpoint or export."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from shequ.quota.models import DecisionStatus, QuotaDecision
from shequ.quota.selectors import quota_in_force
from shequ.quota.services import quota_propose_manual

ON = "2024-06-01"


@pytest.fixture
def proposed(world: Any, bind: Any, approve_quota: Any) -> Any:
    bind("baohe")
    approve_quota(world.community_a1, 3)
    approve_quota(world.community_b1, 2)
    world.proposal_a = quota_propose_manual(unit=world.community_a2, quota=5, since=date(2024, 1, 1),
                                            reason="槐阳北社区新设", actor=world.street_a_hr)
    return world


def _xlsx(response: Any) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("员额台账").to_python()


# ---- pages -------------------------------------------------------------------------------------


def test_the_ledger_page_shows_the_street_with_drill_down_from_the_district(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.city_admin)
    page = c.get(f"/quota/?unit={proposed.district.pk}&on={ON}").content.decode()
    assert "员额台账 · 甲区" in page and f"?unit={proposed.street_a.pk}&on={ON}" in page
    street = c.get(f"/quota/?unit={proposed.street_a.pk}&on={ON}").content.decode()
    assert "迎宾社区" in street and "槐阳北社区" in street and "东门社区" not in street


def test_street_b_hr_sees_only_street_b_in_the_ledger(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.street_b_hr)
    page = c.get(f"/quota/?on={ON}").content.decode()
    assert "东门社区" in page and "迎宾社区" not in page and "槐阳" not in page
    assert c.get(f"/quota/?unit={proposed.street_a.pk}").status_code == 404
    assert c.get(f"/quota/?unit={proposed.district.pk}").status_code == 404


def test_street_b_hr_cannot_export_street_a_and_its_own_export_holds_only_street_b(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.street_b_hr)
    assert c.get(f"/quota/ledger.xlsx?unit={proposed.street_a.pk}&on={ON}").status_code == 404
    rows = _xlsx(c.get(f"/quota/ledger.xlsx?on={ON}"))
    assert "范围：东门街道" in rows[1][0] and "数据日期：2024-06-01" in rows[1][0]
    names = [r[0] for r in rows[3:]]
    assert names == ["东门社区", "合计（东门街道）"]


def test_street_b_hr_cannot_open_street_a_units_quota_page(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.street_b_hr)
    assert c.get(f"/quota/units/{proposed.community_a1.pk}/").status_code == 404
    assert c.get(f"/quota/units/{proposed.community_b1.pk}/").status_code == 200


def test_the_unit_page_shows_the_quota_history_with_its_basis(proposed: Any, bind: Any, client_for: Any) -> None:
    page = client_for(proposed.street_a_hr).get(f"/quota/units/{proposed.community_a2.pk}/").content.decode()
    assert "计算依据" in page and "人工核定 5 名，理由：槐阳北社区新设" in page
    assert "Q-BH 核定员额" in page and "待审批" in page and "尚未核定" in page


def test_street_b_hr_does_not_see_street_a_proposals(proposed: Any, client_for: Any) -> None:
    page = client_for(proposed.street_b_hr).get("/quota/decisions/?status=all").content.decode()
    assert "东门社区" in page and "槐阳北社区" not in page and "迎宾社区" not in page


def test_street_hr_proposes_through_the_form(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.street_b_hr)
    r = c.post("/quota/propose/", {"mode": "manual", "unit": proposed.community_b1.pk, "quota": 4,
                                   "since": "2024-03-01", "reason": "户数增长"})
    assert r.status_code == 302
    d = QuotaDecision.objects.get(unit=proposed.community_b1, status=DecisionStatus.PROPOSED)
    assert d.quota == 4 and d.proposed_by == proposed.street_b_hr


def test_street_hr_cannot_propose_for_another_street_through_the_form(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.street_b_hr)
    r = c.post("/quota/propose/", {"mode": "manual", "unit": proposed.community_a1.pk, "quota": 9,
                                   "since": "2024-03-01", "reason": "越权"})
    assert r.status_code == 200 and "选择一个有效的选项" in r.content.decode()
    r = c.post("/quota/propose/", {"mode": "recompute", "unit": proposed.street_a.pk, "since": "2024-03-01"})
    assert r.status_code == 200
    assert not QuotaDecision.objects.filter(unit=proposed.community_a1, status=DecisionStatus.PROPOSED).exists()


def test_a_manual_proposal_without_reason_shows_the_error_and_saves_nothing(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.street_b_hr)
    r = c.post("/quota/propose/", {"mode": "manual", "unit": proposed.community_b1.pk, "quota": 4,
                                   "since": "2024-03-01", "reason": ""})
    assert r.status_code == 200
    assert not QuotaDecision.objects.filter(unit=proposed.community_b1, status=DecisionStatus.PROPOSED).exists()


def test_recompute_through_the_form_proposes_from_the_policy(proposed: Any, client_for: Any) -> None:
    r = client_for(proposed.street_b_hr).post(
        "/quota/propose/", {"mode": "recompute", "unit": proposed.street_b.pk, "since": "2024-03-01"})
    assert r.status_code == 302
    d = QuotaDecision.objects.get(unit=proposed.community_b1, status=DecisionStatus.PROPOSED)
    assert (d.quota, d.previous_quota) == (19, 2)


def test_q_rev_street_hr_cannot_approve_through_the_page(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.street_a_hr)
    r = c.post("/quota/decisions/decide/", {"ids": [proposed.proposal_a.pk], "action": "approve", "confirmed": "1"})
    assert r.status_code == 403
    assert QuotaDecision.objects.get(pk=proposed.proposal_a.pk).status == DecisionStatus.PROPOSED


def test_q_rev_the_bureau_approves_through_the_page(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.city_admin)
    assert "批准所选" in c.get("/quota/decisions/").content.decode()
    r = c.post("/quota/decisions/decide/", {"ids": [proposed.proposal_a.pk], "action": "approve", "note": "同意", "confirmed": "1"})
    assert r.status_code == 302
    assert quota_in_force(unit=proposed.community_a2, on=date(2024, 1, 1)).quota == 5


def test_the_review_page_lists_due_units_in_scope_only(proposed: Any, client_for: Any) -> None:
    page = client_for(proposed.street_b_hr).get("/quota/review/?on=2026-01-01").content.decode()
    assert "东门社区" in page and "迎宾社区" not in page and "槐阳" not in page


def test_a_secretary_reads_but_cannot_propose(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.secretary_a1)
    assert c.get("/quota/").status_code == 200
    assert c.get("/quota/propose/").status_code == 403


# ---- API ---------------------------------------------------------------------------------------


def test_api_ledger_is_scoped(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.street_b_hr)
    body = c.get(f"/api/v1/quota/ledger?on={ON}").json()
    assert body["unit_name"] == "东门街道" and [r["unit_name"] for r in body["rows"]] == ["东门社区"]
    assert body["rows"][0]["quota"] == 2 and body["rows"][0]["filled"] == 1 and body["rows"][0]["vacant"] == 1
    assert c.get(f"/api/v1/quota/ledger?unit={proposed.street_a.pk}").status_code == 404


def test_api_decisions_are_scoped(proposed: Any, client_for: Any) -> None:
    names = {d["unit_name"] for d in client_for(proposed.street_b_hr).get("/api/v1/quota/decisions").json()}
    assert names == {"东门社区"}
    r = client_for(proposed.street_b_hr).get(f"/api/v1/quota/decisions?unit={proposed.street_a.pk}")
    assert r.status_code == 404


def test_api_propose_manual_and_recompute(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.street_b_hr)
    r = c.post("/api/v1/quota/propose", {"mode": "recompute", "unit": proposed.street_b.pk, "since": "2024-03-01"},
               content_type="application/json")
    assert r.status_code == 201
    body = r.json()
    assert [(d["unit_name"], d["quota"], d["previous_quota"]) for d in body["created"]] == [("东门社区", 19, 2)]
    assert "Q-BH" in body["created"][0]["explanation"]
    r = c.post("/api/v1/quota/propose", {"mode": "manual", "unit": proposed.community_b1.pk, "since": "2024-03-01",
                                         "quota": 3, "reason": "x"}, content_type="application/json")
    assert r.status_code == 400 and "待审批" in r.json()["detail"]


def test_api_propose_for_another_street_is_404_and_saves_nothing(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.street_b_hr)
    r = c.post("/api/v1/quota/propose", {"mode": "manual", "unit": proposed.community_a1.pk, "since": "2024-03-01",
                                         "quota": 30, "reason": "越权"}, content_type="application/json")
    assert r.status_code == 404
    assert QuotaDecision.objects.filter(unit=proposed.community_a1).count() == 1


def test_api_q_rev_street_hr_cannot_approve(proposed: Any, client_for: Any) -> None:
    r = client_for(proposed.street_a_hr).post("/api/v1/quota/approve", {"ids": [proposed.proposal_a.pk]},
                                              content_type="application/json")
    assert r.status_code == 403
    assert QuotaDecision.objects.get(pk=proposed.proposal_a.pk).status == DecisionStatus.PROPOSED


def test_api_approval_of_another_streets_proposal_looks_missing(proposed: Any, client_for: Any, world: Any) -> None:
    from tests.factories import make_user

    bureau_b = make_user("bureau_b", "bureau_admin", proposed.street_b)
    r = client_for(bureau_b).post("/api/v1/quota/approve", {"ids": [proposed.proposal_a.pk]},
                                  content_type="application/json")
    assert r.status_code == 404
    r = client_for(bureau_b).post("/api/v1/quota/reject", {"ids": [proposed.proposal_a.pk], "note": "越权"},
                                  content_type="application/json")
    assert r.status_code == 404
    assert QuotaDecision.objects.get(pk=proposed.proposal_a.pk).status == DecisionStatus.PROPOSED


def test_api_q_rev_the_bureau_approves_and_rejects(proposed: Any, client_for: Any) -> None:
    c = client_for(proposed.city_admin)
    r = c.post("/api/v1/quota/approve", {"ids": [proposed.proposal_a.pk], "note": "同意"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()[0]["status"] == "approved" and r.json()[0]["decided_by"]
    d = quota_propose_manual(unit=proposed.community_b1, quota=9, since=date(2024, 1, 1), reason="多",
                             actor=proposed.street_b_hr)
    r = c.post("/api/v1/quota/reject", {"ids": [d.pk], "note": ""}, content_type="application/json")
    assert r.status_code == 400
    r = c.post("/api/v1/quota/reject", {"ids": [d.pk], "note": "不同意"}, content_type="application/json")
    assert r.status_code == 200 and r.json()[0]["status"] == "rejected"


def test_api_review_is_scoped(proposed: Any, client_for: Any) -> None:
    body = client_for(proposed.street_b_hr).get("/api/v1/quota/review?on=2026-01-01").json()
    assert [i["unit_name"] for i in body["due"]] == ["东门社区"]
    assert body["unset"] == []


def test_a_bureau_user_of_another_street_cannot_decide_street_a_through_the_page(proposed: Any, client_for: Any) -> None:
    from tests.factories import make_user

    bureau_b = make_user("bureau_b", "bureau_admin", proposed.street_b)
    r = client_for(bureau_b).post("/quota/decisions/decide/", {"ids": [proposed.proposal_a.pk], "action": "approve", "confirmed": "1"},
                                  follow=True)
    assert "请选择要审批的员额调整" in r.content.decode()
    assert QuotaDecision.objects.get(pk=proposed.proposal_a.pk).status == DecisionStatus.PROPOSED


def test_rejecting_through_the_page_without_a_note_says_why_and_changes_nothing(proposed: Any, client_for: Any) -> None:
    r = client_for(proposed.city_admin).post(
        "/quota/decisions/decide/", {"ids": [proposed.proposal_a.pk], "action": "reject", "note": ""}, follow=True)
    assert "退回员额调整必须填写意见" in r.content.decode()
    assert QuotaDecision.objects.get(pk=proposed.proposal_a.pk).status == DecisionStatus.PROPOSED


def _sheet(response: Any, name: str) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name(name).to_python()


def test_the_decisions_export_holds_only_the_users_street(proposed: Any, client_for: Any) -> None:
    rows = _sheet(client_for(proposed.street_b_hr).get("/quota/decisions.xlsx?status=all"), "员额调整")
    assert "员额调整（全部）" in rows[0][0] and "范围：东门街道" in rows[1][0]
    assert [r[0] for r in rows[3:]] == ["东门社区"]
    rows = _sheet(client_for(proposed.street_a_hr).get("/quota/decisions.xlsx?status=proposed"), "员额调整")
    assert [(r[0], r[4], r[8]) for r in rows[3:]] == [("槐阳北社区", 5, "槐阳北社区新设")]


def test_the_review_export_holds_only_the_users_street(proposed: Any, client_for: Any) -> None:
    rows = _sheet(client_for(proposed.street_b_hr).get("/quota/review.xlsx?on=2026-01-01"), "员额复核")
    assert "范围：东门街道" in rows[1][0] and "数据日期：2026-01-01" in rows[1][0]
    assert [(r[0], r[1]) for r in rows[3:]] == [("到期应复核", "东门社区")]
    rows = _sheet(client_for(proposed.street_a_hr).get("/quota/review.xlsx?on=2026-01-01"), "员额复核")
    assert {(r[0], r[1]) for r in rows[3:]} == {("到期应复核", "迎宾社区"), ("尚未核定员额", "槐阳街道机关"),
                                                 ("尚未核定员额", "槐阳北社区")}
