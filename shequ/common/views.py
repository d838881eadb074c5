"""Import pages shared by every area: upload, preview with every error, commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shequ.accounts.decorators import NO_CAPABILITY, requires
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.common.audit_actions import AuditAction, UnknownAuditAction, audit_action
from shequ.common.audit_display import EXPORT_HEADERS, entry_view, export_row
from shequ.common.excel import scope_line, xlsx_bytes, xlsx_response
from shequ.common.imports import (
    NOT_READY,
    Committer,
    ImportRefused,
    Validator,
    import_discard,
    import_upload,
)
from shequ.common.models import AuditEntry, ImportBatch
from shequ.common.pii import shown_id
from shequ.common.scope import scoped
from shequ.common.selectors import AuditFilter, audit_actors, audit_list
from shequ.jobs.models import JobStatus
from shequ.jobs.services import job_submit
from shequ.jobs.web import pending_job
from shequ.sheets import READABLE, READABLE_TEXT

NO_FILE = "请选择要上传的 " + READABLE_TEXT + " 文件"
BAD_SUFFIX = "只支持 " + READABLE_TEXT + " 文件"


@dataclass(frozen=True)
class ImportKind:
    kind: str
    title: str
    capability: str
    validate: Validator
    commit: Committer
    template_url: str  # where to download the empty template
    done_url: str
    preview_columns: list[tuple[str, str]]  # (key in row, header)


def import_upload_view(request: AuthedRequest, spec: ImportKind) -> HttpResponse:
    if not has_capability(request.user, spec.capability):
        raise PermissionDenied(NO_CAPABILITY)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, NO_FILE)
        elif not (upload.name or "").lower().endswith(READABLE):
            messages.error(request, BAD_SUFFIX)
        else:
            batch = import_upload(
                kind=spec.kind, filename=upload.name or "", content=upload.read(), unit=request.user.unit,
                actor=request.user,
            )
            # Validating a 100,000-row sheet outlasts a request: a background job does it.
            job_submit(kind="import.validate", unit=batch.unit, actor=request.user, key=f"import.validate:{batch.pk}",
                       label=f"校验 {batch.filename}", params={"batch_id": batch.pk})
            return redirect("import_preview", pk=batch.pk)
    return render(request, "web/import_upload.html", {"spec": spec, "page_title": spec.title})


def import_preview_view(request: AuthedRequest, pk: int, specs: dict[str, ImportKind]) -> HttpResponse:
    batch = get_object_or_404(scoped(ImportBatch.objects.all(), request.user), pk=pk, actor=request.user)
    spec = specs[batch.kind]
    if request.method == "POST":
        if "discard" in request.POST:
            try:
                import_discard(batch=batch, actor=request.user)
            except ImportRefused as exc:
                messages.error(request, str(exc))
                return redirect("import_preview", pk=batch.pk)
            return redirect(spec.done_url)
        if batch.status != ImportBatch.Status.READY:
            messages.error(request, f"导入失败，未做任何更改：{NOT_READY.format(status=batch.get_status_display())}")
            return redirect("import_preview", pk=batch.pk)
        submitted = job_submit(kind="import.commit", unit=batch.unit, actor=request.user,
                               key=f"import.commit:{batch.pk}", label=f"导入 {batch.filename}",
                               params={"batch_id": batch.pk})
        if submitted.status == JobStatus.FAILED:
            messages.error(request, f"导入失败，未做任何更改：{submitted.error}")
            return redirect("import_preview", pk=batch.pk)
        if submitted.status == JobStatus.SUCCEEDED:
            messages.success(request, submitted.outcome)
            return redirect(spec.done_url)
        return redirect("import_preview", pk=batch.pk)
    preview = batch.rows[:200]
    job = pending_job(f"import.validate:{batch.pk}") or pending_job(f"import.commit:{batch.pk}")
    return render(request, "web/import_preview.html", {
        "batch": batch, "spec": spec, "page_title": spec.title, "job": job,
        # The sheet's own row number where the rows keep it (an update skips unchanged rows).
        "preview": [(row.get("_row", i + 2), [shown_id(row.get(key, "")) if key == "id_number" else row.get(key, "")
                                               for key, _ in spec.preview_columns])
                    for i, row in enumerate(preview)],
    })


def make_upload(spec: ImportKind) -> Callable[[AuthedRequest], HttpResponse]:
    def view(request: AuthedRequest) -> HttpResponse:
        return import_upload_view(request, spec)

    return view


AUDIT_BAD_DATE = "{field}应为“年-月-日”格式的日期，如 2026-03-01（收到“{value}”）"
AUDIT_BAD_ACTION = "操作类型“{value}”不存在，请从列表中选择"
AUDIT_BAD_ACTOR = "操作人“{value}”不存在，请从列表中选择"
AUDIT_DATE_ORDER = "起始日期 {since} 晚于截止日期 {until}"
AUDIT_PAGE_SIZE = 50
AUDIT_EXPORT_LIMIT = 100_000


def _audit_filter(params: QueryDict) -> tuple[AuditFilter, list[str]]:
    errors: list[str] = []
    action: AuditAction | None = None
    raw = params.get("action", "").strip()
    if raw:
        try:
            action = audit_action(raw)
        except UnknownAuditAction:
            errors.append(AUDIT_BAD_ACTION.format(value=raw))
    actor_id: int | None = None
    raw = params.get("actor", "").strip()
    if raw:
        if raw.isdigit() and 0 < int(raw) < 2**31:
            actor_id = int(raw)
        else:
            errors.append(AUDIT_BAD_ACTOR.format(value=raw))
    days: dict[str, date | None] = {}
    for key, label in (("since", "起始日期"), ("until", "截止日期")):
        raw = params.get(key, "").strip()
        days[key] = None
        if raw:
            try:
                days[key] = date.fromisoformat(raw)
            except ValueError:
                errors.append(AUDIT_BAD_DATE.format(field=label, value=raw))
    since, until = days["since"], days["until"]
    if since and until and since > until:
        errors.append(AUDIT_DATE_ORDER.format(since=since, until=until))
    return AuditFilter(action=action, actor_id=actor_id, since=since, until=until), errors


@requires("audit.view")
def audit_view(request: AuthedRequest) -> HttpResponse:
    filters, errors = _audit_filter(request.GET)
    qs = audit_list(user=request.user, filters=filters) if not errors else AuditEntry.objects.none()
    page = Paginator(qs, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "common/audit.html", {
        "page": page, "entries": [entry_view(e) for e in page], "page_title": "审计",
        "errors": errors, "params": request.GET, "query": query.urlencode(),
        "actions": AuditAction.choices, "actors": audit_actors(user=request.user),
    }, status=400 if errors else 200)


@requires("audit.view")
def audit_export_view(request: AuthedRequest) -> HttpResponse:
    filters, errors = _audit_filter(request.GET)
    if errors:
        return audit_view(request)
    qs = audit_list(user=request.user, filters=filters)[:AUDIT_EXPORT_LIMIT]
    scope = request.user.unit.name if request.user.unit else "全部"
    title = scope_line(scope_name=scope, on=timezone.localdate(), what="审计记录")
    content = xlsx_bytes(sheet="审计记录", headers=EXPORT_HEADERS, rows=(export_row(e) for e in qs.iterator(chunk_size=2000)),
                         title_lines=title)
    return xlsx_response(f"审计记录-{scope}-{timezone.localdate():%Y%m%d}.xlsx", content)


LOGIN_ACTIONS = (AuditAction.LOGIN, AuditAction.LOGIN_FAILED)


@requires("audit.view")
def login_log_view(request: AuthedRequest) -> HttpResponse:
    """登录日志: sign-ins and failed sign-ins of accounts in the viewer's subtree, newest first."""
    entries = audit_list(user=request.user).filter(action__in=LOGIN_ACTIONS).order_by("-at", "-id")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "common/login_log.html", {"page_title": "登录日志", "page": page})
