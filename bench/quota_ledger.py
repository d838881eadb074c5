"""Benchmark the quota area on a generated city: recompute every staffed unit's quota
through the engine and propose it, approve all in one batch, build the ledger at the top
and export it, and one hire through the admission check.

    createdb -h 127.0.0.1 -U postgres shequ_quota_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_quota_bench \
        uv run python bench/quota_ledger.py --communities 5000 --workers 30000

The database is emptied and reloaded (demo_load) at the start."""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")


@contextmanager
def timed(label: str, results: list[tuple[str, float, str]], note: str = "") -> Any:
    from django.db import connection, reset_queries

    reset_queries()
    t = time.perf_counter()
    yield
    results.append((label, time.perf_counter() - t, note or f"{len(connection.queries)} 条 SQL"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communities", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=30000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = True  # count queries
    from shequ.accounts.models import User
    from shequ.org.models import STAFFED_TYPES, Unit
    from shequ.quota.exports import ledger_xlsx
    from shequ.quota.models import DecisionStatus, QuotaDecision
    from shequ.quota.selectors import ledger
    from shequ.quota.services import QuotaError, quota_approve, quota_propose_recomputed
    from shequ.workers.services import WorkerData, worker_create

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    call_command("demo_load", history=False, communities=args.communities, workers=args.workers, verbosity=0)
    load = time.perf_counter() - t
    admin = User.objects.get(username="admin")
    city = Unit.objects.get(parent__isnull=True)
    staffed = Unit.objects.filter(unit_type__in=STAFFED_TYPES).count()
    on = date(2024, 7, 1)
    results: list[tuple[str, float, str]] = []

    with timed("按政策测算并提出（全市）", results):
        proposed = quota_propose_recomputed(root=city, since=on, actor=admin)
    with timed("批准全部提出", results):
        quota_approve(decisions=proposed.created, actor=admin)
    with timed("员额台账（全市一级）", results):
        top = ledger(user=admin, root=city, on=on)
    with timed("员额台账导出 Excel（全市一级）", results):
        ledger_xlsx(ledger=top)
    street = Unit.objects.filter(unit_type="街道").order_by("path").first()
    assert street is not None
    with timed("员额台账（一个街道）", results):
        ledger(user=admin, root=street, on=on)
    community = Unit.objects.filter(path__startswith=street.path, unit_type="城市社区").order_by("path").first()
    assert community is not None
    data = WorkerData(name="测试", id_number="110101199003071233", unit=community, category="专职社区工作者",
                      post="助理", education="本科", community_work_start=date(2024, 7, 1))
    try:
        with timed("录用一人（含员额检查）", results):
            worker_create(data=data, effective=on, actor=admin)
    except QuotaError as exc:
        results[-1:] = [("录用一人（含员额检查）", float("nan"), f"被拒：{exc}")]

    approved = QuotaDecision.objects.filter(status=DecisionStatus.APPROVED).count()
    print(f"数据库：{connection.vendor}；用人单位 {staffed:,}，人员 {args.workers:,}；载入 {load:.1f} s")
    print(f"提出 {len(proposed.created):,} 项，批准 {approved:,} 项；全市核定员额 {top.total.quota:,}，"
          f"在编 {top.total.filled:,}，空缺 {top.total.vacant:,}，超编 {top.total.over:,}")
    for label, secs, note in results:
        print(f"| {label} | {secs:.2f} s | {note} |")


if __name__ == "__main__":
    main()
