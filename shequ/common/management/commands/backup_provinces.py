"""One pg_dump per database of the deployment: the national one and each province's, each a
file of its own, so that a province restores (or hands over) its data alone (ADR 0008)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from shequ.common import provinces

NOT_POSTGRES = "{name}的数据库不是 PostgreSQL，请直接复制其数据库文件备份"
DUMP_FAILED = "{name}备份失败（pg_dump 退出码 {code}）"


class Command(BaseCommand):
    help = "用 pg_dump 分别备份全国库和每个省的数据库（--only 只备份某个省）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", default="var/backups", help="备份文件目录")
        parser.add_argument("--only", help="只备份这个省（别名，如 guizhou）")

    def handle(self, *args: Any, **options: Any) -> None:
        aliases = [provinces.NATIONAL, *provinces.provinces()]
        if options.get("only"):
            if options["only"] not in provinces.provinces():
                raise CommandError(f"--only：“{options['only']}”不是本系统的省份")
            aliases = [options["only"]]
        folder = Path(options["dir"])
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        for alias in aliases:
            cfg = settings.DATABASES[alias]
            name = provinces.database_label(alias)
            if "postgresql" not in cfg["ENGINE"]:
                raise CommandError(NOT_POSTGRES.format(name=name))
            target = folder / f"{alias}-{stamp}.dump"
            env = {**os.environ, "PGPASSWORD": str(cfg.get("PASSWORD") or "")}
            cmd = ["pg_dump", "-Fc", "-h", str(cfg.get("HOST") or "127.0.0.1"), "-p", str(cfg.get("PORT") or 5432),
                   "-U", str(cfg.get("USER") or "postgres"), "-f", str(target), str(cfg["NAME"])]
            code = subprocess.run(cmd, env=env, check=False).returncode
            if code != 0:
                raise CommandError(DUMP_FAILED.format(name=name, code=code))
            self.stdout.write(f"{name}：{target}")
