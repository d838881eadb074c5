from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shequ.accounts.forms import ChinesePasswordChangeForm, LoginForm
from shequ.accounts.models import ApiToken
from shequ.accounts.services import api_token_create, api_token_revoke
from shequ.accounts.types import AuthedRequest
from shequ.common import provinces


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
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改")
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


def tokens_view(request: AuthedRequest) -> HttpResponse:
    """The user's own API tokens: create (the key is shown once) and revoke."""
    raw = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token = get_object_or_404(ApiToken, pk=request.POST["revoke"], user=request.user)
            api_token_revoke(token=token, actor=request.user)
            messages.success(request, f"已停用令牌 {token.name}")
            return redirect("tokens")
        try:
            _, raw = api_token_create(user=request.user, name=request.POST.get("name", ""))
        except ValueError as exc:
            messages.error(request, str(exc))
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"tokens": tokens, "raw": raw, "page_title": "接口令牌"})
