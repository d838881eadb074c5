from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard_view, name="index"),
    path("nation/", views.nation_view, name="nation"),
    path("compare/", views.compare_view, name="compare"),
    path("whatif/", views.whatif_view, name="whatif"),
    path("export/stats.xlsx", views.export_stats_view, name="export_stats"),
    path("export/pay.xlsx", views.export_pay_view, name="export_pay"),
    path("export/quota.xlsx", views.export_quota_view, name="export_quota"),
]
