"""Careers benchmark: the population-wide careers reads over a generated city.

Loads the demo city (demo_load) with N workers into the database named by DATABASE_URL
(or SQLite), gives every other community one reserve candidate and every community a
grid, then times, as the city's bureau admin:
  * retirements_due   – who retires in the next 12 months (one Polars pass, C-RETIRE)
  * reserve_by_community – counts, policy minimum and shortfall per community (Q-RESV)
  * reserve_stats     – age and education shares of the pool
  * grid_rows         – every grid with its households in force and the policy range

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_careers_bench \\
        uv run python bench/careers_bench.py --communities 5000 --workers 30000

Not a test: speed is measured here, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")


def _time(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--communities", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=30000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shequ.accounts.models import User
    from shequ.growth.careers import eligibility, selectors
    from shequ.growth.careers.models import GridInfo, ReserveCandidate
    from shequ.org.models import COMMUNITY_TYPES, Unit, UnitFact, unit_path_segment
    from shequ.workers.models import Worker

    call_command("migrate", verbosity=0)
    if not Unit.objects.exists():
        t = time.perf_counter()
        call_command("demo_load", history=False, communities=args.communities, workers=args.workers, verbosity=0)
        print(f"demo_load: {time.perf_counter() - t:.1f} s")
    if not ReserveCandidate.objects.exists():
        communities = list(Unit.objects.filter(unit_type__in=COMMUNITY_TYPES).order_by("pk"))
        workers = {w.unit_id: w for w in Worker.objects.filter(unit__in=communities).order_by("unit_id", "pk")}
        ReserveCandidate.objects.bulk_create([
            ReserveCandidate(community=c, name=w.name, id_number=w.id_number, sex=w.sex, birth_date=w.birth_date,
                             education=w.education, worker=w, added_on=date(2024, 1, 1))
            for i, c in enumerate(communities) if i % 2 == 0 and (w := workers.get(c.pk)) is not None
        ], batch_size=5000)
        grids = Unit.objects.bulk_create([
            Unit(name="第一网格", unit_type="网格", parent=c, path=f"tmp-grid-{c.pk}", depth=c.depth + 1) for c in communities
        ], batch_size=5000)
        for g, c in zip(grids, communities, strict=True):
            g.path = c.path + unit_path_segment(g.pk)
        Unit.objects.bulk_update(grids, ["path"], batch_size=5000)
        UnitFact.objects.bulk_create([UnitFact(unit=g, since=date(2024, 1, 1), households=300 + (g.pk % 250)) for g in grids],
                                     batch_size=5000)
        GridInfo.objects.bulk_create([GridInfo(unit=g, party_org=f"{g.pk}党支部") for g in grids], batch_size=5000)

    admin = User.objects.get(username="city_admin")
    # Two policies in force: the demo's baohe for the city, tongren (a reserve minimum of
    # one per community) for the first district.
    from shequ.policy.models import PolicyBinding
    from shequ.policy.services import policy_bind, policy_version_from_preset

    district = Unit.objects.filter(unit_type="区县").order_by("path").first()
    if district is not None and not PolicyBinding.objects.filter(unit=district).exists():
        policy_bind(unit=district, version=policy_version_from_preset(preset="tongren", actor=admin),
                    since=date(2024, 6, 1), actor=admin)
        # Give that district tongren's posts (助理 → 五岗, the rest → 四岗) and two years of
        # assessment results, so that the promotion check has a population to work on.
        from shequ.workers.models import EventKind, WorkerEvent

        in_district = Worker.objects.filter(unit__path__startswith=district.path)
        in_district.filter(post="助理").update(post="五岗")
        in_district.exclude(post="五岗").update(post="四岗")
        tiers = ["优秀", "称职", "称职", "基本称职"]
        WorkerEvent.objects.bulk_create([
            WorkerEvent(worker_id=pk, unit_id=unit_id, kind=EventKind.ASSESSMENT, effective=date(year, 12, 31),
                        data={"after": {"year": year, "tier": tiers[(pk + year) % 4]}})
            for pk, unit_id in in_district.values_list("pk", "unit_id") for year in (2023, 2024)
        ], batch_size=5000)
    on = date(2025, 7, 1)
    n_workers = Worker.objects.count()
    n_comm = Unit.objects.filter(unit_type__in=COMMUNITY_TYPES).count()
    print(f"database: {connection.vendor}; workers {n_workers:,}; communities {n_comm:,}; "
          f"reserve candidates {ReserveCandidate.objects.count():,}; grids {GridInfo.objects.count():,}")
    rows = [
        ("retirements_due (12 months)", lambda: selectors.retirements_due(user=admin, on=on), lambda r: f"{r.height:,} due"),
        ("reserve_by_community", lambda: selectors.reserve_by_community(user=admin, on=on),
         lambda r: f"{len(r):,} communities, {sum(1 for x in r if x.shortfall):,} short"),
        ("reserve_stats", lambda: selectors.reserve_stats(user=admin, on=on), lambda s: f"{s.young_pct} ≤45, {s.educated_pct} 大专+"),
        ("promotion_candidates", lambda: eligibility.promotion_candidates(user=admin, on=on),
         lambda r: f"{r.height:,} checked, {int(r['eligible'].sum()):,} eligible"),
        ("grid_rows", lambda: selectors.grid_rows(user=admin, on=on), lambda r: f"{len(r):,} grids"),
    ]
    print(f"{'selector':<30} {'median':>9}  result   (runs={args.runs})")
    for name, fn, describe in rows:
        secs, out = _time(fn, args.runs)
        print(f"{name:<30} {secs:>8.3f}s  {describe(out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
