from django.urls import path

from shequ.workers import views

app_name = "workers"

urlpatterns = [
    path("", views.roster_view, name="index"),
    path("export.xlsx", views.roster_export_view, name="export"),
    path("<int:pk>/", views.worker_detail_view, name="detail"),
]
