"""The person's page (档案): one read that gathers what each area keeps about a worker,
through that area's public selectors, within the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from shequ.accounts.roles import has_capability
from shequ.assessment.selectors import worker_results
from shequ.common.scope import get_in_scope_or_404
from shequ.dossier.models import Attachment, AttachmentKind
from shequ.growth.careers.selectors import worker_honours, worker_reserve
from shequ.growth.training.selectors import worker_hours_by_year
from shequ.pay.selectors import MonthPay, worker_pay_by_month
from shequ.workers.models import Worker
from shequ.workers.selectors import (
    GradePostRow,
    worker_get,
    worker_grade_post_history,
    worker_history,
)

if TYPE_CHECKING:
    from shequ.accounts.models import User


@dataclass
class Dossier:
    worker: Worker
    age: int
    events: list[Any]
    grade_post: list[GradePostRow]
    pay: list[MonthPay] | None  # None: the caller's role may not see pay
    results: list[Any]
    training: list[dict[str, Any]]
    certificates: list[Any]
    contracts: list[Any]
    reserve: list[Any]
    honours: list[Any]
    photo: Attachment | None
    attachments: list[Attachment]


def dossier_get(*, user: User, pk: int, on: date) -> Dossier:
    """Out of scope looks like missing (404), as for the worker's own page."""
    worker = worker_get(user=user, pk=pk)
    attachments = list(attachment_list(worker=worker))
    return Dossier(
        worker=worker, age=worker.age_on(on),
        events=list(worker_history(worker=worker)),
        grade_post=worker_grade_post_history(worker=worker),
        pay=worker_pay_by_month(user=user, worker_id=worker.pk) if has_capability(user, "pay.view") else None,
        results=list(worker_results(worker_id=worker.pk)),
        training=worker_hours_by_year(user=user, worker=worker),
        certificates=list(worker.certificates.all()),
        contracts=list(worker.contracts.all()),
        reserve=list(worker_reserve(user=user, worker=worker)),
        honours=list(worker_honours(user=user, worker=worker)),
        photo=next((a for a in attachments if a.kind == AttachmentKind.PHOTO), None),
        attachments=attachments,
    )


def attachment_list(*, worker: Worker) -> QuerySet[Attachment]:
    return Attachment.objects.filter(worker=worker).select_related("uploaded_by").order_by("kind", "-uploaded_at", "-id")


def attachment_get(*, user: User, pk: int) -> Attachment:
    """An attachment is in scope exactly when its worker is; otherwise 404, as if missing."""
    return get_in_scope_or_404(Attachment.objects.select_related("worker", "worker__unit"), user,
                               unit_field="worker__unit", pk=pk)
