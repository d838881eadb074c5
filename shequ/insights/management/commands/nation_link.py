"""Link the national database to every province's published figures through postgres_fdw."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shequ.common import provinces
from shequ.insights.nation import nation_link


class Command(BaseCommand):
    help = "在全国库上为 SHEQU_PROVINCES 中每个省建外部表（postgres_fdw），只读各省的汇总视图"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            linked = nation_link()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        names = "、".join(provinces.province_name(a) for a in linked) or "（无）"
        self.stdout.write(f"全国库已连接：{names}")
