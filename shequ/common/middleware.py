"""Pages' one mapping of ShequError: a Chinese message, the right HTTP status, nothing changed."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from shequ.common.api_errors import invalid_from_django
from shequ.errors import Forbidden, NotFound, ShequError

NOT_SAVED = "未保存：{message}"


class ShequErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, ValidationError):
            exc = invalid_from_django(exc)
        if not isinstance(exc, ShequError):
            return None
        if request.method == "POST" and not isinstance(exc, NotFound | Forbidden):
            # A refused write goes back where the form was, with the reason on top (PRG).
            messages.error(request, NOT_SAVED.format(message=exc.message))
            back = request.headers.get("referer", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                back = request.get_full_path()
            return HttpResponseRedirect(back, status=303)
        return render(request, "web/error.html", {"page_title": "无法完成", "error": exc}, status=exc.status)


def add_form_error(form: forms.BaseForm, exc: ShequError) -> None:
    """Put a service's refusal beside its field when the form has it, else on top of the form."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
