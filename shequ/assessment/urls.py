from django.urls import path

from shequ.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/scores/", views.scores_view, name="scores"),
    path("<int:pk>/import/", views.import_view, name="import"),
    path("<int:pk>/import/<int:batch>/", views.import_batch_view, name="import_batch"),
    path("<int:pk>/template.xlsx", views.template_view, name="template"),
    path("<int:pk>/adjust/", views.adjust_view, name="adjust"),
    path("<int:pk>/breaches/", views.breaches_view, name="breaches"),
    path("<int:pk>/publish/", views.publish_view, name="publish"),
    path("<int:pk>/preview/", views.preview_view, name="preview"),
    path("<int:pk>/confirm/", views.confirm_view, name="confirm"),
    path("<int:pk>/dismissals/", views.dismissals_view, name="dismissals"),
    path("<int:pk>/export/<str:kind>.xlsx", views.export_view, name="export"),
]
