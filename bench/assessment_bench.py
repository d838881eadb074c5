"""Assessment benchmark: one campaign over N workers with two years of history, on the
database DATABASE_URL names (PostgreSQL for real figures). Times the tier list (engine
`assess`), the cost preview (engine `pay` twice), publishing (A-FILE, bulk) and confirming
(A-STEP, bulk). Not a test: speed is measured here, never asserted.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_assess_bench \
        uv run python bench/assessment_bench.py --n 50000

The database is flushed first: never point it at data you keep.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
os.environ.setdefault("SHEQU_FAST_HASHER", "1")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--communities", type=int, default=0, help="default: one per 25 workers")
    args = ap.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)

    from shequ.accounts.models import User
    from shequ.assessment.compute import cost_preview, evaluate
    from shequ.assessment.models import Result, Score
    from shequ.assessment.services import campaign_confirm, campaign_create, campaign_publish
    from shequ.org.models import Unit, unit_path_segment
    from shequ.workers.models import Worker

    rnd = random.Random(7)

    def unit(name: str, kind: str, parent: Unit | None) -> Unit:
        u = Unit.objects.create(name=name, unit_type=kind, parent=parent, path=f"tmp-{name}", depth=(parent.depth + 1) if parent else 0)
        u.path = (parent.path if parent else "") + unit_path_segment(u.pk)
        u.save(update_fields=["path"])
        return u

    city = unit("基准市", "市", None)
    street = unit("基准街道", "街道", unit("基准区", "区县", city))
    k = args.communities or max(1, args.n // 25)
    communities = [unit(f"社区{i:05d}", "城市社区", street) for i in range(k)]
    actor = User.objects.create_user(username="bench", password="x", role="bureau_admin", unit=city)

    posts = [("主管", 7, 18), ("副主管", 5, 16), ("主办", 3, 14), ("助理", 1, 12)]  # baohe (default policy)
    workers = []
    for i in range(args.n):
        post, lo, hi = posts[rnd.randrange(4)]
        workers.append(Worker(
            name=f"工作者{i}", id_number=f"B{i:017d}", sex="女", birth_date=date(1970 + i % 30, 1, 1),
            unit=communities[i % k], category="专职社区工作者", post=post, education="本科",
            community_work_start=date(2015, 3, 1), certificate="无", grade=rnd.randint(lo, hi), status="active",
        ))
    t0 = time.perf_counter()
    Worker.objects.bulk_create(workers, batch_size=5000)
    ids = list(Worker.objects.values_list("pk", "unit_id"))
    tiers = ["优秀", "称职", "称职", "称职", "基本称职", "不称职"]
    Result.objects.bulk_create(
        [Result(worker_id=w, year=y, tier=rnd.choice(tiers), unit_id=u) for w, u in ids for y in (2023, 2024)], batch_size=5000)
    c = campaign_create(unit=street, year=2025, actor=actor)
    Score.objects.bulk_create(
        [Score(campaign=c, worker_id=w, unit_id=u, score=round(rnd.uniform(50, 100), 2),
               tier_given=rnd.choice(["称职", "称职", "称职", "基本称职", "不称职"])) for w, u in ids], batch_size=5000)
    setup = time.perf_counter() - t0

    rows = []

    def timed(label: str, fn):
        t = time.perf_counter()
        out = fn()
        rows.append((label, time.perf_counter() - t))
        return out

    ev = timed("等次名单（引擎 assess，含历史）", lambda: evaluate(c))
    timed("经费测算（引擎 pay ×2，按单位汇总）", lambda: cost_preview(ev, date(2026, 1, 1)))
    timed("公布结果（Result + 履历 + 审计，批量）", lambda: campaign_publish(campaign=c, actor=actor))
    s = timed("确认结果运用（等级 + 名单 + 履历 + 审计，批量）", lambda: campaign_confirm(campaign=c, actor=actor))

    print(f"数据库：{connection.vendor}　人数：{args.n:,}　社区：{k:,}　准备数据 {setup:.1f} s")
    print(f"结果运用：晋升一级 {s.steps:,}，优先晋升 {s.promote:,}，约谈提醒 {s.warn:,}，拟解聘 {s.dismiss:,}")
    for label, secs in rows:
        print(f"{label:<40} {secs:8.2f} s  {secs / args.n * 1e6:8.1f} µs/人")


if __name__ == "__main__":
    main()
