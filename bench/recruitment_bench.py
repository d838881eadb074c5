"""套改 (E-CONV) benchmark: provisional placement and confirmation of one batch of N 两委
members, through the real services on a real database (SQLite file or PostgreSQL).

    uv run python bench/recruitment_bench.py --n 1087 --n 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_recruit_bench uv run python bench/recruitment_bench.py --n 1087 --n 10000

The database named by DATABASE_URL is wiped and migrated first (default: a file in /tmp).
Not a test: speed is measured here, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/shequ_recruit_bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, action="append", help="batch sizes (default 1087 and 10000)")
    args = parser.parse_args()
    sizes = args.n or [1087, 10000]

    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)

    from shequ.accounts.models import User
    from shequ.org.models import Unit, unit_path_segment
    from shequ.recruitment.conversion import conversion_batch_confirm, conversion_batch_create
    from shequ.workers.models import Worker
    from tests.factories import id_number

    def unit(name: str, kind: str, parent: Unit | None) -> Unit:
        u = Unit.objects.create(name=name, unit_type=kind, parent=parent, path=f"tmp-{name}",
                                depth=parent.depth + 1 if parent else 0)
        u.path = (parent.path if parent else "") + unit_path_segment(u.pk)
        u.save(update_fields=["path"])
        return u

    city = unit("基准市", "市", None)
    district = unit("基准区", "区县", city)
    admin = User.objects.create_user(username="bench", password="x", role="bureau_admin", unit=district)
    posts = ["主管", "副主管", "主办", "主办", "助理"]
    edus = ["高中", "大专", "本科", "大专", "本科", "硕士研究生"]
    print(f"database: {connection.vendor}")
    print("| 人数 | 拟定（一次引擎调用 + 批量写入） | 确认（批量更新 + 履历 + 审计） |")
    print("|---:|---:|---:|")
    for run, n in enumerate(sizes):
        street = unit(f"基准街道{run}", "街道", district)
        communities = [unit(f"社区{run}-{i}", "城市社区", street) for i in range(max(1, n // 7))]
        Worker.objects.bulk_create([
            Worker(name=f"两委{run}-{i}", id_number=id_number(date(1970 + i % 30, 1 + i % 12, 1 + i % 28)),
                   sex="女", birth_date=date(1970 + i % 30, 1 + i % 12, 1 + i % 28), unit=communities[i % len(communities)],
                   category="两委成员", post=posts[i % 5], education=edus[i % 6],
                   community_work_start=date(2000 + i % 24, 3, 1), certificate="无", status="active")
            for i in range(n)
        ], batch_size=5000)
        workers = list(Worker.objects.filter(unit__path__startswith=street.path).select_related("unit"))
        t0 = time.perf_counter()
        batch = conversion_batch_create(scope=street, title=f"基准批次{run}", effective=date(2026, 1, 1), workers=workers,
                                        actor=admin)
        t1 = time.perf_counter()
        conversion_batch_confirm(batch=batch, actor=admin)
        t2 = time.perf_counter()
        print(f"| {n:,} | {t1 - t0:.2f} s | {t2 - t1:.2f} s |")


if __name__ == "__main__":
    main()
