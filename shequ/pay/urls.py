from django.urls import path

from shequ.pay import views

app_name = "pay"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("runs/new", views.create_view, name="create"),
    path("runs/<id:pk>/", views.run_view, name="run"),
    path("runs/<id:pk>/compute", views.compute_view, name="compute"),
    path("runs/<id:pk>/approve", views.approve_view, name="approve"),
    path("runs/<id:pk>/return", views.return_view, name="return"),
    path("runs/<id:pk>/lock", views.lock_view, name="lock"),
    path("runs/<id:pk>/delete", views.delete_view, name="delete"),
    path("runs/<id:pk>/export.xlsx", views.export_view, name="export"),
    path("runs/<id:pk>/payslips/<id:worker_pk>/", views.payslip_view, name="payslip"),
]
