from django.urls import path

from shequ.web.views import not_built

app_name = "insights"

urlpatterns = [
    path("", not_built("统计", "人员结构、每万城镇人口配比、薪酬与预算、政策测算与前后对比的统计看板将在此提供。"), name="index"),
]
