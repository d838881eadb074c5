"""Import pages shared by every area: upload, preview with every error, commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from shequ.accounts.decorators import requires
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.common.imports import NOT_READY, Committer, Validator, import_upload
from shequ.common.models import ImportBatch
from shequ.common.scope import scoped
from shequ.common.selectors import audit_list
from shequ.jobs.models import JobStatus
from shequ.jobs.services import job_submit
from shequ.jobs.web import pending_job

NO_FILE = "请选择要上传的 .xlsx 或 .csv 文件"
BAD_SUFFIX = "只支持 .xlsx 或 .csv 文件"


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
        return HttpResponse(status=403)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, NO_FILE)
        elif not (upload.name or "").lower().endswith((".xlsx", ".csv")):
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
            # Only a batch still waiting: one being committed by a job stays as the job leaves it.
            ImportBatch.objects.filter(pk=batch.pk, status__in=[ImportBatch.Status.READY, ImportBatch.Status.INVALID]).update(
                status=ImportBatch.Status.DISCARDED)
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
        "preview": [[row.get(key, "") for key, _ in spec.preview_columns] for row in preview],
    })


def make_upload(spec: ImportKind) -> Callable[[AuthedRequest], HttpResponse]:
    def view(request: AuthedRequest) -> HttpResponse:
        return import_upload_view(request, spec)

    return view


@requires("audit.view")
def audit_view(request: AuthedRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    page = Paginator(audit_list(user=request.user, action=action), 50).get_page(request.GET.get("page"))
    return render(request, "common/audit.html", {"page": page, "page_title": "审计", "action": action})
