"""Training benchmark: the population-wide growth checks over a generated city in the
database (PostgreSQL via DATABASE_URL, or SQLite).

Loads the demo city (`demo_load`), binds a policy extending baohe with the growth sections,
records attendance for most workers in bulk (sessions of up to 1,000 people, through the
same service the pages use), then times, as the city administrator:
  training_compliance (T-LEVEL), mentoring_coverage (T-MENTOR), rotation_coverage (T-ALL),
  certification_due (T-CERT)  — each a handful of queries plus one Polars pass.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_training_bench \\
        uv run python bench/training_bench.py --workers 20000 --communities 1500

Not a test: speed is measured here, never asserted in the test suite. The database named
in DATABASE_URL is flushed first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

POLICY = """
[policy]
id = "bench-growth"
name = "培训基准测试政策"
source = "bench"
version = "1.0.0"
extends = "baohe"
since = 2020-01-01

[training]
source = "004"
levels = ["市级", "县级", "街道"]
requirements = { "两委正职" = { every_years = 1, min_level = "县级" }, "两委副职" = { every_years = 3, min_level = "街道" }, "两委其他成员" = { every_years = 3, min_level = "街道" }, "一般工作人员" = { every_years = 3, min_level = "街道" } }

[mentoring]
source = "004"
secretary_groups = ["两委正职"]
young_max_age = 35
weak_tiers = ["基本称职", "不称职"]
new_worker_months = 12

[rotation]
assumed = true
min_posts = 3

[certification]
source = "002"
deadline_years = 5
"""


def _time(fn, repeat: int) -> tuple[float, object]:
    runs, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=20000)
    ap.add_argument("--communities", type=int, default=1500)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from shequ.accounts.models import User
    from shequ.growth.training import services
    from shequ.growth.training.certification import certification_due
    from shequ.growth.training.compliance import training_compliance
    from shequ.growth.training.coverage import mentoring_coverage, rotation_coverage
    from shequ.org.models import Unit
    from shequ.policy.services import policy_bind, policy_version_store
    from shequ.workers.models import Worker

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    t = time.perf_counter()
    call_command("demo_load", history=False, communities=args.communities, workers=args.workers, stdout=open(os.devnull, "w"))
    load_s = time.perf_counter() - t
    admin = User.objects.get(username="city_admin")
    city = admin.unit
    assert city is not None
    version = policy_version_store(text=POLICY, actor=admin)
    # After the demo's own binding (2024-01-01), so this one governs from then on.
    policy_bind(unit=city, version=version, since=date(2024, 6, 1), actor=admin)

    district = Unit.objects.filter(parent=city).order_by("path").first()
    county = services.course_create(name="骨干轮训", level="县级", unit=district, hours=Decimal(16), actor=admin)
    street = services.course_create(name="全员培训", level="街道", unit=district, hours=Decimal(4), actor=admin)
    workers = list(Worker.objects.select_related("unit").order_by("pk"))
    t = time.perf_counter()
    recorded = 0
    # Two thirds of the workers attend one session; every fifth attends a second one.
    chosen = [w for i, w in enumerate(workers) if i % 3 != 0] + [w for i, w in enumerate(workers) if i % 5 == 0]
    batches = [chosen[i : i + 1000] for i in range(0, len(chosen), 1000)]
    for n, batch in enumerate(batches):
        course = county if n % 2 == 0 else street
        day = date(2024 + n % 3, 1 + n % 12, 1 + n % 27)
        s = services.session_create(course=course, start=day, end=day, actor=admin)
        seen: set[int] = set()
        lines = [services.AttendanceLine(worker=w) for w in batch if not (w.pk in seen or seen.add(w.pk))]  # type: ignore[func-returns-value]
        recorded += len(services.attendance_record(session=s, lines=lines, actor=admin))
    attend_s = time.perf_counter() - t

    on = date(2026, 11, 1)
    results = {}
    for name, fn in [
        ("training_compliance (T-LEVEL)", lambda: training_compliance(user=admin, root=None, on=on).overdue.height),
        ("mentoring_coverage (T-MENTOR)", lambda: mentoring_coverage(user=admin, root=None, on=on).unpaired.height),
        ("rotation_coverage (T-ALL)", lambda: rotation_coverage(user=admin, root=None, on=on).height),
        ("certification_due (T-CERT)", lambda: certification_due(user=admin, root=None, on=on).workers.height),
    ]:
        results[name] = _time(fn, args.repeat)

    print(f"database: {connection.vendor}; workers: {len(workers):,}; units: {Unit.objects.count():,}")
    print(f"demo_load: {load_s:.1f} s; attendance recorded: {recorded:,} rows in {len(batches)} sessions, {attend_s:.1f} s "
          f"({recorded / attend_s:,.0f} rows/s incl. one TRAINING event and one audit row each)")
    for name, (secs, rows) in results.items():
        print(f"{name:<32} median {secs * 1000:8.0f} ms over {args.repeat} runs  (result rows: {rows:,})")


if __name__ == "__main__":
    main()
