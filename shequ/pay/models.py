"""Monthly pay runs (护): one run per scope and month, one line per worker, adjustments
for earlier locked months. A locked run and its lines never change (the database refuses)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class RunStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    APPROVED = "approved", "已审核"
    LOCKED = "locked", "已锁定"


class PayRun(models.Model):
    """The pay of every worker in `unit`'s subtree for `month` (its first day)."""

    unit = models.ForeignKey("org.Unit", verbose_name="核算范围", on_delete=models.PROTECT, related_name="pay_runs")
    month = models.DateField("月份")
    status = models.CharField("状态", max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    # label -> digest ("" for the deployment default): which policy texts decided the lines.
    policies = models.JSONField("政策版本", default=dict, blank=True)
    components = models.JSONField("薪酬项目", default=list, blank=True)
    # Per unit: headcount, totals and component sums, written with the lines.
    summary = models.JSONField("分单位汇总", default=list, blank=True)
    headcount = models.PositiveIntegerField("人数", default=0)
    total = models.DecimalField("应发合计", max_digits=16, decimal_places=2, default=0)
    adjustments_total = models.DecimalField("补发扣回合计", max_digits=16, decimal_places=2, default=0)
    employer_benefits = models.DecimalField("单位五险一金", max_digits=16, decimal_places=2, default=0)
    employee_benefits = models.DecimalField("个人五险一金", max_digits=16, decimal_places=2, default=0)
    tax_total = models.DecimalField("个人所得税合计", max_digits=16, decimal_places=2, default=0)
    net_total = models.DecimalField("实发合计", max_digits=16, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    computed_at = models.DateTimeField("核算时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="锁定人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)

    class Meta:
        ordering = ["-month", "unit__path"]
        constraints = [
            # The one-run rule lives here, so two requests at once cannot make two runs.
            models.UniqueConstraint(fields=["unit", "month"], name="payrun_one_per_unit_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="payrun_month_first_day"),
        ]
        verbose_name = "月度薪酬核算"
        verbose_name_plural = "月度薪酬核算"

    def __str__(self) -> str:
        return f"{self.unit.name} {self.month:%Y年%m月}"

    @property
    def is_locked(self) -> bool:
        return self.status == RunStatus.LOCKED


class LineKind(models.TextChoices):
    REGULAR = "regular", "当月"
    BACK_PAY = "back_pay", "补发"
    CLAW_BACK = "claw_back", "扣回"


class PayLine(models.Model):
    """A worker's pay for `for_month` inside a run: the month's own line, or a signed
    adjustment (补发 / 扣回) for an earlier locked month. The worker's state as used is
    kept on the line, so a locked line explains itself whatever happens later."""

    # No single-column FK indexes: (run, worker, for_month) and (run, unit) serve every
    # lookup, and each index less makes writing a run's hundreds of thousands of lines cheaper.
    run = models.ForeignKey(PayRun, on_delete=models.PROTECT, related_name="lines", db_index=False)
    worker = models.ForeignKey(
        "workers.Worker", verbose_name="人员", on_delete=models.PROTECT, related_name="pay_lines", db_index=False
    )
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField("类型", max_length=10, choices=LineKind.choices, default=LineKind.REGULAR)
    for_month = models.DateField("所属月份")
    policy_label = models.CharField("政策版本", max_length=120)
    post = models.CharField("岗位", max_length=20)
    grade = models.PositiveSmallIntegerField("等级")
    education = models.CharField("学历", max_length=10)
    certificate = models.CharField("职业资格", max_length=10)
    category = models.CharField("人员类别", max_length=10, blank=True, default="")
    years = models.PositiveSmallIntegerField("社区工作年限", default=0)
    # A-FILE: last year's assessment tier, which pay components may read (e.g. 绩效薪酬).
    last_tier = models.CharField("上年考核等次", max_length=10, blank=True, default="")
    # P-TREAT: the economic treatment held on the month's last day ("" for none).
    treatment = models.CharField("经济待遇", max_length=40, blank=True, default="")
    days = models.PositiveSmallIntegerField("计薪天数")
    days_in_month = models.PositiveSmallIntegerField("当月天数")
    probation_days = models.PositiveSmallIntegerField("试用期天数", default=0)
    # {component name: amount}; the components differ by policy, so they are a document.
    components = models.JSONField("薪酬项目", default=dict)
    gross = models.DecimalField("应发合计", max_digits=12, decimal_places=2)
    employer_benefits = models.DecimalField("单位五险一金", max_digits=12, decimal_places=2, default=0)
    employee_benefits = models.DecimalField("个人五险一金", max_digits=12, decimal_places=2, default=0)
    # P-BEN: the personal contribution per item (养老保险 …), for the tax office's sheet.
    contributions = models.JSONField("个人缴费明细", default=dict, blank=True)
    # P-ITEM: {item name: signed amount}; additions are in `gross`, deductions only in `net`.
    items = models.JSONField("月度项目", default=dict, blank=True)
    deductions = models.DecimalField("扣款", max_digits=12, decimal_places=2, default=0)
    # P-NET: income counted for tax (gross less tax-free items); the month's tax sits on the
    # worker's own-month line (or the first adjustment when there is none), with the
    # year-to-date figures it was computed from.
    taxable = models.DecimalField("应税收入", max_digits=12, decimal_places=2, default=0)
    special_deduction = models.DecimalField("专项附加扣除", max_digits=12, decimal_places=2, default=0)
    ytd_income = models.DecimalField("累计收入", max_digits=14, decimal_places=2, default=0)
    ytd_taxable = models.DecimalField("累计应纳税所得额", max_digits=14, decimal_places=2, default=0)
    ytd_tax = models.DecimalField("累计已预扣税额", max_digits=14, decimal_places=2, default=0)
    tax = models.DecimalField("个人所得税", max_digits=12, decimal_places=2, default=0)
    net = models.DecimalField("实发", max_digits=12, decimal_places=2, default=0)
    reason = models.CharField("原因", max_length=500, blank=True, default="")

    class Meta:
        ordering = ["unit_id", "worker_id", "for_month"]
        constraints = [
            models.UniqueConstraint(fields=["run", "worker", "for_month"], name="payline_one_per_worker_month"),
            models.CheckConstraint(condition=Q(days__lte=models.F("days_in_month")), name="payline_days_in_month"),
        ]
        indexes = [models.Index(fields=["run", "unit"], name="payline_run_unit_idx")]
        verbose_name = "薪酬明细"
        verbose_name_plural = "薪酬明细"

    def __str__(self) -> str:
        return f"{self.worker_id} {self.for_month:%Y-%m} {self.get_kind_display()}"


class SpecialDeduction(models.Model):
    """P-NET: a worker's special additional deductions (专项附加扣除) for one month, as the
    worker declared them; the cumulative method sums them over the year."""

    worker = models.ForeignKey("workers.Worker", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")
    # {kind: amount}, kinds from SPECIAL_KINDS.
    amounts = models.JSONField("扣除明细", default=dict)
    total = models.DecimalField("合计", max_digits=12, decimal_places=2, default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "month"], name="special_deduction_one_per_worker_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="special_deduction_month_first_day"),
            models.CheckConstraint(condition=Q(total__gte=0), name="special_deduction_not_negative"),
        ]
        verbose_name = "专项附加扣除"
        verbose_name_plural = "专项附加扣除"

    def __str__(self) -> str:
        return f"{self.worker_id} {self.month:%Y-%m} {self.total}"


# The kinds the withholding client knows, in its column order (累计… columns).
# 大病医疗 is claimed only in the annual settlement, never in monthly withholding.
SPECIAL_KINDS = ["子女教育", "继续教育", "住房贷款利息", "住房租金", "赡养老人", "3岁以下婴幼儿照护"]


class BankAccount(models.Model):
    """The account a worker's 实发 is transferred to. The card number is shown masked; the
    full number only to finance, and every such view is audited."""

    worker = models.OneToOneField("workers.Worker", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    bank_name = models.CharField("开户行", max_length=100)
    card_number = models.CharField("卡号", max_length=30)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(card_number=""), name="bank_account_card_not_empty"),
        ]
        verbose_name = "银行账户"
        verbose_name_plural = "银行账户"

    def __str__(self) -> str:
        return f"{self.bank_name} {self.masked}"

    @property
    def masked(self) -> str:
        return mask_card(self.card_number)


def mask_card(number: str) -> str:
    """6222 0212 3456 7890 → 6222 **** **** 7890: enough to recognise, not to use."""
    if len(number) <= 8:
        return "*" * len(number)
    return f"{number[:4]} {'*' * 4} {'*' * 4} {number[-4:]}"


class MonthlyItem(models.Model):
    """P-ITEM: a named one-off addition or deduction for a worker in a month (出差补助, 奖励,
    扣款 …). Which names exist, and whether each is a deduction or taxable, is policy data
    (pay_items); the amount is entered positive."""

    worker = models.ForeignKey("workers.Worker", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")
    item = models.CharField("项目", max_length=40)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True, default="")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "month", "item"], name="monthly_item_one_per_worker_month_item"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_item_month_first_day"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="monthly_item_amount_positive"),
        ]
        indexes = [models.Index(fields=["month", "worker"], name="monthly_item_month_idx")]
        verbose_name = "月度项目"
        verbose_name_plural = "月度项目"

    def __str__(self) -> str:
        return f"{self.worker_id} {self.month:%Y-%m} {self.item} {self.amount}"


class LeaveStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"


class Leave(models.Model):
    """P-LEAVE: a worker's leave from `start` to `end` (calendar days, both included). Which
    kinds exist, their yearly entitlement and whether their days are paid is policy data
    (leave.types); approved unpaid days reduce the month's paid days."""

    worker = models.ForeignKey("workers.Worker", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("假别", max_length=20)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    days = models.PositiveSmallIntegerField("天数")
    status = models.CharField("状态", max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING)
    note = models.CharField("说明", max_length=200, blank=True, default="")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="leave_end_after_start"),
            models.CheckConstraint(condition=Q(days__gte=1), name="leave_at_least_one_day"),
        ]
        indexes = [models.Index(fields=["status", "start"], name="leave_status_start_idx")]
        verbose_name = "请假"
        verbose_name_plural = "请假"

    def __str__(self) -> str:
        return f"{self.worker_id} {self.kind} {self.start}—{self.end}"


class Treatment(models.Model):
    """P-TREAT: an economic treatment a worker enjoys by condition over a period (004: a
    community secretary with the treatment of a 街道副科级 cadre while in office). Pay
    formulas read it as `treatment`; what it pays is the policy's."""

    worker = models.ForeignKey("workers.Worker", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("待遇", max_length=40)
    since = models.DateField("起始日期")
    until = models.DateField("终止日期", null=True, blank=True)
    note = models.CharField("依据", max_length=200, blank=True, default="")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                                   name="treatment_until_after_since"),
        ]
        verbose_name = "经济待遇"
        verbose_name_plural = "经济待遇"

    def __str__(self) -> str:
        return f"{self.worker_id} {self.kind} {self.since}起"


class WelfareRecord(models.Model):
    """A worker's welfare record for a year (004: 健康体检, 工会会员); which items exist and
    how often each is due is policy data (welfare.items)."""

    worker = models.ForeignKey("workers.Worker", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    item = models.CharField("项目", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    on = models.DateField("日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True, default="")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "item", "year"], name="welfare_one_per_worker_item_year"),
        ]
        verbose_name = "福利记录"
        verbose_name_plural = "福利记录"

    def __str__(self) -> str:
        return f"{self.worker_id} {self.year} {self.item}"
