from __future__ import annotations

from typing import Any, cast

from django import forms

from shequ.workers.inputs import EXIT_REASONS
from shequ.workers.models import Category, CertificateLevel, Education

DATE = forms.DateInput(attrs={"type": "date"})


class WorkerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=18, min_length=18)
    unit = forms.ChoiceField(label="所属单位")
    category = forms.ChoiceField(label="人员类别", choices=Category.choices)
    post = forms.ChoiceField(label="岗位")
    education = forms.ChoiceField(label="学历", choices=Education.choices)
    community_work_start = forms.DateField(label="参加社区工作时间", widget=DATE)
    certificate = forms.ChoiceField(label="职业资格", choices=CertificateLevel.choices, initial="无")
    grade = forms.IntegerField(label="等级（可空，空则按政策定级）", required=False, min_value=1)
    phone = forms.CharField(label="联系电话", required=False, max_length=20)
    effective = forms.DateField(label="入职日期", widget=DATE)
    cause = forms.CharField(label="事由", required=False, max_length=300, initial="新增人员")

    def __init__(self, *args: Any, units: list[tuple[int, str]], posts: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = units
        cast(forms.ChoiceField, self.fields["post"]).choices = [(p, p) for p in posts]


class WorkerEditForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    category = forms.ChoiceField(label="人员类别", choices=Category.choices)
    post = forms.ChoiceField(label="岗位")
    education = forms.ChoiceField(label="学历", choices=Education.choices)
    community_work_start = forms.DateField(label="参加社区工作时间", widget=DATE)
    certificate = forms.ChoiceField(label="职业资格", choices=CertificateLevel.choices)
    grade = forms.IntegerField(label="等级", required=False, min_value=1)
    phone = forms.CharField(label="联系电话", required=False, max_length=20)
    effective = forms.DateField(label="生效日期", widget=DATE)
    cause = forms.CharField(label="事由", max_length=300)

    def __init__(self, *args: Any, posts: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["post"]).choices = [(p, p) for p in posts]


class TransferForm(forms.Form):
    to_unit = forms.ChoiceField(label="调入单位")
    effective = forms.DateField(label="生效日期", widget=DATE)
    cause = forms.CharField(label="事由", max_length=300)

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_unit"]).choices = units


class ExitForm(forms.Form):
    REASONS = [(r, r) for r in EXIT_REASONS]  # the same list the API's WorkerExitIn accepts
    reason = forms.ChoiceField(label="退出方式", choices=REASONS)
    on = forms.DateField(label="离职日期", widget=DATE)
    cause = forms.CharField(label="说明", required=False, max_length=300)
