"""The person's page (档案) and the files kept with it. Every URL finds the worker or the
attachment in the caller's scope first: another street's HR gets 404 for both."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts.decorators import requires
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.common.confirm import Consequences, confirm_first
from shequ.dossier.forms import AttachmentForm
from shequ.dossier.selectors import attachment_get, dossier_get
from shequ.dossier.services import AttachmentError, attachment_delete, attachment_upload, human_size
from shequ.workers.selectors import worker_get


@requires("roster.view")
def dossier_view(request: AuthedRequest, pk: int) -> HttpResponse:
    dossier = dossier_get(user=request.user, pk=pk, on=timezone.localdate())
    can_change = has_capability(request.user, "roster.change")
    return render(request, "dossier/page.html", {
        "d": dossier, "w": dossier.worker, "can_change": can_change, "on": timezone.localdate(),
        "form": AttachmentForm() if can_change else None,
        "max_size": human_size(settings.ATTACHMENT_MAX_BYTES), "page_title": f"{dossier.worker.name} · 档案",
    })


@require_POST
@requires("roster.change")
def attachment_upload_view(request: AuthedRequest, pk: int) -> HttpResponse:
    worker = worker_get(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            a = attachment_upload(worker=worker, kind=d["kind"], upload=d["file"], note=d["note"], actor=request.user)
        except AttachmentError as exc:
            messages.error(request, f"未上传：{exc}")
        else:
            messages.success(request, f"已上传{a.get_kind_display()}“{a.original_name}”（{human_size(a.size)}）")
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"未上传：{label}：{'；'.join(str(e) for e in errors)}" if label else f"未上传：{'；'.join(str(e) for e in errors)}")
    return redirect("dossier:page", pk=worker.pk)


@requires("roster.view")
def attachment_file_view(request: AuthedRequest, pk: int) -> HttpResponse:
    a = attachment_get(user=request.user, pk=pk)
    response = FileResponse(a.file.open("rb"), content_type=a.content_type,
                            as_attachment=request.GET.get("download") == "1", filename=a.original_name)
    # Papers of a person: never kept by a shared cache, never sniffed into something else.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A streamed file, not an HttpResponse: `requires` is typed for the common case.
    return cast(HttpResponse, response)


def delete_consequences(request: AuthedRequest, pk: int) -> Consequences:
    a = attachment_get(user=request.user, pk=pk)
    return Consequences(
        title=f"删除{a.worker.name}的{a.get_kind_display()}",
        lines=[f"将从 {a.worker.name} 的档案中删除{a.get_kind_display()}“{a.original_name}”（{human_size(a.size)}）",
               "文件本身一并删除，审计中留下删除记录"],
        back=f"/dossier/{a.worker_id}/", button="确认删除",
    )


@require_POST
@requires("roster.change")
@confirm_first(delete_consequences)
def attachment_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    a = attachment_get(user=request.user, pk=pk)
    worker_pk, label = a.worker_id, f"{a.get_kind_display()}“{a.original_name}”"
    attachment_delete(attachment=a, actor=request.user)
    messages.success(request, f"已删除{label}")
    return redirect("dossier:page", pk=worker_pk)
