"""What shequ.org.locks holds for a writer: its own units exclusively, their ancestors
shared, in one order for everyone (issue 20; STYLE 22)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shequ.common.env import database_from_url
from shequ.org.locks import NOT_IN_TRANSACTION, LockRule, scope_lock, scope_locks


def test_a_community_holds_itself_and_shares_its_street_district_and_city(world: Any) -> None:
    held = scope_locks(rule=LockRule.PAY_RUN, units=[world.community_a1])
    assert held == [(world.city.pk, False), (world.district.pk, False), (world.street_a.pk, False),
                    (world.community_a1.pk, True)]


def test_a_street_and_its_community_meet_on_the_street_where_the_street_holds_it_alone(world: Any) -> None:
    street = dict(scope_locks(rule=LockRule.PAY_RUN, units=[world.street_a]))
    community = dict(scope_locks(rule=LockRule.PAY_RUN, units=[world.community_a1]))
    shared_keys = street.keys() & community.keys()
    assert any(street[k] or community[k] for k in shared_keys)


def test_two_sibling_communities_share_only_ancestors_and_so_never_wait_on_each_other(world: Any) -> None:
    a1 = dict(scope_locks(rule=LockRule.PAY_RUN, units=[world.community_a1]))
    a2 = dict(scope_locks(rule=LockRule.PAY_RUN, units=[world.community_a2]))
    assert not any(a1[k] or a2[k] for k in a1.keys() & a2.keys())


def test_locks_over_several_units_are_taken_root_first_so_no_two_writers_wait_in_a_cycle(world: Any) -> None:
    held = scope_locks(rule=LockRule.QUOTA_PROPOSAL, units=[world.community_b1, world.community_a2, world.street_a])
    depths = [len(type(world.city).objects.get(pk=pk).path) for pk, _ in held]
    assert depths == sorted(depths)
    assert {pk for pk, exclusive in held if exclusive} == {world.community_b1.pk, world.community_a2.pk, world.street_a.pk}


@pytest.mark.django_db(transaction=True)
def test_a_scope_lock_outside_a_transaction_is_a_programming_error(world: Any) -> None:
    with pytest.raises(RuntimeError, match=NOT_IN_TRANSACTION):
        scope_lock(rule=LockRule.PAY_RUN, units=[world.street_a])


def test_sqlite_transactions_take_the_write_lock_when_they_begin_so_writers_queue() -> None:
    """The SQLite half of the guarantee: BEGIN IMMEDIATE serialises whole transactions."""
    assert database_from_url("sqlite:///a.sqlite3", base_dir=Path("/x"))["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_while_a_community_holds_its_lock_a_sibling_proceeds_and_its_street_waits(world: Any) -> None:
    """On PostgreSQL, with another connection holding 迎宾社区's pay-run lock: 槐阳北社区 gets
    its own at once, 槐阳街道 and 迎宾社区 itself wait (here: time out), and a campaign of the
    street (another rule) does not wait at all."""
    import threading

    from django.db import OperationalError, connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite serialises whole transactions")
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                scope_lock(rule=LockRule.PAY_RUN, units=[world.community_a1])
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)

        def acquires(rule: LockRule, unit: Any) -> bool:
            try:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL lock_timeout = '300ms'")
                    scope_lock(rule=rule, units=[unit])
                return True
            except OperationalError:
                return False

        assert acquires(LockRule.PAY_RUN, world.community_a2)
        assert not acquires(LockRule.PAY_RUN, world.street_a)
        assert not acquires(LockRule.PAY_RUN, world.community_a1)
        assert acquires(LockRule.ASSESSMENT_CAMPAIGN, world.street_a)
    finally:
        release.set()
        holder.join(10)
