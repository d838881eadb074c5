from django.contrib import admin
from django.urls import include, path

from shequ.accounts import views as account_views
from shequ.api import api
from shequ.common import views as common_views
from shequ.recruitment import views as recruitment_views
from shequ.web import views as web_views
from shequ.web.imports import IMPORT_KINDS
from shequ.web.templates_xlsx import template_view


def _superuser_only(request):  # type: ignore[no-untyped-def]
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superuser_only  # type: ignore[method-assign]
admin.site.site_header = "社区 · 系统管理（仅超级管理员）"

urlpatterns = [
    path("", web_views.home_view, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path("accounts/login/", account_views.login_view, name="login"),
    path("accounts/logout/", account_views.logout_view, name="logout"),
    path("accounts/password/", account_views.password_change_view, name="password_change"),
    path("accounts/tokens/", account_views.tokens_view, name="tokens"),
    path("accounts/logins/", common_views.login_log_view, name="login_log"),
    path("accounts/users/", account_views.users_view, name="users"),
    path("accounts/users/<int:pk>/", account_views.user_view, name="user"),
    # The admin signs in through the same throttled, audited login as every page.
    path("admin/login/", account_views.login_view),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("audit/", include(([
        path("", common_views.audit_view, name="index"),
        path("export.xlsx", common_views.audit_export_view, name="export"),
    ], "audit"))),
    path("imports/roster/", common_views.make_upload(IMPORT_KINDS["roster"]), name="roster_import"),
    path("imports/roster-update/", common_views.make_upload(IMPORT_KINDS["roster_update"]), name="roster_update_import"),
    path("imports/units/", common_views.make_upload(IMPORT_KINDS["units"]), name="units_import"),
    path("imports/applications/", recruitment_views.applications_reimport_view, name="applications_import"),
    path("imports/training-attendance/", common_views.make_upload(IMPORT_KINDS["training_attendance"]),
         name="training_attendance_import"),
    path("imports/<id:pk>/", common_views.import_preview_view, {"specs": IMPORT_KINDS}, name="import_preview"),
    path("templates/<str:kind>.xlsx", template_view, name="sheet_template"),
    path("org/", include("shequ.org.urls")),
    path("workers/", include("shequ.workers.urls")),
    path("dossier/", include("shequ.dossier.urls")),
    path("policy/", include("shequ.policy.urls")),
    path("quota/", include("shequ.quota.urls")),
    path("recruitment/", include("shequ.recruitment.urls")),
    path("pay/", include("shequ.pay.urls")),
    path("jobs/", include("shequ.jobs.urls")),
    path("assessment/", include("shequ.assessment.urls")),
    path("growth/careers/", include("shequ.growth.careers.urls")),
    path("growth/", include("shequ.growth.urls")),
    path("insights/", include("shequ.insights.urls")),
]
