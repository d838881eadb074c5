"""`manage.py purge_staged`: empty staged import batches older than SHEQU_STAGED_IMPORT_DAYS.

Run it daily (cron or a systemd timer); every purged batch gets an audit row."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from shequ.common.imports import import_purge_staged


class Command(BaseCommand):
    help = "清除超过保留期限的待导入数据（其中含身份证号）"

    def handle(self, *args: Any, **opts: Any) -> None:
        n = import_purge_staged()
        self.stdout.write(f"已清除 {n} 个超过 {settings.STAGED_IMPORT_DAYS} 天的导入批次")
