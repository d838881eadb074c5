"""The HTTP API at /api/v1: token auth for integrations, the same scope rules as pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja import errors as ninja_errors
from ninja.security import HttpBearer, django_auth

from shequ.accounts.models import ApiToken, hash_token
from shequ.common.api_errors import (
    HTTP_CODES,
    HTTP_MESSAGES,
    INVALID_REQUEST,
    NOT_FOUND,
    invalid_from_django,
    validation_problem,
)
from shequ.errors import NotFound, ShequError


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user", "user__unit")
            .filter(key_hash=hash_token(token), revoked=False, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="社区 Shequ API",
    version="1",
    description="社区工作者职业体系管理系统接口。所有接口只返回调用者所属单位及其下级的数据。",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


# The one mapping of application errors for the API: {"code", "message", "field"} with the
# error's own status. ScopeError is an OutOfScope, so an out-of-scope write is a 403 too.
@api.exception_handler(ShequError)
def _shequ_error(request: HttpRequest, exc: ShequError) -> Any:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(DjangoValidationError)
def _model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> Any:
    err = invalid_from_django(exc)
    return api.create_response(request, err.as_dict(), status=err.status)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> Any:
    # Ninja answers "Not Found"; an object outside the caller's scope is "未找到" too, so
    # that an id's existence elsewhere is not revealed.
    return api.create_response(request, NotFound(NOT_FOUND).as_dict(), status=404)


@api.exception_handler(ninja_errors.ValidationError)
def _validation_error(request: HttpRequest, exc: ninja_errors.ValidationError) -> Any:
    problems = [validation_problem(e) for e in exc.errors]
    first = problems[0] if problems else {"field": None, "message": INVALID_REQUEST}
    body = {"code": "invalid", "message": "；".join(p["message"] or "" for p in problems) or INVALID_REQUEST,
            "field": first["field"], "detail": problems}
    return api.create_response(request, body, status=422)


@api.exception_handler(ninja_errors.HttpError)
def _http_error(request: HttpRequest, exc: ninja_errors.HttpError) -> Any:
    message = HTTP_MESSAGES.get(exc.status_code, str(exc))
    body = {"code": HTTP_CODES.get(exc.status_code, "error"), "message": message, "field": None, "detail": message}
    return api.create_response(request, body, status=exc.status_code)


def _register_routers() -> None:
    # Each area owns its router; adding an area is one line here.
    from shequ.assessment.api import router as assessment_router
    from shequ.growth.careers.api import router as careers_router
    from shequ.growth.training.api import router as training_router
    from shequ.insights.api import router as insights_router
    from shequ.jobs.api import router as jobs_router
    from shequ.org.api import router as org_router
    from shequ.pay.api import router as pay_router
    from shequ.quota.api import router as quota_router
    from shequ.recruitment.api import router as recruitment_router
    from shequ.workers.api import router as workers_router

    api.add_router("/units", org_router, tags=["组织"])
    api.add_router("/workers", workers_router, tags=["花名册"])
    api.add_router("/recruitment", recruitment_router, tags=["招聘与转岗"])
    api.add_router("/quota", quota_router, tags=["员额"])
    api.add_router("/growth/training", training_router, tags=["培训与持证"])
    api.add_router("/growth/careers", careers_router, tags=["职业发展"])
    api.add_router("/assessment", assessment_router, tags=["考核"])
    api.add_router("/pay", pay_router, tags=["岗位薪酬"])
    api.add_router("/insights", insights_router, tags=["统计"])
    api.add_router("/tasks", jobs_router, tags=["后台任务"])


_register_routers()
