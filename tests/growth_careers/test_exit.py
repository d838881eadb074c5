"""C-EXIT: resignation, dismissal and retirement end the contract and free the quota
place, each as an event."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.common.scope import ScopeError
from shequ.growth.careers import services
from shequ.workers.models import Contract, EventKind, Worker
from shequ.workers.services import contract_sign
from tests.factories import make_worker

ON = date(2025, 7, 1)


def _with_contract(world, **kw):
    w = make_worker(world.community_a1, **kw)
    contract_sign(worker=w, kind="labour", employer="甲区社工联合会", start=date(2024, 1, 1), end=date(2027, 1, 1),
                  actor=world.street_a_hr)
    return w


@pytest.mark.parametrize("reason,cause", [("辞职", ""), ("解聘", "连续两年考核不称职")])
def test_an_exit_ends_the_contract_and_frees_the_place_c_exit(world, five_posts, reason, cause):
    w = _with_contract(world, name="离开的人", post="五岗")
    before = Worker.objects.filter(unit=world.community_a1).exclude(status="left").count()
    event = services.career_exit(worker=w, reason=reason, on=ON, actor=world.street_a_hr, cause=cause)
    w.refresh_from_db()
    assert (w.status, w.left_on, w.exit_reason) == ("left", ON, reason)
    assert Contract.objects.get(worker=w).ended_on == ON
    assert event.kind == EventKind.EXIT and event.data["reason"] == reason
    assert Worker.objects.filter(unit=world.community_a1).exclude(status="left").count() == before - 1


def test_retirement_at_the_policy_age_is_an_exit_with_the_policy_version_c_exit(world, five_posts):
    w = _with_contract(world, name="到龄", sex="女", post="五岗", birth_date=date(1975, 6, 1))
    event = services.career_exit(worker=w, reason="退休", on=ON, actor=world.street_a_hr)
    assert event.cause == "达到退休年龄 50 周岁" and event.policy_version.startswith("careers-test@1.0.0")
    assert Contract.objects.get(worker=w).end_reason == "退休"


def test_a_dismissal_needs_its_cause_c_exit(world, five_posts):
    w = _with_contract(world, name="待解聘")
    with pytest.raises(services.CareersError) as err:
        services.career_exit(worker=w, reason="解聘", on=ON, actor=world.street_a_hr)
    assert str(err.value) == services.EXIT_CAUSE_REQUIRED
    w.refresh_from_db()
    assert w.status == "active" and Contract.objects.get(worker=w).ended_on is None


def test_an_unknown_way_out_is_refused_c_exit(world, five_posts):
    with pytest.raises(services.CareersError) as err:
        services.career_exit(worker=world.worker_a1, reason="失踪", on=ON, actor=world.street_a_hr)
    assert str(err.value) == services.EXIT_UNKNOWN_REASON.format(reason="失踪", choices="辞职、解聘、退休、选拔任用")


def test_it_refuses_a_street_admin_from_another_street_c_exit(world, five_posts):
    with pytest.raises(ScopeError):
        services.career_exit(worker=world.worker_a1, reason="辞职", on=ON, actor=world.street_b_hr)
    world.worker_a1.refresh_from_db()
    assert world.worker_a1.status == "active"
