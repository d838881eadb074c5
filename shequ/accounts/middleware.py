"""Every page needs a logged-in user, except the login page, static files and the API
(which has its own token authentication)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

OPEN_PREFIXES = ("/accounts/login", "/static/", "/api/", "/admin/", "/healthz")


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        # A password an administrator set is changed before anything else is done.
        if (getattr(request.user, "must_change_password", False)
                and not request.path.startswith((*OPEN_PREFIXES, "/accounts/password/", "/accounts/logout/"))):
            return redirect("password_change")
        return self.get_response(request)
