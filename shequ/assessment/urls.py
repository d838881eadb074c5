from django.urls import path

from shequ.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("<id:pk>/", views.detail_view, name="detail"),
    path("<id:pk>/scores/", views.scores_view, name="scores"),
    path("<id:pk>/import/", views.import_view, name="import"),
    path("<id:pk>/import/<id:batch>/", views.import_batch_view, name="import_batch"),
    path("<id:pk>/template.xlsx", views.template_view, name="template"),
    path("<id:pk>/adjust/", views.adjust_view, name="adjust"),
    path("<id:pk>/breaches/", views.breaches_view, name="breaches"),
    path("<id:pk>/publish/", views.publish_view, name="publish"),
    path("<id:pk>/preview/", views.preview_view, name="preview"),
    path("<id:pk>/confirm/", views.confirm_view, name="confirm"),
    path("<id:pk>/dismissals/", views.dismissals_view, name="dismissals"),
    path("<id:pk>/export/<str:kind>.xlsx", views.export_view, name="export"),
]
