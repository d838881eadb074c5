"""The JSON a WorkerEvent carries in `data`, typed: written by the workers services, read
by anything that reconstructs history (the as-of state in shequ.workers.states, which pay
and insights use). Every key is optional; which ones an event holds depends on its kind."""

from __future__ import annotations

import json
from typing import Any, TypedDict


class EventData(TypedDict, total=False):
    # Field name → value before the change, for the fields the event changed. An as-of
    # read restores these for dates before the event takes effect.
    before: dict[str, Any]
    # Field name → value after the change (for transfers, the unit's name).
    after: dict[str, Any]
    # Transfers: the id of the unit left, so the worker counts there before the transfer.
    from_unit_id: int
    # Exits: the stated reason.
    reason: str


def event_data_from_json(text: str | None) -> EventData:
    """Decode the stored JSON; anything that is not an object reads as no data."""
    doc = json.loads(text) if text else {}
    return doc if isinstance(doc, dict) else {}  # type: ignore[return-value]
