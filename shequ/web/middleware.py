"""Headers every response carries: the Content-Security-Policy, and `no-store` on anything
that may carry ID numbers (signed-in pages, API answers, exports), so neither the browser
nor a proxy keeps a copy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Handler = Callable[[HttpRequest], HttpResponse]


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        if not request.path.startswith(f"/{settings.STATIC_URL.strip('/')}/"):
            response["Cache-Control"] = "no-store"
        return response
