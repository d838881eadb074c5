from django.urls import path

from shequ.policy import views

app_name = "policy"

urlpatterns = [
    path("", views.policy_index_view, name="index"),
]
