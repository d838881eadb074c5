"""Writes for net pay (P-NET): special additional deductions per worker and month and
workers' bank accounts, entered one by one or imported in bulk; the audited views of full
card numbers. Kept apart from services.py (the run's life cycle) so the
two change independently."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from shequ.accounts.roles import has_capability
from shequ.common.audit import audit_bulk, audit_record
from shequ.common.audit_actions import AuditAction
from shequ.common.provinces import transaction
from shequ.common.scope import require_unit_in_scope
from shequ.errors import Forbidden, Invalid
from shequ.org.models import Unit
from shequ.pay.models import (
    SPECIAL_KINDS,
    BankAccount,
    MonthlyItem,
    PayRun,
    SpecialDeduction,
    mask_card,
)
from shequ.sheets.io import read_records
from shequ.sheets.validate import SheetError, SheetInvalid
from shequ.workers.models import Worker

if TYPE_CHECKING:
    from shequ.accounts.models import User

NOT_FIRST_DAY = "月份必须是某月的第一天：{month}"
BAD_AMOUNT = "应为不小于 0 的金额，实际为「{value}」"
UNKNOWN_KIND = "不认识的专项附加扣除项目「{kind}」，可填：{kinds}"
NO_ID_COLUMN = "缺少“证件号码”列（也可写作“身份证号”）"
NO_KIND_COLUMN = "没有任何专项附加扣除项目列，可填：{kinds}"
NOT_IN_SCOPE = "证件号码「{value}」不是本单位范围内的在册人员"
DUPLICATE_ROW = "证件号码「{value}」与第 {other} 行重复"
ID_HEADERS = ("证件号码", "身份证号")


def _amount(text: str) -> Decimal:
    try:
        v = Decimal(text.replace(",", "").strip() or "0")
    except InvalidOperation:
        raise Invalid(text) from None
    if v < 0 or not v.is_finite():
        raise Invalid(text)
    return v.quantize(Decimal("0.01"))


def _check_month(month: date) -> None:
    if month.day != 1:
        raise Invalid(NOT_FIRST_DAY.format(month=month))


@transaction.atomic
def special_deduction_set(*, worker: Worker, month: date, amounts: dict[str, Decimal], actor: User) -> SpecialDeduction:
    """Record (or replace) one worker's special additional deductions for `month`."""
    require_unit_in_scope(actor, worker.unit)
    _check_month(month)
    for kind, v in amounts.items():
        if kind not in SPECIAL_KINDS:
            raise Invalid(UNKNOWN_KIND.format(kind=kind, kinds="、".join(SPECIAL_KINDS)))
        if v < 0:
            raise Invalid(f"{kind}：" + BAD_AMOUNT.format(value=v))
    clean = {k: str(Decimal(v).quantize(Decimal("0.01"))) for k, v in amounts.items() if v}
    total = sum((Decimal(v) for v in clean.values()), Decimal("0.00"))
    before = SpecialDeduction.objects.filter(worker=worker, month=month).values("amounts", "total").first()
    row, _ = SpecialDeduction.objects.update_or_create(
        worker=worker, month=month,
        defaults={"amounts": clean, "total": total, "entered_by": actor if getattr(actor, "pk", None) else None},
    )
    audit_record(actor=actor, action=AuditAction.PAY_SPECIAL_DEDUCTION_SET, target=row, unit=worker.unit,
                 before=before, after={"amounts": clean, "total": total},
                 summary=f"{worker.name} {month:%Y年%m月}专项附加扣除 {total}")
    return row


