"""Grades for workers who have none yet: the engine places them (G-BH, G-TR, G-DL, G-BX)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from shequ.rules import Policy, place

PLACEMENT_INPUTS = ("post", "education", "community_work_start", "certificate", "grade")


def placed_grades(*, policy: Policy, records: list[dict[str, Any]], on: date) -> list[int]:
    """One engine call for all records; a grade already given is kept."""
    if not records:
        return []
    frame = pl.DataFrame(
        {
            "worker_id": list(range(len(records))),
            "post": [r["post"] for r in records],
            "education": [r["education"] for r in records],
            "community_work_start": [r["community_work_start"] for r in records],
            "certificate": [r.get("certificate") or "无" for r in records],
            "grade": [r.get("grade") for r in records],
        },
        schema_overrides={"community_work_start": pl.Date, "grade": pl.Int64},
    )
    return place(policy, frame, on)["grade"].to_list()
