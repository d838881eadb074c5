from django.urls import path

from shequ.web.views import not_built

app_name = "pay"

urlpatterns = [
    path("", not_built("岗位薪酬", "按月薪酬核算（含五险一金）、审核与锁定、补发扣回、工资条与财务导出将在此提供。"), name="index"),
]