@transaction.atomic
def special_deductions_import(*, unit: Unit, month: date, data: bytes, filename: str, actor: User) -> int:
    """Import a month's special additional deductions: one row per worker (证件号码, and a
    column per kind that applies). Every error is reported with its row and column and
    nothing is written unless the whole sheet is valid. Returns the rows written."""
    require_unit_in_scope(actor, unit)
    _check_month(month)
    headers, records = read_records(data, filename)
    id_col = next((h for h in ID_HEADERS if h in headers), None)
    kinds = [h for h in headers if h in SPECIAL_KINDS]
    if id_col is None:
        raise SheetInvalid([SheetError(1, "证件号码", NO_ID_COLUMN)])
    if not kinds:
        raise SheetInvalid([SheetError(1, "表头", NO_KIND_COLUMN.format(kinds="、".join(SPECIAL_KINDS)))])
    ids = {r[id_col].strip().upper() for _, r in records}
    workers = {w.id_number: w for w in Worker.objects.filter(unit__path__startswith=unit.path, id_number__in=ids)
               .select_related("unit")}
    errors: list[SheetError] = []
    seen: dict[str, int] = {}
    parsed: list[tuple[Worker, dict[str, str], Decimal]] = []
    for row, r in records:
        idn = r[id_col].strip().upper()
        w = workers.get(idn)
        if w is None:
            errors.append(SheetError(row, id_col, NOT_IN_SCOPE.format(value=idn)))
        elif idn in seen:
            errors.append(SheetError(row, id_col, DUPLICATE_ROW.format(value=idn, other=seen[idn])))
        seen.setdefault(idn, row)
        amounts: dict[str, str] = {}
        for k in kinds:
            try:
                v = _amount(r[k])
            except Invalid:
                errors.append(SheetError(row, k, BAD_AMOUNT.format(value=r[k])))
                continue
            if v:
                amounts[k] = str(v)
        if w is not None:
            parsed.append((w, amounts, sum((Decimal(v) for v in amounts.values()), Decimal("0.00"))))
    if errors:
        raise SheetInvalid(errors)
    SpecialDeduction.objects.filter(month=month, worker__in=[w for w, _, _ in parsed]).delete()
    made = SpecialDeduction.objects.bulk_create([
        SpecialDeduction(worker=w, month=month, amounts=a, total=t, entered_by=actor if getattr(actor, "pk", None) else None)
        for w, a, t in parsed
    ], batch_size=2000)
    audit_bulk(actor=actor, action=AuditAction.PAY_SPECIAL_DEDUCTION_IMPORT, target_type="pay.specialdeduction",
               rows=[(m.pk or 0, f"{w.name} {month:%Y-%m}", w.unit, None, {"amounts": a, "total": t})
                     for m, (w, a, t) in zip(made, parsed, strict=True)],
               summary=f"导入{unit.name} {month:%Y年%m月}专项附加扣除 {len(made)} 人")
    return len(made)


BAD_CARD = "卡号应为 12 至 30 位数字，实际为「{value}」"
NO_BANK = "开户行不能为空"
NEEDS_FINANCE = "查看完整银行卡号需要财务权限"
BANK_HEADERS = ("证件号码", "开户行", "卡号")


def _card(text: str) -> str:
    digits = text.replace(" ", "").replace("-", "")
    if not digits.isdigit() or not 12 <= len(digits) <= 30:
        raise Invalid(BAD_CARD.format(value=text))
    return digits


@transaction.atomic
def bank_account_set(*, worker: Worker, bank_name: str, card_number: str, actor: User) -> BankAccount:
    """Record (or replace) the account a worker is paid into. The audit keeps the masked
    number only: the audit log is read by more people than finance."""
    require_unit_in_scope(actor, worker.unit)
    if not bank_name.strip():
        raise Invalid(NO_BANK)
    card = _card(card_number)
    old = BankAccount.objects.filter(worker=worker).first()
    before = {"bank_name": old.bank_name, "card": old.masked} if old else None
    acc, _ = BankAccount.objects.update_or_create(
        worker=worker, defaults={"bank_name": bank_name.strip(), "card_number": card,
                                 "updated_by": actor if getattr(actor, "pk", None) else None},
    )
    audit_record(actor=actor, action=AuditAction.PAY_BANK_ACCOUNT_SET, target=acc, unit=worker.unit, before=before,
                 after={"bank_name": acc.bank_name, "card": acc.masked}, summary=f"{worker.name}银行账户 {acc}")
    return acc


