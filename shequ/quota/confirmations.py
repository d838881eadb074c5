"""What approving quota decisions will do, before the bureau confirms."""

from __future__ import annotations

from django.urls import reverse

from shequ.accounts.types import AuthedRequest
from shequ.common.confirm import Consequences
from shequ.quota.selectors import decisions_in_scope


def decide_consequences(request: AuthedRequest) -> Consequences | None:
    """Approval only: a rejection goes back to the proposer and can be proposed again."""
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
    found = list(decisions_in_scope(user=request.user, ids=ids).select_related("unit"))
    if request.POST.get("action") == "reject" or not found or len(found) != len(set(ids)):
        return None  # the view refuses a bad selection with its own message
    back = reverse("quota:decisions")
    before = sum(d.previous_quota or 0 for d in found)
    after = sum(d.quota for d in found)
    lines = [f"{len(found)} 个单位的员额方案生效，合计核定员额 {before:,} → {after:,}（{after - before:+,}）"]
    lines += [f"{d.unit.name}：{d.previous_quota if d.previous_quota is not None else '未核定'} → {d.quota}，"
              f"自 {d.since:%Y-%m-%d} 起" for d in found[:20]]
    if len(found) > 20:
        lines.append(f"……另有 {len(found) - 20} 个单位")
    return Consequences(title=f"批准 {len(found)} 项员额调整", lines=lines, back=back, button="确认批准",
                        warning="批准后即成为各单位的核定员额；调整须另行提出。")
