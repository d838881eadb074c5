from __future__ import annotations

import html
from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from shequ.accounts.decorators import requires
from shequ.accounts.models import User
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.common.excel import csv_response, scope_line, xlsx_bytes, xlsx_response
from shequ.common.inputs import from_form
from shequ.common.listing import listing_from
from shequ.common.middleware import add_form_error
from shequ.common.scope import get_in_scope_or_404
from shequ.errors import ShequError
from shequ.org.models import STAFFED_TYPES, Unit
from shequ.org.selectors import unit_list
from shequ.policy.selectors import policy_for
from shequ.workers.forms import ExitForm, TransferForm, WorkerEditForm, WorkerForm
from shequ.workers.inputs import TransferIn, WorkerCreateIn, WorkerEditIn, WorkerExitIn
from shequ.workers.models import Category, Education
from shequ.workers.selectors import (
    AGE_BANDS,
    ROSTER_SORTS,
    RosterFilter,
    post_choices,
    worker_get,
    worker_history,
    worker_list,
)
from shequ.workers.services import (
    EDITABLE_FIELDS,
    worker_create,
    worker_exit,
    worker_transfer,
    worker_update,
)

PAGE_SIZE = 50

EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("name", "姓名"), ("id_number", "身份证号"), ("sex", "性别"), ("birth_date", "出生日期"),
    ("unit", "所属单位"), ("street", "所属街道"), ("category", "人员类别"), ("post", "岗位"),
    ("education", "学历"), ("community_work_start", "参加社区工作时间"), ("certificate", "职业资格"),
    ("grade", "等级"), ("status", "状态"), ("hired_on", "入职日期"),
]


def _filters(request: AuthedRequest) -> RosterFilter:
    g = request.GET
    unit = None
    if g.get("unit"):
        unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=g.get("unit"))
    return RosterFilter(
        q=g.get("q", "").strip(), unit=unit, post=g.get("post", ""), education=g.get("education", ""),
        category=g.get("category", ""), age_band=g.get("age", ""), status=g.get("status", "current") or "current",
        contract_ends_within=_days(g.get("contract_ends_within")),
        probation_ends_within=_days(g.get("probation_ends_within")),
    )


def _days(text: str | None) -> int | None:
    """A look-ahead in days from a 待办 link; anything but 1..3650 is no filter."""
    if not text or not text.isdigit() or not 1 <= int(text) <= 3650:
        return None
    return int(text)


def _unit_options(user: User, selected: Unit | None) -> str:
    """The unit filter's <option>s, built in Python: a city administrator's list is 500
    units, and a template loop over them was a third of the page's time at 300,000 workers."""
    units = unit_list(user=user).exclude(unit_type="网格").order_by("path").values_list("pk", "name")[:500]
    chosen = selected.pk if selected is not None else None
    # html.escape directly: Django's lazy-aware escape costs ~10x more per call.
    return mark_safe("".join(
        f'<option value="{pk}"{" selected" if pk == chosen else ""}>{html.escape(name)}</option>'
        for pk, name in units
    ))


@requires("roster.view")
def roster_view(request: AuthedRequest) -> HttpResponse:
    on = timezone.localdate()
    filters = _filters(request)
    listing = listing_from(request, ROSTER_SORTS)
    qs = listing.order(worker_list(user=request.user, filters=filters, on=on))
    page = Paginator(qs, listing.per_page).get_page(request.GET.get("page"))
    for w in page:
        w.age = w.age_on(on)  # type: ignore[attr-defined]  # for the template only
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "workers/roster.html", {
        "page": page, "filters": filters, "query": query.urlencode(), "on": on, "page_title": "花名册", "listing": listing,
        "unit_options": _unit_options(request.user, filters.unit),
        "posts": post_choices(user=request.user, on=on), "educations": Education.choices,
        "categories": Category.choices, "age_bands": list(AGE_BANDS), "can_export": has_capability(request.user, "roster.export"),
        "can_import": has_capability(request.user, "roster.change"),
    })


