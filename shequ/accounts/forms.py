from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed

from shequ.accounts import throttle
from shequ.common import provinces

if TYPE_CHECKING:
    from shequ.accounts.models import User

BAD_LOGIN = "用户名或密码不正确"


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None
        self.province = provinces.NATIONAL
        if provinces.multi():
            # Each province's users live in its own database: ask which one to look in.
            choices = [(a, provinces.province_name(a)) for a in provinces.provinces()]
            choices.append((provinces.NATIONAL, provinces.NATIONAL_NAME))
            self.fields["province"] = forms.ChoiceField(
                label="所属省份", choices=choices,
                error_messages={"required": "请选择所属省份", "invalid_choice": "所属省份不在本系统中"},
            )
            self.order_fields(["province", "username", "password"])

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        username, password = data.get("username", ""), data.get("password", "")
        if provinces.multi():
            if "province" not in data:
                return data  # the field's own Chinese error is already shown
            self.province = data["province"]
            with provinces.use(self.province):
                return self._authenticate(data, username, password)
        return self._authenticate(data, username, password)

    def _authenticate(self, data: dict[str, Any], username: str, password: str) -> dict[str, Any]:
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        # The same username is a different person in each province: so is its lockout.
        key = f"{self.province}/{username}" if provinces.multi() else username
        if throttle.is_locked(key, address):
            # Refused before authenticate(), which would have sent the signal: send it here
            # so a locked-out attempt is audited like any other failure.
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=self.request, locked=True)
            raise forms.ValidationError(throttle.lockout_message())
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            throttle.record_failure(key, address)
            raise forms.ValidationError(BAD_LOGIN)
        throttle.clear(key)
        self.user = user
        return data


class ChinesePasswordChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确",
        "password_mismatch": "两次输入的新密码不一致",
    }

    def clean_new_password2(self) -> str:
        # The same rules, said in Chinese (Django's own catalogue leaves some in English).
        from shequ.accounts.services import password_problems

        first, second = self.cleaned_data.get("new_password1"), self.cleaned_data.get("new_password2")
        if first and second and first != second:
            raise forms.ValidationError(self.error_messages["password_mismatch"], code="password_mismatch")
        problems = password_problems(second or "", self.user)
        if problems:
            raise forms.ValidationError("密码不符合要求：" + "；".join(problems))
        return second or ""
