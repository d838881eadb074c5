from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shequ.accounts import services
from shequ.accounts.decorators import requires
from shequ.accounts.forms import ChinesePasswordChangeForm, LoginForm
from shequ.accounts.models import ApiToken, User
from shequ.accounts.roles import grantable_roles
from shequ.accounts.selectors import user_list
from shequ.accounts.services import api_token_create, api_token_revoke
from shequ.accounts.types import AuthedRequest
from shequ.common import provinces
from shequ.common.params import an_optional_id
from shequ.common.scope import get_in_scope_or_404
from shequ.errors import ShequError
from shequ.org.models import Unit
from shequ.org.selectors import unit_list


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        if provinces.multi():
            if request.session.get(provinces.SESSION_KEY, provinces.NATIONAL) != form.province:
                request.session.flush()  # the same user id means another person in another province
            with provinces.use(form.province):
                login(request, form.user)  # last login and the audit row go to the user's province
            request.session[provinces.SESSION_KEY] = form.province
        else:
            login(request, form.user)
        target = request.POST.get("next") or request.GET.get("next") or "/"
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "/"
        return redirect(target)
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


def password_change_view(request: AuthedRequest) -> HttpResponse:
    form = ChinesePasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if user.must_change_password:
            User.objects.filter(pk=user.pk).update(must_change_password=False)
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改")
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form, "forced": request.user.must_change_password})


def tokens_view(request: AuthedRequest) -> HttpResponse:
    """The user's own API tokens: create (the key is shown once) and revoke."""
    raw = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token = get_object_or_404(ApiToken, pk=an_optional_id(request.POST["revoke"], label="令牌") or 0, user=request.user)
            api_token_revoke(token=token, actor=request.user)
            messages.success(request, f"已停用令牌 {token.name}")
            return redirect("tokens")
        try:
            _, raw = api_token_create(user=request.user, name=request.POST.get("name", ""))
        except ShequError as exc:
            messages.error(request, str(exc))
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"tokens": tokens, "raw": raw, "page_title": "接口令牌"})


USER_ERRORS = (services.UserAdminError, PermissionError)


def _units(request: AuthedRequest) -> list[Unit]:
    return list(unit_list(user=request.user).exclude(unit_type="网格").order_by("path")[:2000])


def _unit_of(request: AuthedRequest) -> Unit | None:
    pk = request.POST.get("unit", "")
    # An out-of-scope id is looked up unscoped so the service can refuse it by name.
    return Unit.objects.filter(pk=pk).first() if pk.isdigit() else None


@requires("users.manage")
def users_view(request: AuthedRequest) -> HttpResponse:
    """The users of the administrator's subtree, and a form to add one."""
    if request.method == "POST":
        try:
            user = services.user_create(
                actor=request.user, username=request.POST.get("username", ""),
                display_name=request.POST.get("display_name", ""), role=request.POST.get("role", ""),
                unit=_unit_of(request), password=request.POST.get("password", ""),
            )
        except USER_ERRORS as exc:
            messages.error(request, f"未创建用户：{exc}")
        else:
            messages.success(request, f"已创建用户 {user.username}，首次登录须修改密码")
            return redirect("users")
    return render(request, "accounts/users.html", {
        "page_title": "用户管理", "users": user_list(user=request.user)[:1000], "roles": grantable_roles(request.user),
        "units": _units(request), "posted": request.POST,
    })


@requires("users.manage")
def user_view(request: AuthedRequest, pk: int) -> HttpResponse:
    target = get_in_scope_or_404(User.objects.select_related("unit").filter(is_superuser=False), request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "update":
                services.user_update(actor=request.user, user=target, role=request.POST.get("role", ""),
                                     unit=_unit_of(request), display_name=request.POST.get("display_name", ""))
                messages.success(request, f"已保存用户 {target.username}")
            elif action in ("disable", "enable"):
                services.user_set_active(actor=request.user, user=target, active=action == "enable")
                messages.success(request, f"已{'启用' if action == 'enable' else '停用'}用户 {target.username}")
            elif action == "reset":
                services.user_reset_password(actor=request.user, user=target, password=request.POST.get("password", ""))
                messages.success(request, f"已重置 {target.username} 的密码，下次登录须修改")
        except USER_ERRORS as exc:
            messages.error(request, str(exc))
        return redirect("user", pk=target.pk)
    return render(request, "accounts/user.html", {
        "page_title": f"用户 · {target}", "target": target, "roles": grantable_roles(request.user), "units": _units(request),
    })
