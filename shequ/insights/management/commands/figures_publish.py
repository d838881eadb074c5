"""Publish a province's S-* counts per unit for the national database to read (ADR 0008)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from shequ.common import provinces
from shequ.insights.nation import unit_figures_publish


class Command(BaseCommand):
    help = "发布本省（或 --all 每个省）各单位的统计数，供全国库读取"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="数据日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--all", action="store_true", help="依次发布 SHEQU_PROVINCES 中的每个省")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = date.fromisoformat(options["on"]) if options.get("on") else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--on 应为 YYYY-MM-DD：“{options['on']}”") from exc
        aliases = provinces.provinces() if options["all"] else [provinces.current()]
        for alias in aliases:
            with provinces.use(alias):
                n = unit_figures_publish(on=on)
            self.stdout.write(f"{provinces.province_name(alias)}：{on} 发布 {n} 个单位的统计数")
