"""Pages for net pay (P-NET): the tax office's and the bank's sheets of a run, workers' bank
accounts (masked; the full number for finance, audited), the special deductions and
monthly items imports; and leave (P-LEAVE): requests, approval, balances, attendance sheet."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts.decorators import requires
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.common.excel import xlsx_response
from shequ.common.scope import get_in_scope_or_404
from shequ.errors import Invalid, ShequError
from shequ.org.models import Unit, UnitType
from shequ.org.selectors import unit_list
from shequ.pay import leave_services, net_services
from shequ.pay.exports import tax_office_export
from shequ.pay.leave_services import parse_leave_date
from shequ.pay.models import BankAccount, Leave
from shequ.pay.selectors import (
    bank_account_list,
    leave_balances,
    leave_list,
    month_of,
    payrun_get,
    welfare_due,
)
from shequ.sheets.validate import SheetInvalid
from shequ.workers.models import Worker

PAGE_SIZE = 50
NO_FILE = "请选择要导入的文件（.xlsx 或 .csv）"
# Every refusal the services raise is a ShequError (shequ.errors); pages show its Chinese message.
USER_ERRORS = (ShequError,)


@requires("pay.view")
def tax_export_view(request: AuthedRequest, pk: int) -> HttpResponse:
    run = payrun_get(user=request.user, pk=pk)
    return xlsx_response(f"正常工资薪金所得-{run.unit.name}-{run.month:%Y%m}.xlsx", tax_office_export(run))


@requires("pay.bank")
def bank_sheet_view(request: AuthedRequest, pk: int) -> HttpResponse:
    run = payrun_get(user=request.user, pk=pk)
    content = net_services.bank_sheet_issue(run=run, actor=request.user)
    return xlsx_response(f"工资代发表-{run.unit.name}-{run.month:%Y%m}.xlsx", content)


def _units(request: AuthedRequest) -> QuerySet[Unit]:
    return unit_list(user=request.user).exclude(unit_type=UnitType.GRID).order_by("path")[:500]


@requires("pay.view")
def accounts_view(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    page = Paginator(bank_account_list(user=request.user, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pay/accounts.html", {
        "page_title": "银行账户与专项附加扣除", "page": page, "q": q, "units": _units(request),
        "can_change": has_capability(request.user, "pay.change"),
        "can_reveal": has_capability(request.user, "pay.bank"),
        "revealed": request.session.pop("revealed_card", None),
    })


def _upload(request: AuthedRequest) -> tuple[Unit, bytes, str]:
    unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=request.POST.get("unit") or 0)
    f = request.FILES.get("file")
    if f is None:
        raise Invalid(NO_FILE)
    return unit, f.read(), f.name or ""


def _sheet_import(request: AuthedRequest, load: Callable[[Unit, bytes, str], str], done: str) -> HttpResponse:
    """One sheet in, all or nothing: `load` writes it and says what it did; every bad row is
    listed (the first 50), any other refusal shown as it is."""
    try:
        unit, data, name = _upload(request)
        messages.success(request, load(unit, data, name))
    except SheetInvalid as exc:
        for e in exc.errors[:50]:
            messages.error(request, str(e))
    except USER_ERRORS as exc:
        messages.error(request, str(exc))
    return redirect(done)


@require_POST
@requires("pay.change")
def accounts_import_view(request: AuthedRequest) -> HttpResponse:
    def load(unit: Unit, data: bytes, name: str) -> str:
        n = net_services.bank_accounts_import(unit=unit, data=data, filename=name, actor=request.user)
        return f"已导入 {n} 人的银行账户"

    return _sheet_import(request, load, "pay:accounts")


@require_POST
@requires("pay.change")
def special_import_view(request: AuthedRequest) -> HttpResponse:
    def load(unit: Unit, data: bytes, name: str) -> str:
        month = month_of(request.POST.get("month", ""))
        n = net_services.special_deductions_import(unit=unit, month=month, data=data, filename=name, actor=request.user)
        return f"已导入 {n} 人 {month:%Y年%m月}的专项附加扣除"

    return _sheet_import(request, load, "pay:accounts")


@require_POST
@requires("pay.change")
def items_import_view(request: AuthedRequest) -> HttpResponse:
    def load(unit: Unit, data: bytes, name: str) -> str:
        month = month_of(request.POST.get("month", ""))
        n = net_services.monthly_items_import(unit=unit, month=month, data=data, filename=name, actor=request.user)
        return f"已导入 {month:%Y年%m月}月度项目 {n} 条"

    return _sheet_import(request, load, "pay:accounts")


@require_POST
@requires("pay.bank")
def account_reveal_view(request: AuthedRequest, pk: int) -> HttpResponse:
    account = get_in_scope_or_404(BankAccount.objects.select_related("worker__unit"), request.user,
                                  unit_field="worker__unit", pk=pk)
    number = net_services.bank_account_reveal(account=account, actor=request.user)
    # Shown once on the next page, never put in a URL.
    request.session["revealed_card"] = {"id": account.pk, "name": account.worker.name, "number": number}
    return redirect("pay:accounts")


@requires("pay.view")
def leave_view(request: AuthedRequest) -> HttpResponse:
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else timezone.localdate().year
    status = request.GET.get("status", "")
    page = Paginator(leave_list(user=request.user, year=year, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pay/leave.html", {
        "page_title": "请假与考勤", "page": page, "year": year, "status": status,
        "balances": leave_balances(user=request.user, year=year), "units": _units(request),
        "can_change": has_capability(request.user, "roster.change"),
    })


@require_POST
@requires("roster.change")
def leave_request_view(request: AuthedRequest) -> HttpResponse:
    worker = get_in_scope_or_404(Worker.objects.select_related("unit"), request.user,
                                 id_number=request.POST.get("id_number", "").strip().upper())
    try:
        start, end = parse_leave_date(request.POST.get("start", "")), parse_leave_date(request.POST.get("end", ""))
        leave = leave_services.leave_request(worker=worker, kind=request.POST.get("kind", "").strip(), start=start,
                                             end=end, note=request.POST.get("note", ""), actor=request.user)
        messages.success(request, f"已登记{worker.name}的{leave.kind}（{leave.days} 天），待审批")
    except USER_ERRORS as exc:
        messages.error(request, str(exc))
    return redirect("pay:leave")


def _decide(request: AuthedRequest, pk: int, approve: bool) -> HttpResponse:
    leave = get_in_scope_or_404(Leave.objects.select_related("worker__unit"), request.user, unit_field="worker__unit", pk=pk)
    try:
        if approve:
            leave_services.leave_approve(leave=leave, actor=request.user)
            messages.success(request, f"已批准{leave.worker.name}的{leave.kind}")
        else:
            leave_services.leave_reject(leave=leave, actor=request.user)
            messages.success(request, f"未批准{leave.worker.name}的{leave.kind}")
    except USER_ERRORS as exc:
        messages.error(request, str(exc))
    return redirect("pay:leave")


@require_POST
@requires("roster.change")
def leave_approve_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, True)


@require_POST
@requires("roster.change")
def leave_reject_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, False)


@require_POST
@requires("roster.change")
def leave_import_view(request: AuthedRequest) -> HttpResponse:
    def load(unit: Unit, data: bytes, name: str) -> str:
        n = leave_services.leave_import(unit=unit, data=data, filename=name, actor=request.user)
        return f"已按考勤表登记请假 {n} 条"

    return _sheet_import(request, load, "pay:leave")


@requires("pay.view")
def welfare_view(request: AuthedRequest) -> HttpResponse:
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else timezone.localdate().year
    item = request.GET.get("item", "健康体检").strip()
    units = list(_units(request))
    unit_id = int(request.GET["unit"]) if request.GET.get("unit", "").isdigit() else (units[0].pk if units else 0)
    scope = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=unit_id)
    due, every = welfare_due(user=request.user, scope=scope, item=item, year=year)
    page = Paginator(due, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pay/welfare.html", {
        "page_title": "福利记录", "page": page, "year": year, "item": item, "every": every, "scope": scope,
        "units": units, "can_change": has_capability(request.user, "roster.change"),
    })


@require_POST
@requires("roster.change")
def welfare_record_view(request: AuthedRequest) -> HttpResponse:
    worker = get_in_scope_or_404(Worker.objects.select_related("unit"), request.user,
                                 id_number=request.POST.get("id_number", "").strip().upper())
    try:
        year = int(request.POST.get("year", "") or 0)
        on = parse_leave_date(request.POST["on"]) if request.POST.get("on") else None
        row = leave_services.welfare_record_set(worker=worker, item=request.POST.get("item", "").strip(), year=year,
                                                on=on, note=request.POST.get("note", ""), actor=request.user)
        messages.success(request, f"已记录{worker.name} {row.year}年{row.item}")
    except USER_ERRORS as exc:
        messages.error(request, str(exc))
    return redirect("pay:welfare")
