from django.urls import path

from shequ.recruitment import views

app_name = "recruitment"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("plans.xlsx", views.plans_export_view, name="plans_export"),
    path("plans/new/", views.plan_create_view, name="plan_create"),
    path("plans/<int:pk>/", views.plan_view, name="plan"),
    path("plans/<int:pk>/posts/", views.plan_post_view, name="plan_post"),
    path("plans/<int:pk>/announce/", views.plan_announce_view, name="plan_announce"),
    path("plans/<int:pk>/applications/", views.application_create_view, name="application_create"),
    path("plans/<int:pk>/applications.xlsx", views.applications_export_view, name="applications_export"),
    path("plans/<int:pk>/import/", views.applications_import_view, name="applications_import"),
    path("plans/<int:pk>/import-template.xlsx", views.applications_template_view, name="applications_template"),
    path("plans/<int:pk>/ranking/", views.ranking_view, name="ranking"),
    path("plans/<int:pk>/ranking.xlsx", views.ranking_export_view, name="ranking_export"),
    path("plans/<int:pk>/publish/", views.publish_view, name="publish"),
    path("plans/<int:pk>/close/", views.close_view, name="close"),
    path("applications/<int:pk>/scores/", views.scores_view, name="scores"),
    path("applications/<int:pk>/hire/", views.hire_view, name="hire"),
    path("applications/<int:pk>/withdraw/", views.withdraw_view, name="withdraw"),
    path("dispatch/", views.dispatch_view, name="dispatch"),
    path("dispatch.xlsx", views.dispatch_export_view, name="dispatch_export"),
    path("dispatch/<int:worker_pk>/convert/", views.dispatch_convert_view, name="dispatch_convert"),
    path("conversions/", views.conversions_view, name="conversions"),
    path("conversions/new/", views.conversion_create_view, name="conversion_create"),
    path("conversions.xlsx", views.conversions_export_view, name="conversions_export"),
    path("conversions/<int:pk>/", views.conversion_view, name="conversion"),
    path("conversions/<int:pk>/export.xlsx", views.conversion_export_view, name="conversion_export"),
    path("conversions/<int:pk>/confirm/", views.conversion_confirm_view, name="conversion_confirm"),
    path("conversion-lines/<int:pk>/", views.conversion_line_view, name="conversion_line"),
    path("conversion-lines/<int:pk>/contract/", views.conversion_contract_view, name="conversion_contract"),
]
