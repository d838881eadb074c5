"""A run goes 草稿 → 已审核 → 已锁定; drafts recompute idempotently; locked runs never change."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from shequ.errors import Forbidden
from shequ.pay import services
from shequ.pay.models import PayLine, PayRun, RunStatus
from tests.pay.conftest import line_of, worker

MARCH = date(2026, 3, 1)


def _lines(run: Any) -> list[tuple]:
    return list(
        PayLine.objects.filter(run=run).order_by("worker_id", "for_month")
        .values_list("worker_id", "kind", "for_month", "gross", "components", "employer_benefits", "grade", "days")
    )


def test_a_draft_recomputes_to_the_same_lines(world: Any, bind: Any, run_month: Any) -> None:
    bind(world.street_a, "hunchun")
    for g in (5, 8, 10):
        worker(world.community_a1, post="正职", grade=g)
    run = run_month(world.street_a, MARCH)
    first = _lines(run)
    again = services.payrun_compute(run=run, actor=world.city_admin)
    assert _lines(again) == first and len(first) == 4  # three + the world's worker_a1
    assert again.headcount == 4


def test_a_draft_recompute_picks_up_a_roster_change(world: Any, bind: Any, run_month: Any) -> None:
    bind(world.street_a, "hunchun")
    w = worker(world.community_a1, post="正职", grade=10, education="高中")
    run = run_month(world.street_a, MARCH)
    w.grade = 11
    w.save()
    run = services.payrun_compute(run=run, actor=world.city_admin)
    assert line_of(run, w).grade == 11


def test_one_run_per_scope_and_month(world: Any, run_month: Any) -> None:
    run = run_month(world.street_a, MARCH)
    again, created = services.payrun_create(unit=world.street_a, month=MARCH, actor=world.street_a_hr)
    assert again.pk == run.pk and created is False
    with pytest.raises(IntegrityError), transaction.atomic():
        PayRun.objects.create(unit=world.street_a, month=MARCH)


def test_a_month_must_be_given_as_its_first_day(world: Any) -> None:
    with pytest.raises(services.PayRunError) as err:
        services.payrun_create(unit=world.street_a, month=date(2026, 3, 5), actor=world.street_a_hr)
    assert str(err.value) == services.NOT_FIRST_DAY.format(month=date(2026, 3, 5))


def test_approve_needs_the_finance_capability(world: Any, run_month: Any) -> None:
    run = run_month(world.street_a, MARCH)
    with pytest.raises(Forbidden) as err:
        services.payrun_approve(run=run, actor=world.street_a_hr)
    assert str(err.value) == services.NEEDS_APPROVER
    run = services.payrun_approve(run=run, actor=world.finance)
    assert run.status == RunStatus.APPROVED and run.approved_by == world.finance


def test_only_an_approved_run_can_be_locked(world: Any, run_month: Any) -> None:
    run = run_month(world.street_a, MARCH)
    with pytest.raises(services.PayRunError) as err:
        services.payrun_lock(run=run, actor=world.finance)
    assert str(err.value) == services.LOCK_NEEDS_APPROVED.format(run=run, status="草稿")


def test_an_approved_run_is_not_recomputed_until_returned_to_draft(world: Any, run_month: Any) -> None:
    run = run_month(world.street_a, MARCH)
    run = services.payrun_approve(run=run, actor=world.finance)
    with pytest.raises(services.PayRunError):
        services.payrun_compute(run=run, actor=world.city_admin)
    run = services.payrun_return(run=run, actor=world.finance)
    assert services.payrun_compute(run=run, actor=world.city_admin).status == RunStatus.DRAFT


def test_a_locked_run_is_never_recomputed_or_deleted(world: Any, run_month: Any, lock: Any) -> None:
    run = lock(run_month(world.street_a, MARCH))
    with pytest.raises(services.PayRunError) as err:
        services.payrun_compute(run=run, actor=world.city_admin)
    assert str(err.value) == services.NOT_DRAFT.format(run=run, status="已锁定")
    with pytest.raises(services.PayRunError) as err:
        services.payrun_delete(run=run, actor=world.city_admin)
    assert str(err.value) == services.LOCKED.format(run=run)


def test_the_database_refuses_to_change_a_line_of_a_locked_run(world: Any, run_month: Any, lock: Any) -> None:
    run = lock(run_month(world.street_a, MARCH))
    line = PayLine.objects.filter(run=run).first()
    assert line is not None
    with pytest.raises(DatabaseError) as err, transaction.atomic():
        PayLine.objects.filter(pk=line.pk).update(gross=1)
    assert "已锁定的薪酬核算不能修改" in str(err.value)
    with pytest.raises(DatabaseError), transaction.atomic():
        PayLine.objects.create(**{**{f.attname: getattr(line, f.attname) for f in PayLine._meta.concrete_fields
                                      if f.attname != "id"}, "for_month": date(2026, 1, 1)})
    assert PayLine.objects.get(pk=line.pk).gross == line.gross


def test_the_database_refuses_to_change_a_locked_run(world: Any, run_month: Any, lock: Any) -> None:
    run = lock(run_month(world.street_a, MARCH))
    with pytest.raises(DatabaseError), transaction.atomic():
        PayRun.objects.filter(pk=run.pk).update(status=RunStatus.DRAFT)
    assert PayRun.objects.get(pk=run.pk).status == RunStatus.LOCKED


@pytest.mark.postgres
def test_the_database_refuses_to_delete_lines_of_a_locked_run_on_postgresql(world: Any, run_month: Any, lock: Any) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE, so a DELETE trigger would break Django's test flush; the service refuses instead")
    run = lock(run_month(world.street_a, MARCH))
    with pytest.raises(DatabaseError), transaction.atomic():
        PayLine.objects.filter(run=run).delete()
    assert PayLine.objects.filter(run=run).exists()


def test_every_state_change_writes_an_audit_row(world: Any, run_month: Any, lock: Any) -> None:
    from shequ.common.models import AuditEntry

    run = lock(run_month(world.street_a, MARCH))
    actions = list(AuditEntry.objects.filter(target_type="pay.payrun", target_id=str(run.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["pay.run.create", "pay.run.compute", "pay.run.approve", "pay.run.lock"]


def test_a_run_snapshots_the_policy_version_and_each_workers_state(world: Any, bind: Any, run_month: Any) -> None:
    version = bind(world.street_a, "hunchun")
    w = worker(world.community_a1, post="正职", grade=10, education="高中", certificate="无")
    run = run_month(world.street_a, MARCH)
    assert run.policies == {version.label: version.digest}
    line = line_of(run, w)
    assert (line.policy_label, line.post, line.grade, line.education, line.certificate) == (
        version.label, "正职", 10, "高中", "无")


def test_a_worker_whose_post_is_not_in_the_policy_stops_the_run_with_their_name(world: Any, bind: Any, run_month: Any) -> None:
    from shequ.pay.compute import UNKNOWN_POSTS, PayComputeError

    version = bind(world.street_a, "hunchun")
    worker(world.community_a2, name="错岗人", post="主管")
    with pytest.raises(PayComputeError) as err:
        run_month(world.street_a, MARCH)
    assert str(err.value) == UNKNOWN_POSTS.format(policy=version.label, who="错岗人（槐阳北社区，主管）")
    assert not PayLine.objects.exists()


def test_a_run_for_a_street_is_refused_when_the_city_already_ran_that_month(world: Any, run_month: Any) -> None:
    run_month(world.city, MARCH)
    with pytest.raises(services.PayRunError) as err:
        services.payrun_create(unit=world.street_a, month=MARCH, actor=world.street_a_hr)
    assert str(err.value) == services.OVERLAPPING_RUN.format(month=MARCH, other="示范市", unit="槐阳街道")


def test_a_run_for_the_city_is_refused_when_a_street_already_ran_that_month(world: Any, run_month: Any) -> None:
    run_month(world.street_b, MARCH, actor=world.street_b_hr)
    with pytest.raises(services.PayRunError) as err:
        services.payrun_create(unit=world.city, month=MARCH, actor=world.city_admin)
    assert str(err.value) == services.OVERLAPPING_RUN.format(month=MARCH, other="东门街道", unit="示范市")
    assert services.payrun_create(unit=world.street_a, month=MARCH, actor=world.street_a_hr)[1] is True
