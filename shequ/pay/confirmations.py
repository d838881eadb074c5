"""What locking a pay run will do, in numbers, before finance confirms."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.urls import reverse

from shequ.accounts.types import AuthedRequest
from shequ.common.confirm import Consequences
from shequ.pay.models import LineKind, RunStatus
from shequ.pay.selectors import payline_list, payrun_get


def lock_consequences(request: AuthedRequest, pk: int) -> Consequences | None:
    run = payrun_get(user=request.user, pk=pk)
    if run.status != RunStatus.APPROVED:
        return None  # the view says why it cannot be locked
    by_kind = {r["kind"]: r for r in payline_list(run=run).order_by().values("kind").annotate(n=Count("id"), total=Sum("gross"))}
    n = sum(r["n"] for r in by_kind.values())
    total = sum(float(r["total"] or 0) for r in by_kind.values())
    lines = [f"{run.unit.name} {run.month:%Y 年 %m 月}的 {n:,} 条薪酬明细锁定，应发合计 {total:,.2f} 元"]
    for kind, label in ((LineKind.BACK_PAY, "补发"), (LineKind.CLAW_BACK, "扣回")):
        if kind in by_kind:
            lines.append(f"其中{label} {by_kind[kind]['n']:,} 条，合计 {float(by_kind[kind]['total'] or 0):,.2f} 元")
    lines.append("锁定后不能修改或删除；以后发现差错，只能在以后月份补发或扣回")
    return Consequences(title=f"锁定薪酬批次：{run.unit.name} {run.month:%Y-%m}", lines=lines,
                        back=reverse("pay:run", args=[pk]), button="确认锁定")
