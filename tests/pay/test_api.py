"""/api/v1/pay: the same rules and the same scope as the pages."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from shequ.pay.models import PayRun, RunStatus
from tests.pay.conftest import worker

JAN = date(2026, 1, 1)


@pytest.fixture
def street_a_run(world: Any, bind: Any, run_month: Any) -> Any:
    bind(world.street_a, "hunchun")
    world.head = worker(world.community_a1, name="金书记", post="正职", grade=10, education="高中")
    return run_month(world.street_a, JAN, actor=world.street_a_hr)


def test_street_hr_creates_and_reads_a_run_through_the_api(world: Any, bind: Any, client_for: Any) -> None:
    bind(world.street_a, "hunchun")
    head = worker(world.community_a1, name="金书记", post="正职", grade=10, education="高中")
    c = client_for(world.street_a_hr)
    r = c.post("/api/v1/pay/runs", {"unit": world.street_a.pk, "month": "2026-01"}, content_type="application/json")
    assert r.status_code == 200, r.content
    run = r.json()
    assert run["status"] == "draft" and run["headcount"] == 2 and run["components"][:2] == ["岗位工资", "级别工资"]
    lines = c.get(f"/api/v1/pay/runs/{run['id']}/lines").json()
    assert {x["worker_name"] for x in lines} == {"金书记", world.worker_a1.name}
    slip = c.get(f"/api/v1/pay/runs/{run['id']}/payslips/{head.pk}").json()
    assert slip["gross"] == 4700 and any("P-BASE" in b for b in slip["basis"])
    summary = c.get(f"/api/v1/pay/runs/{run['id']}/summary").json()
    assert summary["headcount"] == 2 and summary["units"][0]["unit_name"] == "迎宾社区"


def test_posting_the_same_month_again_returns_the_same_run(world: Any, street_a_run: Any, client_for: Any) -> None:
    r = client_for(world.street_a_hr).post("/api/v1/pay/runs", {"unit": world.street_a.pk, "month": "2026-01"},
                                           content_type="application/json")
    assert r.json()["id"] == street_a_run.pk
    assert PayRun.objects.count() == 1


def test_a_bad_month_gets_400_with_a_chinese_message(world: Any, client_for: Any) -> None:
    from shequ.pay.selectors import BAD_MONTH

    r = client_for(world.street_a_hr).post("/api/v1/pay/runs", {"unit": world.street_a.pk, "month": "2026/13"},
                                           content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"] == BAD_MONTH.format(value="2026/13")


def test_finance_approves_and_locks_through_the_api_and_street_hr_cannot(world: Any, street_a_run: Any, client_for: Any) -> None:
    base = f"/api/v1/pay/runs/{street_a_run.pk}"
    assert client_for(world.street_a_hr).post(base + "/approve").status_code == 403
    c = client_for(world.finance)
    assert c.post(base + "/approve").json()["status"] == "approved"
    assert c.post(base + "/lock").json()["status"] == "locked"
    r = c.post(base + "/return")
    assert r.status_code == 400 and "只有已审核的核算可以退回" in r.json()["detail"]
    assert PayRun.objects.get(pk=street_a_run.pk).status == RunStatus.LOCKED


def test_the_api_export_is_the_finance_sheet(world: Any, street_a_run: Any, client_for: Any) -> None:
    r = client_for(world.finance).get(f"/api/v1/pay/runs/{street_a_run.pk}/export")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert "范围：槐阳街道" in rows[1][0] and rows[3][6] == "岗位工资"


@pytest.mark.parametrize("method,path", [
    ("get", "/api/v1/pay/runs/{run}"),
    ("get", "/api/v1/pay/runs/{run}/lines"),
    ("get", "/api/v1/pay/runs/{run}/summary"),
    ("get", "/api/v1/pay/runs/{run}/payslips/{worker}"),
    ("get", "/api/v1/pay/runs/{run}/export"),
    ("post", "/api/v1/pay/runs/{run}/compute"),
])
def test_street_b_hr_gets_404_for_street_a_runs(world: Any, street_a_run: Any, client_for: Any, method: str, path: str) -> None:
    c = client_for(world.street_b_hr)
    r = getattr(c, method)(path.format(run=street_a_run.pk, worker=world.head.pk))
    assert r.status_code == 404


def test_street_b_hr_cannot_create_a_run_for_street_a(world: Any, client_for: Any) -> None:
    r = client_for(world.street_b_hr).post("/api/v1/pay/runs", {"unit": world.street_a.pk, "month": "2026-01"},
                                           content_type="application/json")
    assert r.status_code == 404 and not PayRun.objects.exists()


def test_street_b_hr_lists_only_street_b_runs(world: Any, street_a_run: Any, run_month: Any, client_for: Any) -> None:
    run_month(world.street_b, JAN, actor=world.street_b_hr)
    names = {r["unit_name"] for r in client_for(world.street_b_hr).get("/api/v1/pay/runs").json()}
    assert names == {"东门街道"}


def test_finance_at_a_street_cannot_approve_another_streets_run(world: Any, street_a_run: Any, client_for: Any) -> None:
    from tests.factories import make_user

    finance_b = make_user("finance_b", "finance", world.street_b)
    r = client_for(finance_b).post(f"/api/v1/pay/runs/{street_a_run.pk}/approve")
    assert r.status_code == 404
    assert PayRun.objects.get(pk=street_a_run.pk).status == RunStatus.DRAFT


def test_finance_at_a_street_cannot_approve_via_the_service_either(world: Any, street_a_run: Any) -> None:
    from shequ.common.scope import ScopeError
    from shequ.pay.services import payrun_approve
    from tests.factories import make_user

    finance_b = make_user("finance_b2", "finance", world.street_b)
    with pytest.raises(ScopeError):
        payrun_approve(run=street_a_run, actor=finance_b)
