"""Staged imports: upload → validate every row → preview every error → commit all or nothing.

An area supplies two functions: `validate(content, filename, unit, actor)` returning the
rows to keep (JSON-ready dicts) and the errors (row, column, message), and
`commit(rows, unit, actor)` doing the bulk write inside the commit's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

from shequ.common.audit import audit_bulk, audit_record
from shequ.common.audit_actions import IMPORT_ACTIONS, AuditAction
from shequ.common.models import ImportBatch
from shequ.common.provinces import transaction
from shequ.common.scope import require_unit_in_scope
from shequ.errors import Invalid, ShequError
from shequ.jobs.progress import Progress

if TYPE_CHECKING:
    from shequ.accounts.models import User

NOT_READY = "该批次不能导入：{status}"
NOT_DISCARDABLE = "该批次不能放弃：{status}"
EMPTY_SHEET = "表格中没有数据行"
TOO_LONG = "“{value}”共 {length} 个字，最多 {limit} 个字"
OUT_OF_RANGE = "“{value}”超出可填写的范围（{low}—{high}）"
TOO_MANY_DIGITS = "“{value}”最多 {whole} 位整数、{places} 位小数"


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number: header is row 1
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportRefused(Invalid):
    pass


def field_errors(
    model: type[models.Model], values: Mapping[str, Any], *, row: int, columns: Mapping[str, str]
) -> list[RowError]:
    """What the database would refuse of `values` for `model`'s fields: text longer than the
    column, integers beyond the column's range, decimals with more digits than it holds. A
    commit that meets these fails whole, after the preview said "ready"; say them here, on
    the user's row and column. Ranges are PostgreSQL's, also on SQLite (which would store
    them), so that a sheet checked on the demo imports in production too."""
    errors = []
    for name, value in values.items():
        if value is None or value == "":
            continue
        field = model._meta.get_field(name)
        column = columns.get(name) or str(getattr(field, "verbose_name", name))
        message = _field_problem(field, value)
        if message:
            errors.append(RowError(row, column, message))
    return errors


def _field_problem(field: Any, value: Any) -> str | None:
    if isinstance(field, models.CharField) and field.max_length and len(str(value)) > field.max_length:
        return TOO_LONG.format(value=str(value)[:20] + ("…" if len(str(value)) > 20 else ""), length=len(str(value)),
                               limit=field.max_length)
    if isinstance(field, models.DecimalField):
        try:
            d = Decimal(str(value))
        except InvalidOperation:
            return None  # not a number: the importer's own check says so
        if not d.is_finite():
            return None
        places = max(0, -int(d.normalize().as_tuple().exponent))
        whole = len(str(int(abs(d)))) if abs(d) >= 1 else 0
        max_whole = field.max_digits - field.decimal_places
        if places > field.decimal_places or whole > max_whole:
            return TOO_MANY_DIGITS.format(value=value, whole=max_whole, places=field.decimal_places)
        return None
    if isinstance(field, models.IntegerField):
        low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        if not isinstance(value, int) or not low <= value <= high:
            return OUT_OF_RANGE.format(value=value, low=low, high=high)
    return None


Validator = Callable[[bytes, str, Any, Any], tuple[list[dict[str, Any]], list[RowError], dict[str, Any]]]
Committer = Callable[[list[dict[str, Any]], Any, Any], dict[str, Any]]


def _validated(content: bytes, filename: str, unit: Any, actor: User, validate: Validator) -> dict[str, Any]:
    """The batch fields a validation gives: rows to keep, or every error."""
    try:
        rows, errors, summary = validate(content, filename, unit, actor)
    except ShequError as exc:  # unreadable file, missing columns: one error for the sheet
        rows, errors, summary = [], [RowError(row=1, column="", message=exc.message)], {}
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
    batch = ImportBatch.objects.create(kind=kind, filename=filename[:200], actor=actor, unit=unit, **fields)
    _audit_staged(batch=batch, kind=kind, unit=unit, actor=actor)
    return batch


@transaction.atomic
def import_upload(*, kind: str, filename: str, content: bytes, unit: Any, actor: User) -> ImportBatch:
    """Keep an upload for a background job to validate (import_validate_stored)."""
    require_unit_in_scope(actor, unit)
    batch = ImportBatch.objects.create(
        kind=kind, filename=filename[:200], actor=actor, unit=unit, status=ImportBatch.Status.VALIDATING,
        content=content,
    )
    _audit_staged(batch=batch, kind=kind, unit=unit, actor=actor)
    return batch


def _audit_staged(*, batch: ImportBatch, kind: str, unit: Any, actor: User) -> None:
    # The staged rows hold ID numbers: who uploaded what is on record until they are purged.
    audit_record(actor=actor, action=AuditAction.IMPORT_STAGE, target=batch, unit=unit,
                 after={"filename": batch.filename, "kind": kind, "status": batch.status, "row_count": batch.row_count},
                 summary=f"上传 {batch.filename}")


@transaction.atomic
def import_discard(*, batch: ImportBatch, actor: User) -> ImportBatch:
    """Give up a staged batch and drop its rows now rather than at the purge."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    require_unit_in_scope(actor, batch.unit)
    if batch.status not in (ImportBatch.Status.READY, ImportBatch.Status.INVALID):
        raise ImportRefused(NOT_DISCARDABLE.format(status=batch.get_status_display()))
    before = {"status": batch.status, "row_count": batch.row_count}
    batch.status = ImportBatch.Status.DISCARDED
    batch.rows, batch.errors, batch.content = [], [], b""
    batch.save(update_fields=["status", "rows", "errors", "content"])
    audit_record(actor=actor, action=AuditAction.IMPORT_DISCARD, target=batch, unit=batch.unit,
                 before=before, after={"status": batch.status}, summary=f"放弃 {batch.filename}")
    return batch


def staged_ttl() -> dt.timedelta:
    return dt.timedelta(days=settings.STAGED_IMPORT_DAYS)


@transaction.atomic
def import_purge_staged(*, now: dt.datetime | None = None, actor: User | None = None) -> int:
    """Empty the rows and errors (both hold ID numbers) of every batch older than the
    retention period; a batch still waiting to be committed becomes discarded.
    The batch row itself stays as the record of the import. Returns how many were purged."""
    cutoff = (now or timezone.now()) - staged_ttl()
    stale = list(
        ImportBatch.objects.select_for_update().select_related("unit")
        .filter(created_at__lt=cutoff, purged_at__isnull=True)
    )
    if not stale:
        return 0
    stamp = timezone.now()
    audits = []
    for batch in stale:
        before = {"status": batch.status, "row_count": batch.row_count}
        if batch.status in (ImportBatch.Status.READY, ImportBatch.Status.INVALID):
            batch.status = ImportBatch.Status.DISCARDED
        batch.rows, batch.errors, batch.purged_at, batch.content = [], [], stamp, b""
        audits.append((batch.pk, str(batch), batch.unit, before, {"status": batch.status}))
    ImportBatch.objects.bulk_update(stale, ["status", "rows", "errors", "purged_at", "content"])
    audit_bulk(actor=actor, action=AuditAction.IMPORT_PURGE, target_type="common.importbatch", rows=audits,
               summary=f"清除超过 {settings.STAGED_IMPORT_DAYS} 天的待导入数据")
    return len(stale)


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
        audit_record(actor=actor, action=IMPORT_ACTIONS[batch.kind], target=batch, unit=batch.unit,
                     after={"filename": batch.filename, **result}, summary=f"导入 {batch.filename}")
    return batch
