from django.urls import path

from shequ.pay import net_views, views

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
    path("runs/<id:pk>/tax.xlsx", net_views.tax_export_view, name="tax_export"),
    path("runs/<id:pk>/bank.xlsx", net_views.bank_sheet_view, name="bank_sheet"),
    path("accounts/", net_views.accounts_view, name="accounts"),
    path("accounts/import", net_views.accounts_import_view, name="accounts_import"),
    path("accounts/<id:pk>/reveal", net_views.account_reveal_view, name="account_reveal"),
    path("items/import", net_views.items_import_view, name="items_import"),
    path("leave/", net_views.leave_view, name="leave"),
    path("leave/new", net_views.leave_request_view, name="leave_request"),
    path("leave/import", net_views.leave_import_view, name="leave_import"),
    path("leave/<id:pk>/approve", net_views.leave_approve_view, name="leave_approve"),
    path("leave/<id:pk>/reject", net_views.leave_reject_view, name="leave_reject"),
    path("welfare/", net_views.welfare_view, name="welfare"),
    path("welfare/new", net_views.welfare_record_view, name="welfare_record"),
    path("deductions/import", net_views.special_import_view, name="special_import"),
]
