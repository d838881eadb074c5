"""Reads of jobs, always within the user's subtree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from shequ.accounts.roles import has_capability
from shequ.common.scope import get_in_scope_or_404, scoped
from shequ.jobs.models import ACTIVE, Job
from shequ.jobs.registry import KINDS

if TYPE_CHECKING:
    from shequ.accounts.models import User


def job_get(*, user: User, pk: int) -> Job:
    job = get_in_scope_or_404(Job.objects.select_related("unit", "actor"), user, pk=pk)
    kind = KINDS.get(job.kind)
    if kind is None or not has_capability(user, kind.view_capability):
        raise Http404("未找到")
    return job


def job_list(*, user: User) -> QuerySet[Job]:
    kinds = [name for name, kind in KINDS.items() if has_capability(user, kind.view_capability)]
    return scoped(Job.objects.select_related("unit", "actor"), user).filter(kind__in=kinds)


def job_active_for(*, key: str) -> Job | None:
    return Job.objects.filter(key=key, status__in=ACTIVE).first()


def job_latest_for(*, key: str) -> Job | None:
    return Job.objects.filter(key=key).order_by("-created_at", "-id").first()
