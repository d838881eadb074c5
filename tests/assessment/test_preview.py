"""Preview before confirming: who moves from what to what, and the monthly cost change by
unit from the engine's pay on the grades before and after. Exports carry scope and year."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from shequ.assessment.compute import campaign_policy, cost_preview, evaluate
from shequ.assessment.services import ScoreEntry, scores_save
from shequ.assessment.tables import EXPORTS
from shequ.rules import pay
from tests.assessment.helpers import bind, campaign, history, read_xlsx
from tests.factories import make_worker


def _one(policy: Any, w: Any, grade: int, on: date) -> float:
    """The engine's pay for one worker, built here independently of the app's frames."""
    years = (on - w.community_work_start).days / 365.25
    df = pl.DataFrame([{"worker_id": w.pk, "post": w.post, "grade": grade, "education": w.education,
                        "certificate": w.certificate, "category": w.category, "sex": w.sex,
                        "birth_date": w.birth_date, "years": years}])
    return float(pay(policy, df, on)["应发合计"][0])


@pytest.fixture
def scored(world: Any) -> Any:
    bind(world, step_every_years=1, excellent_share_cap=1.0)
    up1 = make_worker(world.community_a1, name="甲升", post="助理", grade=3)
    up2 = make_worker(world.community_a2, name="乙升", post="主办", grade=6)
    stay = make_worker(world.community_a2, name="丙不变", post="主办", grade=6)
    fail = make_worker(world.community_a2, name="丁两年不称职", post="助理", grade=2)
    history(fail, {2024: "不称职"})
    c = campaign(world)
    scores_save(campaign=c, actor=world.street_a_hr, entries=[
        ScoreEntry(worker_id=up1.pk, indicators={}, tier="称职"), ScoreEntry(worker_id=up2.pk, indicators={}, tier="优秀"),
        ScoreEntry(worker_id=stay.pk, indicators={}, tier="基本称职"), ScoreEntry(worker_id=fail.pk, indicators={}, tier="不称职"),
        ScoreEntry(worker_id=world.worker_a1.pk, indicators={}, tier="基本称职")])
    return c, {"up1": up1, "up2": up2, "stay": stay, "fail": fail}


def test_preview_shows_who_moves_and_the_monthly_cost_change_by_unit(world: Any, scored: Any) -> None:
    c, w = scored
    ev = evaluate(c)
    on = date(2026, 1, 1)
    policy, _ = campaign_policy(c)
    cost = {r["unit_name"]: r for r in cost_preview(ev, on).by_unit}
    a1 = _one(policy, w["up1"], 4, on) - _one(policy, w["up1"], 3, on)
    a2 = _one(policy, w["up2"], 7, on) - _one(policy, w["up2"], 6, on)
    assert a1 > 0 and a2 > 0
    assert cost["迎宾社区"]["change"] == pytest.approx(a1)
    assert cost["槐阳北社区"]["change"] == pytest.approx(a2)
    assert cost["槐阳北社区"]["dismissal_change"] < 0  # 丁 would leave after the second confirmation
    assert cost["迎宾社区"]["dismissal_change"] == 0
    assert cost["迎宾社区"]["headcount"] == 2 and cost["槐阳北社区"]["headcount"] == 3


def test_preview_page_lists_moves_from_what_to_what(world: Any, client_for: Any, scored: Any) -> None:
    c, w = scored
    page = client_for(world.street_a_hr).get(f"/assessment/{c.pk}/preview/").content.decode()
    assert "甲升" in page and "乙升" in page and "丁两年不称职" in page
    assert "丙不变" not in page.split('id="moves"')[1].split("</table>")[0]
    api = client_for(world.street_a_hr).get(f"/api/v1/assessment/campaigns/{c.pk}/preview").json()
    moves = {m["姓名"]: (m["原等级"], m["新等级"], m["处理"]) for m in api["moves"]}
    assert moves == {"甲升": (3, 4, "晋升一级"), "乙升": (6, 7, "晋升一级"), "丁两年不称职": (2, 2, "解聘")}
    assert api["cost_total"]["change"] == pytest.approx(sum(u["change"] for u in api["cost_by_unit"]))


def test_every_export_prints_scope_and_year_and_reads_back(world: Any, client_for: Any, scored: Any) -> None:
    c, _ = scored
    client = client_for(world.street_a_hr)
    for kind, title in EXPORTS.items():
        r = client.get(f"/assessment/{c.pk}/export/{kind}.xlsx")
        assert r.status_code == 200
        rows = read_xlsx(r.content)
        assert title in rows[0][0] and "2025年度" in rows[0][0], kind
        assert "范围：槐阳街道" in rows[1][0], kind
        assert "考核年度：2025" in rows[2][0], kind
    rows = read_xlsx(client.get(f"/assessment/{c.pk}/export/preview.xlsx").content)
    header = rows[3]
    assert header == ["姓名", "身份证号", "所属单位", "岗位", "考核等次", "原等级", "新等级", "处理"]
    data = {r[0]: r for r in rows[4:]}
    assert (data["甲升"][5], data["甲升"][6], data["甲升"][7]) == (3, 4, "晋升一级")
    results = read_xlsx(client.get(f"/assessment/{c.pk}/export/results.xlsx").content)
    assert {r[0]: r[6] for r in results[4:]} == {"甲升": "称职", "乙升": "优秀", "丙不变": "基本称职", "丁两年不称职": "不称职", "刘少萌": "基本称职"}
    cost = read_xlsx(client.get(f"/assessment/{c.pk}/export/cost.xlsx").content)
    assert cost[-1][0] == "合计"


def test_the_results_export_masks_id_numbers_unless_a_street_hr_asks_and_then_audits_it(world: Any, client_for: Any, scored: Any) -> None:
    """PIPL (issue 20): the assessment results carry ID numbers; masked unless asked by a role with the right."""
    from shequ.common.audit_actions import AuditAction
    from shequ.common.models import AuditEntry
    from shequ.common.pii import mask_id

    c, w = scored
    client = client_for(world.street_a_hr)
    ids = {r[0]: r[1] for r in read_xlsx(client.get(f"/assessment/{c.pk}/export/results.xlsx").content)[4:]}
    assert ids["甲升"] == mask_id(w["up1"].id_number) != w["up1"].id_number
    assert not AuditEntry.objects.filter(action=AuditAction.PII_FULL_IDS).exists()
    ids = {r[0]: r[1] for r in read_xlsx(client.get(f"/assessment/{c.pk}/export/results.xlsx?full_ids=1").content)[4:]}
    assert ids["甲升"] == w["up1"].id_number
    assert AuditEntry.objects.get(action=AuditAction.PII_FULL_IDS).actor == world.street_a_hr
