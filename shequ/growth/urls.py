from django.urls import path

from shequ.web.views import not_built

app_name = "growth"

urlpatterns = [
    path("", not_built("培训", "培训与学时、导师帮带、跟岗学习、全岗通、职业资格、后备人才库、职业发展与退休退出将在此提供。"), name="index"),
]
