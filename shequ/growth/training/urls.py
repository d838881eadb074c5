from django.urls import path

from shequ.growth.training import views

app_name = "training"

urlpatterns = [
    path("", views.sessions_view, name="sessions"),
    path("sessions/<id:pk>/", views.session_view, name="session"),
    path("compliance/", views.compliance_view, name="compliance"),
    path("compliance.xlsx", views.compliance_export_view, name="compliance_export"),
    path("hours/", views.hours_view, name="hours"),
    path("hours.xlsx", views.hours_export_view, name="hours_export"),
    path("mentoring/", views.mentoring_view, name="mentoring"),
    path("mentoring.xlsx", views.mentoring_export_view, name="mentoring_export"),
    path("placements/", views.placements_view, name="placements"),
    path("placements.xlsx", views.placements_export_view, name="placements_export"),
    path("certificates/", views.certificates_view, name="certificates"),
    path("certificates.xlsx", views.certificates_export_view, name="certificates_export"),
]
