"""`manage.py synth_load --workers N --seed S`: a synthetic locality into the database."""

from __future__ import annotations

from datetime import date
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from shequ.web.population_cli import load


class Command(BaseCommand):
    help = "生成合成的单位和人员并直接写入数据库（PostgreSQL 上用 COPY）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workers", type=int, required=True)
        parser.add_argument("--communities", type=int, default=None)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--city", default="示范市")
        parser.add_argument("--on", type=date.fromisoformat, default=date(2026, 1, 1))
        parser.add_argument("--grids", action="store_true")
        parser.add_argument("--preset", default="baohe", help="绑定在市一级的政策；空字符串表示不绑定")

    def handle(self, *args: Any, **opts: Any) -> None:
        code = load(
            workers=opts["workers"], communities=opts["communities"], seed=opts["seed"], city=opts["city"],
            on=opts["on"], grids=opts["grids"], preset=opts["preset"] or None,
            console=Console(file=cast(IO[str], self.stdout._out)),
        )
        if code:
            raise CommandError("载入失败")
