from django.urls import path

from shequ.web.views import not_built

app_name = "recruitment"

urlpatterns = [
    path("", not_built("招聘", "招聘计划、报名资格审查、笔试面试成绩、排名公示、录用与递补、劳务派遣转岗与批量套改将在此提供。"), name="index"),
]
