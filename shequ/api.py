"""The HTTP API at /api/v1: token auth for integrations, the same scope rules as pages."""

from __future__ import annotations

from typing import Any

import pydantic
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from shequ.accounts.models import ApiToken, hash_token
from shequ.common.scope import ScopeError


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


@api.exception_handler(ScopeError)
def _scope_error(request: HttpRequest, exc: ScopeError) -> Any:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(PermissionError)
def _permission_error(request: HttpRequest, exc: PermissionError) -> Any:
    return api.create_response(request, {"detail": str(exc) or "无权进行此操作"}, status=403)


@api.exception_handler(ValueError)
def _value_error(request: HttpRequest, exc: ValueError) -> Any:
    # Services refuse bad input with ValueError subclasses carrying a Chinese message.
    # A pydantic ValidationError is a bug of ours, not the caller's: let it surface.
    if isinstance(exc, pydantic.ValidationError):
        raise exc
    return api.create_response(request, {"detail": str(exc)}, status=400)


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
