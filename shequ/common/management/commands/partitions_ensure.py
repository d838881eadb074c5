"""Monthly partitions ahead of the rows (issue 19.3, ADR 0008): run once a month, and with
--since before loading older history, so that no month lands in the DEFAULT partition."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shequ.common import provinces
from shequ.common.partitions import ensure_months, is_partitioned
from shequ.common.provinces import connection

TABLES = ("pay_payline", "common_auditentry")
BAD_MONTH = "--since 应为 YYYY-MM：“{value}”"


def _add_months(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


class Command(BaseCommand):
    help = "为薪酬明细和审计记录建好按月分区（当前省份；--all 每个省）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="从这个月起补建（YYYY-MM），载入更早的历史之前用")
        parser.add_argument("--ahead", type=int, default=24, help="建到今后多少个月（默认 24）")
        parser.add_argument("--all", action="store_true", help="依次处理 SHEQU_PROVINCES 中的每个省")

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options.get("since"):
            try:
                since = date.fromisoformat(options["since"] + "-01")
            except ValueError as exc:
                raise CommandError(BAD_MONTH.format(value=options["since"])) from exc
        through = _add_months(date.today().replace(day=1), options["ahead"])
        for alias in provinces.provinces() if options["all"] else [provinces.current()]:
            with provinces.use(alias), connection.cursor() as cur:
                if connection.vendor != "postgresql":
                    self.stdout.write(f"{provinces.database_label(alias)}：不是 PostgreSQL，无需分区")
                    continue
                for table in TABLES:
                    if not is_partitioned(cur, table):
                        raise CommandError(f"{table} 还没有分区：先运行 migrate")
                    n = ensure_months(cur, table, through=through, since=since)
                    self.stdout.write(f"{provinces.database_label(alias)}：{table} 新建 {n} 个月分区，至 {through:%Y-%m}")
