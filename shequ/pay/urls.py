from django.urls import path

from shequ.pay import views

app_name = "pay"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("runs/new", views.create_view, name="create"),
    path("runs/<int:pk>/", views.run_view, name="run"),
    path("runs/<int:pk>/compute", views.compute_view, name="compute"),
    path("runs/<int:pk>/approve", views.approve_view, name="approve"),
    path("runs/<int:pk>/return", views.return_view, name="return"),
    path("runs/<int:pk>/lock", views.lock_view, name="lock"),
    path("runs/<int:pk>/delete", views.delete_view, name="delete"),
    path("runs/<int:pk>/export.xlsx", views.export_view, name="export"),
    path("runs/<int:pk>/payslips/<int:worker_pk>/", views.payslip_view, name="payslip"),
]
