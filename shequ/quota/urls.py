from django.urls import path

from shequ.quota import views

app_name = "quota"

urlpatterns = [
    path("", views.ledger_view, name="index"),
    path("ledger.xlsx", views.ledger_export_view, name="ledger_export"),
    path("decisions/", views.decisions_view, name="decisions"),
    path("decisions.xlsx", views.decisions_export_view, name="decisions_export"),
    path("review.xlsx", views.review_export_view, name="review_export"),
    path("decisions/decide/", views.decide_view, name="decide"),
    path("propose/", views.propose_view, name="propose"),
    path("review/", views.review_view, name="review"),
    path("units/<id:pk>/", views.unit_view, name="unit"),
]
