from django.urls import include, path

from shequ.growth import views

app_name = "growth"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("training/", include("shequ.growth.training.urls")),
]
