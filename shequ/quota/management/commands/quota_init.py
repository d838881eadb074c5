"""First approval of every staffed unit's quota from the policy (Q-REV), for a locality
starting on Shequ or a demo: recompute under a unit, propose, approve, in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shequ.accounts.models import User
from shequ.common.provinces import transaction
from shequ.errors import ShequError
from shequ.org.models import Unit
from shequ.quota.services import quota_approve, quota_propose_recomputed


class Command(BaseCommand):
    help = "按政策测算并批准员额（首次核定或示范数据）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--since", required=True, help="生效日期 YYYY-MM-DD")
        parser.add_argument("--actor", required=True, help="审批人用户名（须有 quota.approve 权限）")
        parser.add_argument("--unit", type=int, default=None, help="单位 id（默认：根单位）")
        parser.add_argument("--note", default="首次核定", help="审批意见")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            since = date.fromisoformat(opts["since"])
        except ValueError as exc:
            raise CommandError(f"生效日期格式应为 YYYY-MM-DD：{opts['since']}") from exc
        actor = User.objects.filter(username=opts["actor"]).select_related("unit").first()
        if actor is None:
            raise CommandError(f"没有用户 {opts['actor']}")
        root = (Unit.objects.filter(pk=opts["unit"]).first() if opts["unit"]
                else Unit.objects.filter(parent__isnull=True).order_by("path").first())
        if root is None:
            raise CommandError("没有这个单位")
        try:
            with transaction.atomic():
                result = quota_propose_recomputed(root=root, since=since, actor=actor)
                n = quota_approve(decisions=result.created, actor=actor, note=opts["note"])
        except ShequError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{root.name}：自 {since} 起核定 {n} 个单位的员额；员额不变 {result.unchanged} 个，"
            f"已有待审批 {result.skipped_open} 个，不在政策适用范围 {result.not_covered} 个"
        )
