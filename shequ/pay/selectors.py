"""Reads of the pay area, always within the caller's scope: a run is visible when its
scope unit lies in the caller's subtree, and its lines and payslips only through it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl
from django.db.models import Q, QuerySet

from shequ.common.scope import get_in_scope_or_404, scoped
from shequ.pay.compute import month_last_day
from shequ.pay.models import (
    BankAccount,
    Leave,
    LeaveStatus,
    LineKind,
    PayLine,
    PayRun,
    WelfareRecord,
)
from shequ.policy.resolve import governing_by_digest
from shequ.rules import explain

if TYPE_CHECKING:
    from shequ.accounts.models import User


# A run's sortable line columns (common.listing); components live in JSON and do not sort.
PAYLINE_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("worker__name",), "unit": ("unit__path",), "month": ("for_month",), "kind": ("kind",),
    "post": ("post",), "grade": ("grade",), "days": ("days",), "gross": ("gross",),
    "employee_benefits": ("employee_benefits",), "tax": ("tax",), "net": ("net",),
}


def payrun_list(*, user: User) -> QuerySet[PayRun]:
    return scoped(PayRun.objects.select_related("unit", "approved_by", "locked_by"), user).order_by("-month", "unit__path")


def payrun_get(*, user: User, pk: int) -> PayRun:
    return get_in_scope_or_404(PayRun.objects.select_related("unit", "approved_by", "locked_by", "created_by"), user, pk=pk)


def payline_list(*, run: PayRun, kind: str = "", unit_id: int | None = None, q: str = "") -> QuerySet[PayLine]:
    qs = PayLine.objects.filter(run=run).select_related("worker", "unit")
    if kind == "regular":
        qs = qs.filter(kind=LineKind.REGULAR)
    elif kind == "adjustment":
        qs = qs.exclude(kind=LineKind.REGULAR)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if q:
        qs = qs.filter(worker__name__contains=q)
    return qs.order_by("unit__path", "worker__name", "worker_id", "for_month")


@dataclass
class Payslip:
    run: PayRun
    worker: Any
    regular: PayLine | None
    adjustments: list[PayLine]
    basis: list[str]  # 计算依据 of the regular line, built now from its snapshot
    gross: float
    employee_benefits: float
    employer_benefits: float
    tax: float = 0.0
    deductions: float = 0.0
    net: float = 0.0  # P-NET: 实发 = 应发 − 个人五险一金 − 个人所得税 − 扣款
    special_deduction: float = 0.0
    ytd_income: float = 0.0
    ytd_taxable: float = 0.0
    ytd_tax: float = 0.0


def payslip_get(*, user: User, run_pk: int, worker_pk: int) -> Payslip:
    run = payrun_get(user=user, pk=run_pk)
    lines = list(PayLine.objects.filter(run=run, worker_id=worker_pk).select_related("worker", "unit").order_by("for_month"))
    if not lines:
        from django.http import Http404

        raise Http404("未找到")
    regular = next((line for line in lines if line.kind == LineKind.REGULAR), None)
    adjustments = [line for line in lines if line.kind != LineKind.REGULAR]
    basis = line_basis(run=run, line=regular) if regular else []
    return Payslip(
        run=run, worker=lines[0].worker, regular=regular, adjustments=adjustments, basis=basis,
        gross=round(sum(float(x.gross) for x in lines), 2),
        employee_benefits=round(sum(float(x.employee_benefits) for x in lines), 2),
        employer_benefits=round(sum(float(x.employer_benefits) for x in lines), 2),
        tax=round(sum(float(x.tax) for x in lines), 2),
        deductions=round(sum(float(x.deductions) for x in lines), 2),
        net=round(sum(float(x.net) for x in lines), 2),
        # The month's tax figures sit on one line per worker (shequ.pay.net).
        special_deduction=round(sum(float(x.special_deduction) for x in lines), 2),
        ytd_income=max(float(x.ytd_income) for x in lines),
        ytd_taxable=max(float(x.ytd_taxable) for x in lines),
        ytd_tax=max(float(x.ytd_tax) for x in lines),
    )


def line_basis(*, run: PayRun, line: PayLine) -> list[str]:
    """计算依据 of one line, on demand: the engine's explanation of the full-month amounts
    from the state the line recorded, then the pro rata and probation steps."""
    policy = governing_by_digest(digest=run.policies.get(line.policy_label, "")).policy
    on = month_last_day(line.for_month)
    row = pl.DataFrame({
        "worker_id": [line.worker_id], "post": [line.post], "grade": [line.grade], "education": [line.education],
        "certificate": [line.certificate], "category": [line.category], "years": [line.years],
        "sex": [line.worker.sex], "birth_date": [line.worker.birth_date], "last_tier": [line.last_tier or None],
        "treatment": [line.treatment],
    }, schema={"worker_id": pl.Int64, "post": pl.Utf8, "grade": pl.Int64, "education": pl.Utf8,
               "certificate": pl.Utf8, "category": pl.Utf8, "years": pl.Int64, "sex": pl.Utf8, "birth_date": pl.Date,
               "last_tier": pl.Utf8, "treatment": pl.Utf8})
    lines = [f"政策版本：{line.policy_label}"] + explain(policy, "pay", row, on)
    share = policy.params(on).probation.pay_share
    if line.days < line.days_in_month:
        lines.append(f"按日折算：当月 {line.days_in_month} 天，计薪 {line.days} 天，各项 × {line.days}/{line.days_in_month}")
    if line.probation_days:
        src = policy.entry("probation", "pay_share", on)
        origin = "" if src is None else ("（假定值）" if src.assumed else f"（来源 {src.source}）")
        lines.append(f"E-PROB 试用期 {line.probation_days} 天按 {share:.0%} 发放{origin}")
    lines.append("P-BEN 五险一金按月缴费基数计算，不按天数折算")
    return lines


@dataclass(frozen=True)
class RunSummary:
    units: list[dict[str, Any]]
    components: list[str]
    headcount: int
    total: float
    average: float


def payrun_summary(*, run: PayRun) -> RunSummary:
    summary = [{**u, "components": u["components"] if isinstance(u.get("components"), dict) else {}} for u in run.summary]
    comps = [c for c in run.components if any(c in u["components"] for u in summary)]
    headcount = sum(u["headcount"] for u in summary)
    total = round(sum(u["total"] for u in summary), 2)
    # jsonb keeps no key order: align each unit's sums to the run's component order.
    units = [{**u, "amounts": [u["components"].get(c, 0.0) for c in comps]} for u in summary]
    return RunSummary(units=units, components=comps, headcount=headcount, total=total,
                      average=round(total / headcount, 2) if headcount else 0.0)


def month_of(text: str) -> date:
    """'2026-03' or '2026-03-01' → date(2026, 3, 1); ValueError with a Chinese message."""
    from shequ.pay.services import PayRunError

    try:
        parts = [int(p) for p in text.strip().split("-")[:2]]
        return date(parts[0], parts[1], 1)
    except (ValueError, IndexError) as exc:
        raise PayRunError(BAD_MONTH.format(value=text)) from exc


BAD_MONTH = "月份格式不正确：“{value}”，应为 2026-03"


def bank_account_list(*, user: User, q: str = "") -> QuerySet[BankAccount]:
    qs = scoped(BankAccount.objects.select_related("worker", "worker__unit"), user, unit_field="worker__unit")
    if q:
        qs = qs.filter(worker__name__contains=q)
    return qs.order_by("worker__unit__path", "worker__name", "worker_id")


def leave_list(*, user: User, year: int, status: str = "") -> QuerySet[Leave]:
    qs = scoped(Leave.objects.select_related("worker", "worker__unit"), user, unit_field="worker__unit").filter(
        start__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-start", "worker__name")


@dataclass(frozen=True)
class LeaveBalance:
    worker: Any
    lines: list[str]  # "年休假 已休 2 / 应休 5，余 3"


def leave_balances(*, user: User, year: int, limit: int = 200) -> list[LeaveBalance]:
    """P-LEAVE: per worker with leave in `year` (approved or pending), each kind taken
    against the entitlement of the governing policy."""
    from shequ.pay.leave import entitlement
    from shequ.policy.resolve import governing_for_units

    taken: dict[int, dict[str, int]] = {}
    workers: dict[int, Any] = {}
    for leave in leave_list(user=user, year=year).exclude(status=LeaveStatus.REJECTED)[:5000]:
        workers[leave.worker_id] = leave.worker
        by_kind = taken.setdefault(leave.worker_id, {})
        by_kind[leave.kind] = by_kind.get(leave.kind, 0) + leave.days
    on = date(year, 12, 31)
    governing = governing_for_units(units={w.unit_id: w.unit for w in workers.values()}.values(), on=on)
    out = []
    for wid, by_kind in list(taken.items())[:limit]:
        w = workers[wid]
        types = governing[w.unit_id].policy.params(on).leave.types
        lines = []
        for kind, days in by_kind.items():
            start = w.community_work_start or w.hired_on
            years = 0.0 if start is None else (date(year, 1, 1) - start).days / 365.25
            cap = entitlement(types[kind], years=years) if kind in types else None
            lines.append(f"{kind} 已休 {days}" + ("" if cap is None else f" / 应休 {cap:g}，余 {cap - days:g}"))
        out.append(LeaveBalance(worker=w, lines=lines))
    return out


def welfare_due(*, user: User, scope: Any, item: str, year: int) -> tuple[QuerySet[Any], int | None]:
    """Workers of `scope` (in the caller's subtree) still on the roster in `year` who have no
    record of `item` within its cycle (every_years of the scope's governing policy), and that
    cycle; a standing item (no cycle) lists who has no record this year."""
    from shequ.policy.resolve import governing_for_units
    from shequ.workers.models import Worker

    on = date(year, 12, 31)
    items = governing_for_units(units=[scope], on=on)[scope.pk].policy.params(on).welfare.items
    every = items[item].every_years if item in items else None
    since = year - (every or 1) + 1
    done = WelfareRecord.objects.filter(item=item, year__gte=since, year__lte=year).values("worker_id")
    qs = scoped(Worker.objects.select_related("unit"), user).filter(unit__path__startswith=scope.path).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=date(year, 1, 1))).exclude(id__in=done)
    return qs.order_by("unit__path", "name", "id"), every


@dataclass(frozen=True)
class MonthPay:
    """A worker's pay in one run (档案's 薪酬): the month's own line and any adjustments."""

    month: date
    status: str
    post: str
    grade: int | None
    regular: float
    adjustments: float
    employee_benefits: float
    run_id: int

    @property
    def gross(self) -> float:
        return round(self.regular + self.adjustments, 2)


def worker_pay_by_month(*, user: User, worker_id: int, months: int = 12) -> list[MonthPay]:
    """The worker's lines of the latest `months` runs, one row per run, newest first: only
    lines paid while the worker belonged to a unit of the caller's subtree (a city-wide run
    shows a street its own people's lines; a line from another street stays hidden)."""
    lines = (
        scoped(PayLine.objects.filter(worker_id=worker_id), user)
        .select_related("run").order_by("-run__month", "for_month")
    )
    by_run: dict[int, MonthPay] = {}
    for line in lines:
        row = by_run.get(line.run_id)
        if row is None:
            if len(by_run) == months:
                break
            row = by_run[line.run_id] = MonthPay(
                month=line.run.month, status=line.run.get_status_display(), post=line.post, grade=line.grade,
                regular=0.0, adjustments=0.0, employee_benefits=0.0, run_id=line.run_id,
            )
        regular = float(line.gross) if line.kind == LineKind.REGULAR else 0.0
        by_run[line.run_id] = MonthPay(
            month=row.month, status=row.status, post=row.post if line.kind != LineKind.REGULAR else line.post,
            grade=row.grade if line.kind != LineKind.REGULAR else line.grade,
            regular=round(row.regular + regular, 2),
            adjustments=round(row.adjustments + (0.0 if line.kind == LineKind.REGULAR else float(line.gross)), 2),
            employee_benefits=round(row.employee_benefits + float(line.employee_benefits), 2), run_id=row.run_id,
        )
    return list(by_run.values())
