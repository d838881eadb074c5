"""Staged imports: upload → validate every row → preview every error → commit all or nothing.

An area supplies two functions: `validate(content, filename, unit, actor)` returning the
rows to keep (JSON-ready dicts) and the errors (row, column, message), and
`commit(rows, unit, actor)` doing the bulk write inside the commit's transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from shequ.common.audit import audit_record
from shequ.common.models import ImportBatch
from shequ.common.scope import require_unit_in_scope
from shequ.jobs.progress import Progress

if TYPE_CHECKING:
    from shequ.accounts.models import User

NOT_READY = "该批次不能导入：{status}"
EMPTY_SHEET = "表格中没有数据行"


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number: header is row 1
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportRefused(ValueError):
    pass


Validator = Callable[[bytes, str, Any, Any], tuple[list[dict[str, Any]], list[RowError], dict[str, Any]]]
Committer = Callable[[list[dict[str, Any]], Any, Any], dict[str, Any]]


def _validated(content: bytes, filename: str, unit: Any, actor: User, validate: Validator) -> dict[str, Any]:
    """The batch fields a validation gives: rows to keep, or every error."""
    try:
        rows, errors, summary = validate(content, filename, unit, actor)
    except ValueError as exc:  # unreadable file, missing columns: one error for the sheet
        rows, errors, summary = [], [RowError(row=1, column="", message=str(exc))], {}
    if not rows and not errors:
        errors = [RowError(row=2, column="", message=EMPTY_SHEET)]
    return {
        "status": ImportBatch.Status.INVALID if errors else ImportBatch.Status.READY,
        "row_count": len(rows) + len({e.row for e in errors}),
        "errors": [e.as_dict() for e in sorted(errors, key=lambda e: (e.row, e.column))],
        "rows": [] if errors else rows,
        "summary": summary,
    }


@transaction.atomic
def import_stage(
    *, kind: str, filename: str, content: bytes, unit: Any, actor: User, validate: Validator
) -> ImportBatch:
    require_unit_in_scope(actor, unit)
    fields = _validated(content, filename, unit, actor, validate)
    return ImportBatch.objects.create(kind=kind, filename=filename[:200], actor=actor, unit=unit, **fields)


def import_upload(*, kind: str, filename: str, content: bytes, unit: Any, actor: User) -> ImportBatch:
    """Keep an upload for a background job to validate (import_validate_stored)."""
    require_unit_in_scope(actor, unit)
    return ImportBatch.objects.create(
        kind=kind, filename=filename[:200], actor=actor, unit=unit, status=ImportBatch.Status.VALIDATING,
        content=content,
    )


def import_validate_stored(*, batch: ImportBatch, actor: User, validate: Validator, progress: Progress | None = None) -> ImportBatch:
    """Validate a kept upload: every row checked, the batch then ready or listing every error."""
    progress = progress or Progress()
    require_unit_in_scope(actor, batch.unit)
    if batch.status != ImportBatch.Status.VALIDATING:
        raise ImportRefused(NOT_READY.format(status=batch.get_status_display()))
    progress.stage("逐行校验")
    fields = _validated(bytes(batch.content), batch.filename, batch.unit, actor, validate)
    progress.stage("保存校验结果", total=fields["row_count"])
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.VALIDATING).update(content=b"", **fields)
    progress.advance(fields["row_count"])
    batch.refresh_from_db()
    return batch


def import_commit(*, batch: ImportBatch, actor: User, commit: Committer, progress: Progress | None = None) -> ImportBatch:
    progress = progress or Progress()
    with progress.writing(), transaction.atomic():
        progress.stage("写入", total=len(batch.rows))
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        require_unit_in_scope(actor, batch.unit)
        if batch.status != ImportBatch.Status.READY:
            raise ImportRefused(NOT_READY.format(status=batch.get_status_display()))
        result = commit(batch.rows, batch.unit, actor)
        progress.advance(len(batch.rows))
        batch.status = ImportBatch.Status.COMMITTED
        batch.committed_at = timezone.now()
        batch.summary = {**batch.summary, **result}
        batch.save(update_fields=["status", "committed_at", "summary"])
        audit_record(actor=actor, action=f"import.{batch.kind}", target=batch, unit=batch.unit,
                     after={"filename": batch.filename, **result}, summary=f"导入 {batch.filename}")
    return batch
