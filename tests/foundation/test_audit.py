"""Every write goes through a service that writes one audit row with before and after."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.common.models import AuditEntry
from shequ.org.services import FactValues, unit_create, unit_fact_set
from shequ.workers.models import Contract, EventKind
from shequ.workers.services import (
    WorkerData,
    contract_sign,
    worker_create,
    worker_exit,
    worker_transfer,
    worker_update,
)
from tests.factories import id_number

pytestmark = pytest.mark.django_db


def test_it_writes_one_audit_row_with_before_and_after_for_an_edit(world):
    n = AuditEntry.objects.count()
    worker_update(worker=world.worker_a1, changes={"education": "硕士研究生", "phone": "13800000000"},
                  effective=date(2026, 3, 1), actor=world.street_a_hr, cause="学历提升")
    assert AuditEntry.objects.count() == n + 1
    entry = AuditEntry.objects.first()
    assert entry.actor == world.street_a_hr
    assert entry.before == {"education": "本科", "phone": ""}
    assert entry.after == {"education": "硕士研究生", "phone": "13800000000"}
    event = world.worker_a1.events.get()
    assert event.kind == EventKind.EDIT and event.effective == date(2026, 3, 1)


def test_it_writes_nothing_when_an_edit_changes_nothing(world):
    n = AuditEntry.objects.count()
    assert worker_update(worker=world.worker_a1, changes={"education": "本科"}, effective=date(2026, 3, 1),
                         actor=world.street_a_hr, cause="无变化") is None
    assert AuditEntry.objects.count() == n


def test_it_audits_unit_creation_facts_transfer_exit_and_contracts(world):
    n = AuditEntry.objects.count()
    unit = unit_create(name="新社区", unit_type="城市社区", parent=world.street_a, actor=world.street_a_hr)
    unit_fact_set(unit=unit, since=date(2026, 1, 1), actor=world.street_a_hr,
                  values=FactValues(households=1200, population=3000, urban_population=3000))
    worker_transfer(worker=world.worker_a1, to_unit=unit, effective=date(2026, 2, 1), actor=world.street_a_hr, cause="调整")
    contract_sign(worker=world.worker_a1, kind="labour", employer="槐阳街道", start=date(2026, 2, 1), end=None,
                  actor=world.street_a_hr)
    worker_exit(worker=world.worker_a1, on=date(2026, 6, 30), reason="辞职", actor=world.street_a_hr)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[n:])
    assert actions == ["unit.create", "unit.facts", "worker.transfer", "contract.sign", "worker.exit"]
    exit_entry = AuditEntry.objects.get(action="worker.exit")
    assert exit_entry.before["status"] == "active" and exit_entry.after["status"] == "left"
    assert Contract.objects.get(worker=world.worker_a1).ended_on == date(2026, 6, 30)


def test_it_audits_a_hire_in_the_same_transaction_as_the_worker(world):
    worker = worker_create(
        data=WorkerData(name="新人", id_number=id_number(date(1998, 4, 4)), unit=world.community_a1,
                        category="专职社区工作者", post="助理", education="本科",
                        community_work_start=date(2026, 1, 1)),
        effective=date(2026, 1, 1), actor=world.street_a_hr,
    )
    entry = AuditEntry.objects.get(action="worker.create", target_id=str(worker.pk))
    assert entry.after["name"] == "新人" and entry.before is None
    assert worker.events.get().kind == EventKind.HIRE
