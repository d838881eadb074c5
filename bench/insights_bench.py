"""Insights dashboard benchmark against a loaded database (e.g. `demo_load --workers 300000`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_insights_bench \
        uv run python bench/insights_bench.py --requests 60

Measures, for the city administrator's scope and one street's: the cold computation of the
figures (`compute_figures`, no cache), the parts of it, and the p95 of full page requests
through Django's test client (warm cache, includes the change-stamp lookups and rendering).
The wrk measurement over gunicorn is the scale helper's (bench/web_bench.py on main).
Not a test: speed is measured here, never asserted in the test suite."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=60)
    a = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()
    from django.test import Client
    from django.utils import timezone

    from shequ.accounts.models import User
    from shequ.insights.figures import compute_figures
    from shequ.org.models import STREET_TYPES, Unit
    from shequ.workers.models import Worker
    from shequ.workers.selectors import roster_on

    city = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    street = Unit.objects.filter(unit_type__in=STREET_TYPES).order_by("path").first()
    assert city is not None and street is not None, "load the demo city first"
    on = timezone.localdate()
    print(f"workers: {Worker.objects.count():,}  units: {Unit.objects.count():,}")
    for label, root in [("city", city), ("street", street)]:
        t = time.perf_counter()
        n = roster_on(scope=root, on=on).height
        t_roster = time.perf_counter() - t
        t = time.perf_counter()
        compute_figures(root=root, on=on)
        t_all = time.perf_counter() - t
        print(f"{label:6s} {n:>8,} workers  roster read {t_roster * 1000:8.0f} ms   cold figures {t_all * 1000:8.0f} ms")

    users = {}
    for username, role, unit in [("bench_ins_city", "bureau_admin", city), ("bench_ins_street", "street_hr", street)]:
        users[username], _ = User.objects.update_or_create(username=username, defaults={"role": role, "unit": unit})
    for username, user in users.items():
        client = Client()
        client.force_login(user)
        t = time.perf_counter()
        assert client.get("/insights/").status_code == 200
        first = time.perf_counter() - t
        times = []
        for _ in range(a.requests):
            t = time.perf_counter()
            resp = client.get("/insights/")
            times.append((time.perf_counter() - t) * 1000)
            assert resp.status_code == 200
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{username:18s} first {first * 1000:7.0f} ms   warm p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
