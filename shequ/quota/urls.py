from django.urls import path

from shequ.web.views import not_built

app_name = "quota"

urlpatterns = [
    path("", not_built("员额", "员额核定（按户数、单位类型与类别、城镇人口）、三年复核与审批、员额台账（在编、空缺、超编）将在此提供。"), name="index"),
]