@requires("roster.export")
def roster_export_view(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    on = timezone.localdate()
    filters = _filters(request)
    qs = worker_list(user=request.user, filters=filters, on=on)
    scope = filters.unit or request.user.unit
    rows = (
        [
            w.name, w.id_number, w.sex, w.birth_date, w.unit.name,
            w.unit.parent.name if w.unit.parent else "", w.category, w.post, w.education,
            w.community_work_start, w.certificate, w.grade, w.get_status_display(), w.hired_on,
        ]
        for w in qs.iterator(chunk_size=5000)
    )
    name = f"花名册-{scope.name if scope else '全部'}-{on:%Y%m%d}"
    if request.GET.get("format") == "csv":
        return csv_response(f"{name}.csv", [h for _, h in EXPORT_COLUMNS], rows, request=request, count=qs.count())
    content = xlsx_bytes(
        sheet="花名册", headers=[h for _, h in EXPORT_COLUMNS], rows=rows,
        title_lines=scope_line(scope_name=scope.name if scope else "全部", on=on, what="社区工作者花名册"),
        # Header in row 1: the export is the sheet the roster update import reads back.
        header_first=True,
    )
    return xlsx_response(f"{name}.xlsx", content)


@requires("roster.view")
def worker_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    worker = worker_get(user=request.user, pk=pk)
    today: date = timezone.localdate()
    return render(request, "workers/detail.html", {
        "can_change": has_capability(request.user, "roster.change"),
        "w": worker, "events": worker_history(worker=worker), "age": worker.age_on(today),
        "certificates": worker.certificates.all(), "contracts": worker.contracts.all(), "page_title": worker.name,
    })


def _staffed_units(user: User) -> list[tuple[int, str]]:
    units = unit_list(user=user, types=STAFFED_TYPES).select_related("parent").order_by("path")
    return [(u.pk, f"{u.parent.name} · {u.name}" if u.parent else u.name) for u in units]


def _labels(form: Any) -> dict[str, str]:
    return {name: str(field.label) for name, field in form.fields.items()}


@requires("roster.change")
def worker_create_view(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    policy, label = policy_for(unit=cast(Unit, request.user.unit), on=today)
    form = WorkerForm(request.POST or None, units=_staffed_units(request.user), posts=policy.post_names(),
                      initial={"effective": today})
    if request.method == "POST" and form.is_valid():
        try:
            data = from_form(WorkerCreateIn, form.cleaned_data, labels=_labels(form))
            worker = worker_create(**data.service_kwargs(user=request.user), actor=request.user)
        except ShequError as exc:  # the entered values stay in the form
            add_form_error(form, exc)
        else:
            messages.success(request, f"已新增 {worker.name}")
            return redirect("workers:detail", pk=worker.pk)
    return render(request, "workers/form.html", {"form": form, "title": "新增社区工作者", "page_title": "新增社区工作者"})


@requires("roster.change")
def worker_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    worker = worker_get(user=request.user, pk=pk)
    policy, _ = policy_for(unit=worker.unit, on=timezone.localdate())
    initial = {f: getattr(worker, f) for f in EDITABLE_FIELDS} | {"effective": timezone.localdate()}
    form = WorkerEditForm(request.POST or None, posts=policy.post_names(), initial=initial)
    if request.method == "POST" and form.is_valid():
        changes: dict[str, object] = {}
        try:
            data = from_form(WorkerEditIn, form.cleaned_data, labels=_labels(form), keep_blank=True)
            kwargs = data.service_kwargs(worker=worker)
            changes = kwargs["changes"]
            worker_update(**kwargs, actor=request.user)
        except ShequError as exc:
            add_form_error(form, exc)
        else:
            messages.success(request, "已保存" if changes else "没有变化")
            return redirect("workers:detail", pk=worker.pk)
    return render(request, "workers/form.html", {"form": form, "title": f"修改 {worker.name} 的信息", "page_title": worker.name})


@requires("roster.change")
def worker_transfer_view(request: AuthedRequest, pk: int) -> HttpResponse:
    worker = worker_get(user=request.user, pk=pk)
    form = TransferForm(request.POST or None, units=_staffed_units(request.user), initial={"effective": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            kwargs = from_form(TransferIn, form.cleaned_data, labels=_labels(form)).service_kwargs(
                user=request.user, worker=worker)
            worker_transfer(**kwargs, actor=request.user)
        except ShequError as exc:
            add_form_error(form, exc)
        else:
            to_unit = kwargs["to_unit"]
            messages.success(request, f"{worker.name} 已调入 {to_unit.name}")
            return redirect("workers:detail", pk=worker.pk)
    return render(request, "workers/form.html", {"form": form, "title": f"调动 {worker.name}", "page_title": worker.name})


@requires("roster.change")
def worker_exit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    worker = worker_get(user=request.user, pk=pk)
    form = ExitForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            worker_exit(worker=worker, **from_form(WorkerExitIn, d, labels=_labels(form)).service_kwargs(),
                        actor=request.user)
        except ShequError as exc:
            add_form_error(form, exc)
        else:
            messages.success(request, f"{worker.name} 已办理{d['reason']}")
            return redirect("workers:detail", pk=worker.pk)
    return render(request, "workers/form.html", {"form": form, "title": f"{worker.name} 退出", "page_title": worker.name})
