"""Canonical vocabularies shared by the engine, the sheets and the web side."""

from __future__ import annotations

EDUCATION = ("初中及以下", "高中", "中专", "大专", "本科", "硕士研究生", "博士研究生")
CERTIFICATES = ("无", "助理社会工作师", "社会工作师", "高级社会工作师")
CATEGORIES = ("两委成员", "专职社区工作者", "劳务派遣")
UNIT_TYPES = ("市", "区县", "街道", "乡镇", "街道机关", "城市社区", "村改社区", "行政村", "乡镇社区", "网格")
UNIT_CLASSES = ("一类", "二类", "三类")
TIERS = ("优秀", "称职", "基本称职", "不称职")
TIER_ALIASES = {"合格": "称职", "基本合格": "基本称职", "不合格": "不称职"}
SEXES = ("男", "女")
# C-PATH: where an outstanding worker may be selected to.
CAREER_PATHS = ("事业编", "公务员", "街道领导班子", "区管后备干部")
ACTIONS = ("晋升一级", "优先晋升", "约谈提醒", "解聘")
NO_ACTION = "无"
ACTION_SEPARATOR = "；"

# Education rank: higher is more. Used by `education_rank` in formulas and by eligibility.
EDUCATION_RANK = {name: i for i, name in enumerate(EDUCATION)}
CERTIFICATE_RANK = {name: i for i, name in enumerate(CERTIFICATES)}
TIER_RANK = {"不称职": 0, "基本称职": 1, "称职": 2, "优秀": 3}
