"""One run per scope and month, held by the database: two requests at once give one run."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import pytest
from django.db import connection, connections

from shequ.pay import services
from shequ.pay.models import PayLine, PayRun

MARCH = date(2026, 3, 1)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers on one file lock, so two connections never race; "
                    "run with DATABASE_URL=postgres://... to test the constraint under concurrency")


def _start(unit: Any, actor: Any) -> int:
    """What the 'new run' page does: create (or find) the run, then compute it."""
    try:
        run, _ = services.payrun_create(unit=unit, month=MARCH, actor=actor)
        services.payrun_compute(run=run, actor=actor)
        return run.pk
    finally:
        connections.close_all()


def test_two_requests_at_once_give_one_run_on_postgresql(world: Any, monkeypatch: Any) -> None:
    """The first request inserts and holds its transaction open; the second waits on the
    scope lock (shequ.org.locks) until the first commits, then finds the winner's run."""
    _needs_postgres()
    inserted = threading.Event()
    real_audit = services.audit_record

    def slow_audit(**kw: Any) -> Any:
        if kw.get("action") == "pay.run.create" and not inserted.is_set():
            inserted.set()
            time.sleep(1.0)  # keep the first transaction open while the second inserts
        return real_audit(**kw)

    monkeypatch.setattr(services, "audit_record", slow_audit)
    results: dict[str, Any] = {}

    def first() -> None:
        results["first"] = _start(world.street_a, world.street_a_hr)

    def second() -> None:
        inserted.wait(5)
        results["second"] = _start(world.street_a, world.city_admin)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results["first"] == results["second"]
    assert PayRun.objects.filter(unit=world.street_a, month=MARCH).count() == 1
    # Both computed the same run, one after the other: one line per worker, not two.
    assert PayLine.objects.filter(run_id=results["first"]).count() == 1


def test_two_plain_inserts_at_once_leave_one_row_on_postgresql(world: Any) -> None:
    """Without any service logic, the constraint alone refuses the second insert."""
    _needs_postgres()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def insert() -> None:
        from django.db import IntegrityError, transaction

        try:
            barrier.wait(5)
            with transaction.atomic():
                PayRun.objects.create(unit=world.street_b, month=MARCH)
                time.sleep(0.3)
            outcomes.append("created")
        except IntegrityError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=insert) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["created", "refused"]
    assert PayRun.objects.filter(unit=world.street_b, month=MARCH).count() == 1
