"""Reads of the outcome figures, always inside the caller's scope.

The figures come from the roster, the org facts, the approved quota decisions (app quota) and
the engine (the policy's quota beside the approved one; pay 按政策测算). When locked pay runs
are to be shown instead, switch the pay source in `figures.pay_frame`; views, API and exports
only see the dict `dashboard_figures` returns."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Max
from django.http import Http404

from shequ.common.models import AuditEntry
from shequ.common.scope import get_in_scope_or_404, scope_path
from shequ.growth.careers.models import ReserveCandidate
from shequ.growth.training.models import Attendance
from shequ.org.models import Unit, UnitFact
from shequ.pay.models import PayRun
from shequ.policy.models import PolicyBinding, PolicyVersion
from shequ.quota.models import QuotaDecision
from shequ.workers.models import Worker, WorkerEvent

from .figures import compute_figures

if TYPE_CHECKING:
    from shequ.accounts.models import User

NO_SCOPE = "您的账号没有所属单位，无法查看统计"
CACHE_SECONDS = 600


def scope_root(*, user: User, unit_id: int | str | None) -> Unit:
    """The unit whose figures are shown: the asked one if it lies in the user's subtree
    (out of scope looks like missing), else the user's own unit."""
    if unit_id not in (None, ""):
        try:
            pk = int(unit_id)
        except (TypeError, ValueError) as exc:
            raise Http404("未找到") from exc
        return get_in_scope_or_404(Unit.objects.all(), user, unit_field="", pk=pk)
    unit: Unit | None = getattr(user, "unit", None)
    if unit is not None:
        return unit
    if scope_path(user) == "":
        top = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        if top is not None:
            return top
    raise Http404(NO_SCOPE)


def breadcrumbs(*, user: User, root: Unit) -> list[Unit]:
    """Ancestors of `root` the user may open, top first (never above the user's own unit)."""
    allowed = scope_path(user) or ""
    ids = root.ancestor_ids()
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    return [units[i] for i in ids if i in units and units[i].path.startswith(allowed)]


def change_stamp() -> tuple[int, ...]:
    """A cheap "last change" stamp: the newest primary key of every table the figures read.
    Every change through the services writes an audit row; the other maxima catch rows
    written without one (bulk loads, fixtures). Each is one index lookup."""
    stamp = []
    for model in (AuditEntry, Worker, WorkerEvent, UnitFact, PolicyBinding, PolicyVersion, Attendance, ReserveCandidate, QuotaDecision, PayRun):
        stamp.append(model.objects.aggregate(m=Max("id"))["m"] or 0)
    return tuple(stamp)


def figures_key(*, user: User, root: Unit, on: date) -> str:
    """The cache key of a scope's figures on a date; refuses a unit outside the user's scope."""
    get_in_scope_or_404(Unit.objects.all(), user, unit_field="", pk=root.pk)
    return f"insights:fig:{root.pk}:{root.path}:{on.isoformat()}:{'-'.join(map(str, change_stamp()))}"


def cached_render(*, key: str, render: Any) -> str:
    """The rendered figures (cards, table, chart JSON) under the figures' key: rendering 300
    child rows costs more than reading the cached numbers."""
    html = cache.get(key + ":html")
    if html is None:
        html = render()
        cache.set(key + ":html", html, CACHE_SECONDS)
    return html  # type: ignore[no-any-return]


def dashboard_figures(*, user: User, root: Unit, on: date) -> dict[str, Any]:
    """S-AGE, S-EDU, S-RATIO, S-CERT, S-PAY and Q-USE for `root` on `on`, cached per
    scope + date + change stamp (docs/adr/0004-insights-figures.md)."""
    key = figures_key(user=user, root=root, on=on)
    found = cache.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    figures = compute_figures(root=root, on=on)
    cache.set(key, figures, CACHE_SECONDS)
    return figures


def quota_ledger_rows(*, user: User, root: Unit, on: date) -> Any:
    """Q-USE per staffed unit of the scope: approved quota, the policy's quota, filled, vacant, over."""
    from .figures import quota_ledger

    get_in_scope_or_404(Unit.objects.all(), user, unit_field="", pk=root.pk)
    return quota_ledger(root=root, on=on)


PAY_KEYS = ("pay_total", "pay_average", "employer_cost", "annual_cost", "components", "locked_headcount",
            "locked_pay_total", "locked_pay_average", "locked_employer_cost")


def without_pay(fig: dict[str, Any]) -> dict[str, Any]:
    """The figures without pay, for roles that may not see pay (a community's average can be
    one person's pay)."""
    def strip(f: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in f.items() if k not in PAY_KEYS}

    return {**fig, "components": [], "policies": fig["policies"], "errors": [],
            "total": strip(fig["total"]), "children": [strip(c) for c in fig["children"]]}


def visible_figures(*, user: User, fig: dict[str, Any]) -> dict[str, Any]:
    from shequ.accounts.roles import has_capability

    return fig if has_capability(user, "pay.view") else without_pay(fig)
