"""Quota (核定员额) for 650,000 communities: the engine on synthetic units, and end to end
from the database (read unit facts in force, evaluate)."""

from __future__ import annotations

import argparse
import time
from datetime import date

import polars as pl

from bench.common import Row, django_setup, timed, write_rows

ON = date(2026, 1, 1)
PRESETS = ("baohe", "hunchun")


def engine_rows(communities: int, repeat: int) -> list[Row]:
    from shequ.rules import load_policy, quota
    from shequ.synth import synth_units

    units = synth_units(communities, seed=1)
    rows = []
    for preset in PRESETS:
        policy = load_policy(preset)
        seconds, out = timed(quota, policy, units, ON, repeat=repeat)
        rows.append(Row(
            name=f"quota, engine ({preset})", size=f"{communities:,} communities ({units.height:,} units)",
            figure=f"{seconds:.3f} s", target="", met=None,
            data={"seconds": seconds, "approved": int(out["quota"].sum() or 0)},
        ))
    return rows


def db_rows(url: str) -> list[Row]:
    django_setup(url)
    from shequ.org.models import COMMUNITY_TYPES, Unit
    from shequ.org.selectors import unit_facts_frame
    from shequ.rules import load_policy, quota

    policy = load_policy("baohe")
    started = time.perf_counter()
    frame = unit_facts_frame(units=Unit.objects.all(), on=ON)
    read = time.perf_counter() - started
    out = quota(policy, frame, ON)
    total = time.perf_counter() - started
    communities = out.filter(pl.col("unit_type").is_in(list(COMMUNITY_TYPES))).height
    return [Row(
        name="quota end to end from PostgreSQL (baohe)", size=f"{communities:,} communities ({frame.height:,} units)",
        figure=f"{total:.2f} s (read facts {read:.2f} s, evaluate {total - read:.2f} s)", target="", met=None,
        data={"seconds": total, "read": read},
    )]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--communities", type=int, default=650_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--db", help="DATABASE_URL of a loaded database: measure end to end")
    ap.add_argument("--out")
    a = ap.parse_args()
    write_rows(a.out, db_rows(a.db) if a.db else engine_rows(a.communities, a.repeat))


if __name__ == "__main__":
    main()