@transaction.atomic
def bank_accounts_import(*, unit: Unit, data: bytes, filename: str, actor: User) -> int:
    """Import 证件号码, 开户行, 卡号 for workers of `unit`; all rows valid or nothing written."""
    require_unit_in_scope(actor, unit)
    headers, records = read_records(data, filename)
    missing = [h for h in BANK_HEADERS if h not in headers and not (h == "证件号码" and "身份证号" in headers)]
    if missing:
        raise SheetInvalid([SheetError(1, h, f"缺少“{h}”列") for h in missing])
    id_col = "证件号码" if "证件号码" in headers else "身份证号"
    ids = {r[id_col].strip().upper() for _, r in records}
    workers = {w.id_number: w for w in Worker.objects.filter(unit__path__startswith=unit.path, id_number__in=ids)
               .select_related("unit")}
    errors: list[SheetError] = []
    seen: dict[str, int] = {}
    rows: list[tuple[Worker, str, str]] = []
    for row, r in records:
        idn = r[id_col].strip().upper()
        w = workers.get(idn)
        if w is None:
            errors.append(SheetError(row, id_col, NOT_IN_SCOPE.format(value=idn)))
        elif idn in seen:
            errors.append(SheetError(row, id_col, DUPLICATE_ROW.format(value=idn, other=seen[idn])))
        seen.setdefault(idn, row)
        if not r["开户行"].strip():
            errors.append(SheetError(row, "开户行", NO_BANK))
        try:
            card = _card(r["卡号"])
        except Invalid as exc:
            errors.append(SheetError(row, "卡号", str(exc)))
            continue
        if w is not None:
            rows.append((w, r["开户行"].strip(), card))
    if errors:
        raise SheetInvalid(errors)
    BankAccount.objects.filter(worker__in=[w for w, _, _ in rows]).delete()
    made = BankAccount.objects.bulk_create(
        [BankAccount(worker=w, bank_name=b, card_number=c, updated_by=actor if getattr(actor, "pk", None) else None)
         for w, b, c in rows], batch_size=2000)
    audit_bulk(actor=actor, action=AuditAction.PAY_BANK_ACCOUNT_IMPORT, target_type="pay.bankaccount",
               rows=[(m.pk or 0, w.name, w.unit, None, {"bank_name": b, "card": mask_card(c)})
                     for m, (w, b, c) in zip(made, rows, strict=True)],
               summary=f"导入{unit.name}银行账户 {len(made)} 人")
    return len(made)


@transaction.atomic
def bank_account_reveal(*, account: BankAccount, actor: User) -> str:
    """The full card number, for finance only; the view itself is audited."""
    worker = account.worker
    require_unit_in_scope(actor, worker.unit)
    if not has_capability(actor, "pay.bank"):
        raise Forbidden(NEEDS_FINANCE)
    audit_record(actor=actor, action=AuditAction.PAY_BANK_ACCOUNT_REVEAL, target=account, unit=worker.unit,
                 summary=f"查看{worker.name}完整银行卡号")
    return account.card_number


@transaction.atomic
def bank_sheet_issue(*, run: PayRun, actor: User) -> bytes:
    """The run's bank transfer sheet, with full card numbers: finance only, audited as one
    view of every number on it."""
    from shequ.pay.exports import bank_sheet_export

    require_unit_in_scope(actor, run.unit)
    if not has_capability(actor, "pay.bank"):
        raise Forbidden(NEEDS_FINANCE)
    content, count = bank_sheet_export(run)
    audit_record(actor=actor, action=AuditAction.PAY_BANK_SHEET_EXPORT, target=run, unit=run.unit,
                 after={"accounts": count, "net_total": run.net_total},
                 summary=f"导出{run}银行代发表（完整卡号 {count} 个）")
    return content


UNKNOWN_PAY_ITEM = "「{item}」不是适用政策“{policy}”的月度项目，可填：{items}"
NOT_POSITIVE_AMOUNT = "金额应大于 0（扣款也填正数），实际为「{value}」"
ITEM_HEADERS = ("证件号码", "项目", "金额")


def _item_names(worker_units: list[Unit], month: date) -> dict[int, tuple[str, list[str]]]:
    """unit id → (policy label, the item names its governing policy defines on the month's last day)."""
    from shequ.pay.compute import month_last_day
    from shequ.policy.resolve import governing_for_units

    on = month_last_day(month)
    return {uid: (g.label, list(g.policy.params(on).pay_items.items))
            for uid, g in governing_for_units(units=worker_units, on=on).items()}


