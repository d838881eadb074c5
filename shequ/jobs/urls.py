from django.urls import path

from shequ.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/progress", views.progress_view, name="progress"),
    path("<int:pk>/resubmit", views.resubmit_view, name="resubmit"),
]
