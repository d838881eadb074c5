from django.urls import path

from shequ.growth.careers import views

app_name = "careers"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("reserve/", views.reserve_view, name="reserve"),
    path("reserve/add", views.reserve_add_view, name="reserve_add"),
    path("reserve/<id:pk>/remove", views.reserve_remove_view, name="reserve_remove"),
    path("reserve.xlsx", views.reserve_export_view, name="reserve_export"),
    path("workers/<id:pk>/", views.worker_view, name="worker"),
    path("workers/<id:pk>/promote", views.promote_view, name="promote"),
    path("workers/<id:pk>/elect", views.elect_view, name="elect"),
    path("workers/<id:pk>/select", views.select_view, name="select"),
    path("workers/<id:pk>/honour", views.honour_view, name="honour"),
    path("workers/<id:pk>/move", views.move_view, name="move"),
    path("workers/<id:pk>/exit", views.exit_view, name="exit"),
    path("promotions/", views.promotions_view, name="promotions"),
    path("promotions.xlsx", views.promotions_export_view, name="promotions_export"),
    path("events/", views.events_view, name="events"),
    path("events.xlsx", views.events_export_view, name="events_export"),
    path("honours/", views.honours_view, name="honours"),
    path("honours.xlsx", views.honours_export_view, name="honours_export"),
    path("retirements/", views.retirements_view, name="retirements"),
    path("retirements.xlsx", views.retirements_export_view, name="retirements_export"),
    path("exits/", views.exits_view, name="exits"),
    path("exits.xlsx", views.exits_export_view, name="exits_export"),
    path("grids/", views.grids_view, name="grids"),
    path("grids/add", views.grid_add_view, name="grid_add"),
    path("grids.xlsx", views.grids_export_view, name="grids_export"),
    path("admission/", views.admission_view, name="admission"),
    path("admission/propose", views.admission_propose_view, name="admission_propose"),
    path("admission/<id:pk>/decide", views.admission_decide_view, name="admission_decide"),
    path("admission/<id:pk>/remove", views.admission_remove_view, name="admission_remove"),
    path("admission.xlsx", views.admission_export_view, name="admission_export"),
]
