from django.urls import path

from shequ.workers import views

app_name = "workers"

urlpatterns = [
    path("", views.roster_view, name="index"),
    path("export.xlsx", views.roster_export_view, name="export"),
    path("new/", views.worker_create_view, name="create"),
    path("<id:pk>/", views.worker_detail_view, name="detail"),
    path("<id:pk>/edit/", views.worker_edit_view, name="edit"),
    path("<id:pk>/transfer/", views.worker_transfer_view, name="transfer"),
    path("<id:pk>/exit/", views.worker_exit_view, name="exit"),
]
