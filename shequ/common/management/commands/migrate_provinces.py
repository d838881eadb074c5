"""Migrate every database of a deployment: the national one, then each province's, each in
its own province context so that data migrations write where they migrate."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from shequ.common import provinces


class Command(BaseCommand):
    help = "对全国库和每个省的数据库执行迁移（SHEQU_PROVINCES）"

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options.get("verbosity", 1))
        for alias in [provinces.NATIONAL, *provinces.provinces()]:
            with provinces.use(alias):
                call_command("migrate", database=alias, interactive=False, verbosity=max(verbosity - 1, 0))
                # The login throttle's shared cache lives in each province's own database.
                call_command("createcachetable", database=alias, verbosity=max(verbosity - 1, 0))
            self.stdout.write(f"{provinces.database_label(alias)}：迁移完成")