@transaction.atomic
def monthly_item_set(*, worker: Worker, month: date, item: str, amount: Decimal, note: str = "", actor: User) -> MonthlyItem:
    """P-ITEM: record (or replace) one item of a worker's month; the name must be one of the
    governing policy's pay_items."""
    require_unit_in_scope(actor, worker.unit)
    _check_month(month)
    label, names = _item_names([worker.unit], month)[worker.unit_id]
    if item not in names:
        raise Invalid(UNKNOWN_PAY_ITEM.format(item=item, policy=label, items="、".join(names) or "无"))
    if amount <= 0:
        raise Invalid(NOT_POSITIVE_AMOUNT.format(value=amount))
    row, _ = MonthlyItem.objects.update_or_create(
        worker=worker, month=month, item=item,
        defaults={"amount": amount, "note": note, "entered_by": actor if getattr(actor, "pk", None) else None},
    )
    audit_record(actor=actor, action=AuditAction.PAY_ITEM_SET, target=row, unit=worker.unit,
                 after={"item": item, "amount": amount, "note": note},
                 summary=f"{worker.name} {month:%Y年%m月}{item} {amount}")
    return row


@transaction.atomic
def monthly_items_import(*, unit: Unit, month: date, data: bytes, filename: str, actor: User) -> int:
    """P-ITEM: import a month's items (证件号码, 项目, 金额, 说明); a row replaces the same
    worker's same item of that month. All rows valid or nothing written."""
    require_unit_in_scope(actor, unit)
    _check_month(month)
    headers, records = read_records(data, filename)
    id_col = next((h for h in ID_HEADERS if h in headers), None)
    missing = [h for h in ITEM_HEADERS[1:] if h not in headers]
    if id_col is None or missing:
        raise SheetInvalid([SheetError(1, h, f"缺少“{h}”列") for h in ([] if id_col else ["证件号码"]) + missing])
    ids = {r[id_col].strip().upper() for _, r in records}
    workers = {w.id_number: w for w in Worker.objects.filter(unit__path__startswith=unit.path, id_number__in=ids)
               .select_related("unit")}
    names = _item_names(list({w.unit_id: w.unit for w in workers.values()}.values()), month)
    errors: list[SheetError] = []
    seen: dict[tuple[str, str], int] = {}
    rows: list[tuple[Worker, str, Decimal, str]] = []
    for row, r in records:
        idn, item = r[id_col].strip().upper(), r["项目"].strip()
        w = workers.get(idn)
        if w is None:
            errors.append(SheetError(row, id_col, NOT_IN_SCOPE.format(value=idn)))
        else:
            label, allowed = names[w.unit_id]
            if item not in allowed:
                errors.append(SheetError(row, "项目", UNKNOWN_PAY_ITEM.format(item=item, policy=label, items="、".join(allowed) or "无")))
        if (idn, item) in seen:
            errors.append(SheetError(row, "项目", f"证件号码「{idn}」的「{item}」与第 {seen[(idn, item)]} 行重复"))
        seen.setdefault((idn, item), row)
        try:
            amount = _amount(r["金额"])
            if amount <= 0:
                raise Invalid(r["金额"])
        except Invalid:
            errors.append(SheetError(row, "金额", NOT_POSITIVE_AMOUNT.format(value=r["金额"])))
            continue
        if w is not None:
            rows.append((w, item, amount, r.get("说明", "").strip()[:200]))
    if errors:
        raise SheetInvalid(errors)
    for w, item, _, _ in rows:
        MonthlyItem.objects.filter(worker=w, month=month, item=item).delete()
    made = MonthlyItem.objects.bulk_create([
        MonthlyItem(worker=w, month=month, item=i, amount=a, note=n, entered_by=actor if getattr(actor, "pk", None) else None)
        for w, i, a, n in rows
    ], batch_size=2000)
    audit_bulk(actor=actor, action=AuditAction.PAY_ITEM_IMPORT, target_type="pay.monthlyitem",
               rows=[(m.pk or 0, f"{w.name} {month:%Y-%m} {i}", w.unit, None, {"item": i, "amount": a})
                     for m, (w, i, a, _) in zip(made, rows, strict=True)],
               summary=f"导入{unit.name} {month:%Y年%m月}月度项目 {len(made)} 条")
    return len(made)
