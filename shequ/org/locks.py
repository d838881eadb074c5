"""Serialise writers whose scopes overlap, for every "one per scope and period" rule
(STYLE 22): a pay run per month, an assessment campaign per year, an open quota proposal
per unit, a unit's vacancies promised to recruitment plans, a street's yearly share of
dispatch conversions (E-DISP), a worker in one conversion batch (E-CONV).

Each rule checks "is there already one above, below or at this unit?" and then inserts.
Without a lock, two transactions can both check before either inserts, and both insert
(a street's run and its community's run for one month, paying the same people twice).
`scope_lock` is taken first, inside the caller's transaction, so that the check and the
insert of one writer happen while every overlapping writer waits.

On PostgreSQL it takes transaction-scoped advisory locks, one key per (rule, unit): the
unit itself exclusively, every ancestor shared. Two writers whose scopes overlap (one unit
is the other's ancestor, or the same unit) then meet on one key where at least one holds it
exclusively, and the second waits until the first commits, when READ COMMITTED lets its
check see the first's row. Siblings share only their ancestors' keys, so they run side by
side. Keys are taken in (depth, id) order, the same total order for every writer, so two
writers never wait on each other in a cycle. The locks end with the transaction.

On SQLite nothing is taken here: the settings open every transaction with BEGIN IMMEDIATE
(`transaction_mode`), which takes the database's single write lock at the start, so a
second writer waits (up to the connection timeout) until the first commits and then runs
its check on the committed data. Writers are serialised as a whole, so no overlap can be
lost between check and insert."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

from shequ.common.provinces import connection
from shequ.org.models import Unit
from shequ.org.paths import path_ids

NOT_IN_TRANSACTION = "scope_lock must run inside the caller's transaction"

# Unit ids fill the low bits of the key, the rule the high ones: rules never block each other.
_UNIT_BITS = 48


class LockRule(IntEnum):
    """Which "one per scope and period" rule a lock guards; a writer of one rule never waits
    on a writer of another."""

    PAY_RUN = 1
    ASSESSMENT_CAMPAIGN = 2
    QUOTA_PROPOSAL = 3
    PLAN_VACANCY = 4
    DISPATCH_SHARE = 5
    CONVERSION_BATCH = 6


def _key(rule: LockRule, unit_id: int) -> int:
    if not 0 < unit_id < 1 << _UNIT_BITS:
        raise ValueError(f"unit id {unit_id} does not fit an advisory lock key")
    return (int(rule) << _UNIT_BITS) | unit_id


def scope_locks(*, rule: LockRule, units: Iterable[Unit]) -> list[tuple[int, bool]]:
    """The (unit id, exclusive) pairs `scope_lock` takes, in the order it takes them."""
    exclusive: set[int] = set()
    depth: dict[int, int] = {}
    for unit in units:
        ids = path_ids(unit.path)
        exclusive.add(ids[-1])
        for d, pk in enumerate(ids):
            depth[pk] = d
    return [(pk, pk in exclusive) for pk in sorted(depth, key=lambda pk: (depth[pk], pk))]


def scope_lock(*, rule: LockRule, units: Iterable[Unit]) -> None:
    """Wait until no other transaction holds an overlapping scope of `rule`, then hold
    `units` (and share their ancestors) until this transaction ends. Call it once per
    transaction, before the rule's check, with every unit the transaction writes for: two
    calls in one transaction no longer follow the one order, and PostgreSQL would break a
    cycle by failing one of the transactions."""
    if not connection.in_atomic_block:
        raise RuntimeError(NOT_IN_TRANSACTION)
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for pk, exclusive in scope_locks(rule=rule, units=units):
            fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
            cursor.execute(f"SELECT {fn}(%s)", [_key(rule, pk)])
