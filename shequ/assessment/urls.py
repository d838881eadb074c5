from django.urls import path

from shequ.web.views import not_built

app_name = "assessment"

urlpatterns = [
    path("", not_built("考核", "年度考核、量化积分、优秀比例控制、负面清单、晋级与约谈解聘等结果运用将在此提供。"), name="index"),
]
