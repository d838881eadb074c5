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
from shequ.common.imports import Committer, ImportRefused, Validator, import_commit, import_stage
from shequ.common.models import ImportBatch
from shequ.common.scope import scoped
from shequ.common.selectors import audit_list
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
        return HttpResponse(status=403)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, NO_FILE)
        elif not (upload.name or "").lower().endswith(READABLE):
            messages.error(request, BAD_SUFFIX)
        else:
            batch = import_stage(
                kind=spec.kind, filename=upload.name or "", content=upload.read(), unit=request.user.unit,
                actor=request.user, validate=spec.validate,
            )
            return redirect("import_preview", pk=batch.pk)
    return render(request, "web/import_upload.html", {"spec": spec, "page_title": spec.title})


def import_preview_view(request: AuthedRequest, pk: int, specs: dict[str, ImportKind]) -> HttpResponse:
    batch = get_object_or_404(scoped(ImportBatch.objects.all(), request.user), pk=pk, actor=request.user)
    spec = specs[batch.kind]
    if request.method == "POST":
        if "discard" in request.POST:
            batch.status = ImportBatch.Status.DISCARDED
            batch.save(update_fields=["status"])
            return redirect(spec.done_url)
        try:
            batch = import_commit(batch=batch, actor=request.user, commit=spec.commit)
        except (ImportRefused, ValueError) as exc:
            messages.error(request, f"导入失败，未做任何更改：{exc}")
            return redirect("import_preview", pk=batch.pk)
        messages.success(request, f"已导入 {batch.summary.get('created', 0)} 条（{batch.filename}）")
        return redirect(spec.done_url)
    preview = batch.rows[:200]
    return render(request, "web/import_preview.html", {
        "batch": batch, "spec": spec, "page_title": spec.title,
        # The sheet's own row number where the rows keep it (an update skips unchanged rows).
        "preview": [(row.get("_row", i + 2), [row.get(key, "") for key, _ in spec.preview_columns])
                    for i, row in enumerate(preview)],
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
