"""A 100,000-row roster sheet through the real staged import (import_stage with
roster_validate, then import_commit with roster_commit), as a city administrator."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import Row, django_setup, write_rows

TARGET_S = 60.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--workers", type=int, default=100_000)
    ap.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--profile", help="write a pyinstrument text profile here")
    ap.add_argument("--out")
    a = ap.parse_args()
    django_setup(a.db)
    from shequ.accounts.models import Role, User
    from shequ.common.imports import import_commit, import_stage
    from shequ.synth import SynthSpec, write_sheets
    from shequ.web.population import population_load
    from shequ.workers.imports import roster_commit, roster_validate
    from shequ.workers.models import Worker

    communities = max(1, round(a.workers / 6))
    # The units of the locality first (no workers), then its roster as a sheet.
    loaded = population_load(spec=SynthSpec(workers=0, communities=communities, seed=a.seed))
    units, roster = SynthSpec(workers=a.workers, communities=communities, seed=a.seed).build()
    admin = User.objects.create_user(username="bench_city_admin", password=None, role=Role.BUREAU_ADMIN, unit=loaded.city)
    with tempfile.TemporaryDirectory() as tmp:
        path = [p for p in write_sheets(units, roster, tmp, a.format) if p.stem == "花名册"][0]
        content = Path(path).read_bytes()

    profiler: Any = None  # cProfile or pyinstrument, whichever was asked for
    if a.profile and a.profile.endswith(".pstats"):
        import cProfile

        # CPU time, not wall time: on a shared machine wall time mostly measures the queue.
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    elif a.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    c0 = time.process_time()
    t0 = time.perf_counter()
    batch = import_stage(kind="roster", filename=path.name, content=content, unit=loaded.city, actor=admin,
                         validate=roster_validate)
    t1 = time.perf_counter()
    if batch.errors:
        raise SystemExit(f"import refused: {len(batch.errors)} errors, first {batch.errors[:3]}")
    batch = import_commit(batch=batch, actor=admin, commit=roster_commit)
    t2 = time.perf_counter()
    cpu = time.process_time() - c0
    if profiler and a.profile.endswith(".pstats"):
        profiler.disable()
        profiler.dump_stats(a.profile)
    elif profiler:
        profiler.stop()
        Path(a.profile).write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
    created = Worker.objects.count()
    assert created == a.workers, (created, a.workers)
    total = t2 - t0
    write_rows(a.out, [Row(
        name=f"roster import ({a.format}, staged: validate + commit)", size=f"{a.workers:,} rows",
        figure=f"{total:.1f} s (validate {t1 - t0:.1f} s, commit {t2 - t1:.1f} s; Python CPU {cpu:.1f} s)",
        target=f"≤ {TARGET_S:.0f} s", met=total <= TARGET_S,
        data={"seconds": total, "stage": t1 - t0, "commit": t2 - t1, "cpu": cpu, "bytes": len(content)},
    )])


if __name__ == "__main__":
    main()
