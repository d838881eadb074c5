"""Start calls at the same instant, each on its own thread and so its own database
connection, and collect what each returned or the message it was refused with."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import connection, connections


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite opens every transaction with BEGIN IMMEDIATE, so writers never overlap; "
                    "run with DATABASE_URL=postgres://... to race real connections")


def run_together(calls: Sequence[Callable[[], Any]], *, refusals: tuple[type[Exception], ...]) -> list[tuple[str, Any]]:
    """("ok", result), ("refused", message) for the expected refusals, ("error", repr) for
    anything else (an IntegrityError is a lost race, not an answer a user can read)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[tuple[str, Any]] = [("missing", None)] * len(calls)

    def one(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(30)
            outcomes[i] = ("ok", call())
        except refusals as exc:
            outcomes[i] = ("refused", str(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
            outcomes[i] = ("error", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return outcomes
