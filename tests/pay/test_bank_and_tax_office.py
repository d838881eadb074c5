"""P-NET for the tax office and the bank: the withholding client's 正常工资薪金所得 import sheet,
bank accounts masked on screen and full only for finance (every view audited), and the
bank transfer sheet whose total equals the run's 实发 total."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from shequ.common.models import AuditEntry
from shequ.pay.models import BankAccount
from shequ.pay.net_services import bank_account_set, special_deduction_set
from tests.pay.conftest import worker
from tests.pay.test_net_pay import HIGH_PAY

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)
CARD = "6222021234567890123"


def _read(content: bytes) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


@pytest.fixture
def paid(world: Any, bind: Any, run_month: Any) -> Any:
    """A January run of street A: a high earner with an account and a deduction, a colleague without an account."""
    bind(world.street_a, "", since=date(2021, 1, 1), text=HIGH_PAY)
    world.rich = worker(world.community_a1, name="高书记", post="正职", grade=10, education="高中", certificate="无")
    world.plain = worker(world.community_a2, name="无卡者", post="一般", grade=3, education="高中", certificate="无")
    bank_account_set(worker=world.rich, bank_name="中国工商银行铜仁分行", card_number=CARD, actor=world.street_a_hr)
    special_deduction_set(worker=world.rich, month=JAN, amounts={"子女教育": Decimal("2000"), "赡养老人": Decimal("1500")},
                          actor=world.street_a_hr)
    return run_month(world.street_a, JAN, actor=world.street_a_hr)


def test_p_net_the_tax_office_sheet_has_the_withholding_clients_columns_and_each_workers_figures(world: Any, paid: Any, client_for: Any) -> None:
    r = client_for(world.street_a_hr).get(reverse("pay:tax_export", args=[paid.pk]))
    assert r.status_code == 200
    rows = _read(r.content)
    header = rows[0]
    assert header[:10] == ["工号", "*姓名", "*证件类型", "*证件号码", "本期收入", "本期免税收入", "基本养老保险费",
                           "基本医疗保险费", "失业保险费", "住房公积金"]
    assert "累计子女教育" in header and "累计赡养老人" in header
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    rich = by_name["高书记"]
    assert rich["*证件类型"] == "居民身份证" and rich["*证件号码"] == world.rich.id_number
    assert rich["本期收入"] == pytest.approx(15000)
    # Hunchun's personal rates on the 15,000 base: 8% / 2% / 0.3% / 12%.
    assert (rich["基本养老保险费"], rich["基本医疗保险费"], rich["失业保险费"], rich["住房公积金"]) == pytest.approx(
        (1200, 300, 45, 1800))
    assert rich["累计子女教育"] == pytest.approx(2000) and rich["累计赡养老人"] == pytest.approx(1500)
    assert len(by_name) == paid.headcount


def test_p_net_the_bank_sheet_total_equals_the_runs_net_total(world: Any, paid: Any, client_for: Any) -> None:
    r = client_for(world.finance).get(reverse("pay:bank_sheet", args=[paid.pk]))
    assert r.status_code == 200
    rows = _read(r.content)
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "序号")
    header, data = rows[header_at], rows[header_at + 1:]
    assert header == ["序号", "姓名", "证件号码", "开户行", "卡号", "金额", "备注"]
    total = round(sum(float(row[5]) for row in data), 2)
    assert total == pytest.approx(float(paid.net_total)) and paid.net_total > 0
    by_name = {row[1]: row for row in data}
    assert by_name["高书记"][4] == CARD  # the full number, as text
    assert "缺少银行账户" in by_name["无卡者"][6]


def test_p_net_the_bank_sheet_is_for_finance_only_and_each_issue_is_audited(world: Any, paid: Any, client_for: Any) -> None:
    assert client_for(world.street_a_hr).get(reverse("pay:bank_sheet", args=[paid.pk])).status_code == 403
    client_for(world.finance).get(reverse("pay:bank_sheet", args=[paid.pk]))
    entry = AuditEntry.objects.get(action="pay.bank_sheet.export")
    assert entry.actor == world.finance and "完整卡号 1 个" in entry.summary


def test_p_net_the_accounts_page_masks_card_numbers_and_finance_reveals_one_with_an_audit_row(world: Any, paid: Any, client_for: Any) -> None:
    page = client_for(world.street_a_hr).get(reverse("pay:accounts")).content.decode()
    assert "6222 **** **** 0123" in page and CARD not in page
    account = BankAccount.objects.get(worker=world.rich)
    assert client_for(world.street_a_hr).post(reverse("pay:account_reveal", args=[account.pk])).status_code == 403
    c = client_for(world.finance)
    page = c.post(reverse("pay:account_reveal", args=[account.pk]), follow=True).content.decode()
    assert CARD in page
    assert AuditEntry.objects.filter(action="pay.bank_account.reveal", target_id=str(account.pk), actor=world.finance).count() == 1
    # Shown once: the next visit is masked again.
    assert CARD not in c.get(reverse("pay:accounts")).content.decode()
    # The audit of the entry itself keeps only the masked number.
    assert CARD not in str(AuditEntry.objects.get(action="pay.bank_account.set").after)


def test_p_net_a_street_user_sees_no_account_of_another_street(world: Any, paid: Any, client_for: Any) -> None:
    page = client_for(world.street_b_hr).get(reverse("pay:accounts")).content.decode()
    assert "高书记" not in page and "0123" not in page


def test_p_net_an_account_import_names_the_row_and_column_of_a_bad_card_number(world: Any, client_for: Any) -> None:
    w = worker(world.community_a1, name="乙")
    csv = f"证件号码,开户行,卡号\n{w.id_number},农业银行,12AB\n".encode()
    c = client_for(world.street_a_hr)
    f = io.BytesIO(csv)
    f.name = "账户.csv"
    page = c.post(reverse("pay:accounts_import"), {"unit": world.street_a.pk, "file": f}, follow=True).content.decode()
    assert "第 2 行「卡号」：卡号应为 12 至 30 位数字，实际为「12AB」" in page
    assert not BankAccount.objects.exists()
