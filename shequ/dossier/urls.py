from django.urls import path

from shequ.dossier import views

app_name = "dossier"

urlpatterns = [
    path("<int:pk>/", views.dossier_view, name="page"),
    path("<int:pk>/attachments/", views.attachment_upload_view, name="upload"),
    path("attachments/<int:pk>/", views.attachment_file_view, name="file"),
    path("attachments/<int:pk>/delete/", views.attachment_delete_view, name="delete"),
]
