from django.urls import path

from shequ.org import views

app_name = "org"

urlpatterns = [
    path("", views.org_index_view, name="index"),
    path("units/<id:pk>/", views.unit_detail_view, name="unit"),
]
