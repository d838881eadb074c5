"""A job's page, the progress fragment that page polls (htmx), and resubmission."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shequ.accounts.types import AuthedRequest
from shequ.errors import ShequError
from shequ.jobs import services
from shequ.jobs.selectors import job_get, job_list


def index_view(request: AuthedRequest) -> HttpResponse:
    services.job_reap_stale()
    return render(request, "jobs/index.html", {"page_title": "后台任务", "jobs": job_list(user=request.user)[:100]})


def detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    services.job_reap_stale()
    job = job_get(user=request.user, pk=pk)
    return render(request, "jobs/detail.html", {"page_title": job.label, "job": job})


def progress_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The fragment: while the job is active it asks to be polled again; when it ends and
    the caller asked for it (`reload=1`), the whole page reloads to show the result."""
    services.job_reap_stale()
    job = job_get(user=request.user, pk=pk)
    reload = request.GET.get("reload") == "1"
    response = render(request, "jobs/progress.html", {"job": job, "reload": reload})
    if reload and not job.is_active and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
def resubmit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    job = job_get(user=request.user, pk=pk)
    try:
        new = services.job_resubmit(job=job, actor=request.user)
    except ShequError as exc:
        messages.error(request, str(exc))
        return redirect("jobs:detail", pk=job.pk)
    messages.success(request, f"已重新提交：{new.label}")
    return redirect(request.POST.get("next") or f"/jobs/{new.pk}/")
