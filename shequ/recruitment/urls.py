from django.urls import path

from shequ.recruitment import views

app_name = "recruitment"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("plans.xlsx", views.plans_export_view, name="plans_export"),
    path("plans/new/", views.plan_create_view, name="plan_create"),
    path("plans/<id:pk>/", views.plan_view, name="plan"),
    path("plans/<id:pk>/posts/", views.plan_post_view, name="plan_post"),
    path("plans/<id:pk>/announce/", views.plan_announce_view, name="plan_announce"),
    path("plans/<id:pk>/applications/", views.application_create_view, name="application_create"),
    path("plans/<id:pk>/applications.xlsx", views.applications_export_view, name="applications_export"),
    path("plans/<id:pk>/import/", views.applications_import_view, name="applications_import"),
    path("plans/<id:pk>/import-template.xlsx", views.applications_template_view, name="applications_template"),
    path("plans/<id:pk>/ranking/", views.ranking_view, name="ranking"),
    path("plans/<id:pk>/ranking.xlsx", views.ranking_export_view, name="ranking_export"),
    path("plans/<id:pk>/publish/", views.publish_view, name="publish"),
    path("plans/<id:pk>/close/", views.close_view, name="close"),
    path("applications/<id:pk>/scores/", views.scores_view, name="scores"),
    path("applications/<id:pk>/hire/", views.hire_view, name="hire"),
    path("applications/<id:pk>/withdraw/", views.withdraw_view, name="withdraw"),
    path("dispatch/", views.dispatch_view, name="dispatch"),
    path("dispatch.xlsx", views.dispatch_export_view, name="dispatch_export"),
    path("dispatch/<id:worker_pk>/convert/", views.dispatch_convert_view, name="dispatch_convert"),
    path("conversions/", views.conversions_view, name="conversions"),
    path("conversions/new/", views.conversion_create_view, name="conversion_create"),
    path("conversions.xlsx", views.conversions_export_view, name="conversions_export"),
    path("conversions/<id:pk>/", views.conversion_view, name="conversion"),
    path("conversions/<id:pk>/export.xlsx", views.conversion_export_view, name="conversion_export"),
    path("conversions/<id:pk>/confirm/", views.conversion_confirm_view, name="conversion_confirm"),
    path("conversion-lines/<id:pk>/", views.conversion_line_view, name="conversion_line"),
    path("conversion-lines/<id:pk>/contract/", views.conversion_contract_view, name="conversion_contract"),
]
