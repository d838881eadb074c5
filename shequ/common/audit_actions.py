"""Every action the audit log records, one name each, with the label clerks read.

Values are the strings stored before this enumeration existed, so old rows need no
migration; a new action is a new member here, never a string at the call site.
"""

from __future__ import annotations

from django.db import models

UNKNOWN_ACTION = "未登记的审计操作：{action}"


class AuditAction(models.TextChoices):
    # accounts
    LOGIN = "auth.login", "登录"
    LOGIN_FAILED = "auth.login_failed", "登录失败"
    TOKEN_CREATE = "token.create", "创建接口令牌"
    TOKEN_REVOKE = "token.revoke", "吊销接口令牌"
    PII_FULL_IDS = "pii.full_ids", "查看或导出完整身份证号"
    # org
    UNIT_CREATE = "unit.create", "新建单位"
    UNIT_FACTS = "unit.facts", "登记单位基本情况"
    UNIT_LOAD = "unit.load", "批量导入单位"
    SYNTH_LOAD = "synth.load", "生成演示人员数据"
    # imports (staged batches hold ID numbers: staging, discarding and purging are audited)
    IMPORT_STAGE = "import.stage", "上传待导入文件"
    IMPORT_DISCARD = "import.discard", "放弃待导入文件"
    IMPORT_PURGE = "import.purge", "清除过期的待导入数据"
    IMPORT_ROSTER_UPDATE = "import.roster_update", "按表更新花名册"
    IMPORT_ROSTER = "import.roster", "导入花名册"
    IMPORT_UNITS = "import.units", "导入单位表"
    IMPORT_APPLICATIONS = "import.applications", "导入报名表"
    IMPORT_TRAINING_ATTENDANCE = "import.training_attendance", "导入培训签到表"
    IMPORT_ASSESSMENT = "import.assessment", "导入考核结果"
    # workers
    USER_CREATE = "user.create", "新建用户"
    USER_UPDATE = "user.update", "修改用户"
    USER_ENABLE = "user.enable", "启用用户"
    USER_DISABLE = "user.disable", "停用用户"
    USER_PASSWORD_RESET = "user.password_reset", "重置用户密码"
    WORKER_CREATE = "worker.create", "新增人员"
    WORKER_IMPORT = "worker.import", "导入人员建档"
    WORKER_EDIT = "worker.edit", "更正人员信息"
    WORKER_CERTIFICATE = "worker.certificate", "更新职业资格"
    WORKER_POST_CHANGE = "worker.post_change", "岗位变动"
    WORKER_PLACEMENT = "worker.placement", "定岗定级"
    WORKER_CONVERSION = "worker.conversion", "转岗/套改"
    WORKER_CAREER = "worker.career", "登记职业发展"
    WORKER_TRANSFER = "worker.transfer", "人员调动"
    WORKER_EXIT = "worker.exit", "人员退出"
    WORKER_EDUCATION = "worker.education", "登记学历"
    CONTRACT_SIGN = "contract.sign", "签订劳动合同"
    # dossier (a person's attachments)
    ATTACHMENT_UPLOAD = "attachment.upload", "上传档案材料"
    ATTACHMENT_DELETE = "attachment.delete", "删除档案材料"
    # policy
    POLICY_STORE = "policy.store", "保存政策版本"
    POLICY_BIND = "policy.bind", "绑定政策"
    # quota
    QUOTA_PROPOSE = "quota.propose", "提出员额调整"
    QUOTA_APPROVE = "quota.approve", "批准员额调整"
    QUOTA_REJECT = "quota.reject", "驳回员额调整"
    # recruitment
    RECRUIT_PLAN_CREATE = "recruit.plan.create", "新建招聘计划"
    RECRUIT_PLAN_POST = "recruit.plan.post", "添加招聘岗位"
    RECRUIT_PLAN_ANNOUNCE = "recruit.plan.announce", "发布招聘公告"
    RECRUIT_PLAN_PUBLISH = "recruit.plan.publish", "公示拟录用名单"
    RECRUIT_PLAN_CLOSE = "recruit.plan.close", "结束招聘计划"
    RECRUIT_APPLICATION_CREATE = "recruit.application.create", "登记报名"
    RECRUIT_APPLICATION_SCORES = "recruit.application.scores", "录入考试成绩"
    RECRUIT_APPLICATION_HIRE = "recruit.application.hire", "录用"
    RECRUIT_APPLICATION_WITHDRAW = "recruit.application.withdraw", "撤回报名"
    RECRUIT_CONVERSION_CREATE = "recruit.conversion.create", "新建套改批次"
    RECRUIT_CONVERSION_EDIT = "recruit.conversion.edit", "调整套改结果"
    RECRUIT_CONVERSION_CONTRACT = "recruit.conversion.contract", "登记自愿签订劳动合同"
    RECRUIT_CONVERSION_CONFIRM = "recruit.conversion.confirm", "确认套改批次"
    # pay
    PAY_RUN_CREATE = "pay.run.create", "新建薪酬批次"
    PAY_RUN_COMPUTE = "pay.run.compute", "计算薪酬"
    PAY_RUN_APPROVE = "pay.run.approve", "审核通过薪酬"
    PAY_RUN_RETURN = "pay.run.return", "退回薪酬"
    PAY_RUN_LOCK = "pay.run.lock", "锁定薪酬批次"
    PAY_RUN_DELETE = "pay.run.delete", "删除薪酬批次"
    PAY_LEAVE_REQUEST = "pay.leave.request", "登记请假"
    PAY_LEAVE_APPROVED = "pay.leave.approved", "批准请假"
    PAY_LEAVE_REJECTED = "pay.leave.rejected", "不批准请假"
    PAY_LEAVE_IMPORT = "pay.leave.import", "导入请假与考勤"
    PAY_TREATMENT_GRANT = "pay.treatment.grant", "给予经济待遇"
    PAY_TREATMENT_END = "pay.treatment.end", "终止经济待遇"
    PAY_WELFARE_SET = "pay.welfare.set", "登记福利"
    PAY_SPECIAL_DEDUCTION_SET = "pay.special_deduction.set", "登记专项附加扣除"
    PAY_SPECIAL_DEDUCTION_IMPORT = "pay.special_deduction.import", "导入专项附加扣除"
    PAY_BANK_ACCOUNT_SET = "pay.bank_account.set", "登记银行账户"
    PAY_BANK_ACCOUNT_IMPORT = "pay.bank_account.import", "导入银行账户"
    PAY_BANK_ACCOUNT_REVEAL = "pay.bank_account.reveal", "查看完整银行卡号"
    PAY_BANK_SHEET_EXPORT = "pay.bank_sheet.export", "导出银行代发表"
    PAY_ITEM_SET = "pay.item.set", "登记月度项目"
    PAY_ITEM_IMPORT = "pay.item.import", "导入月度项目"
    # assessment
    ASSESSMENT_CREATE = "assessment.create", "新建年度考核"
    ASSESSMENT_SCORE_ENTER = "assessment.score.enter", "录入考核评分"
    ASSESSMENT_SCORE_IMPORT = "assessment.score.import", "导入考核评分"
    ASSESSMENT_ADJUST = "assessment.adjust", "调整考核等次"
    ASSESSMENT_BREACH = "assessment.breach", "登记负面清单情形"
    ASSESSMENT_BREACH_REMOVE = "assessment.breach.remove", "撤销负面清单情形"
    ASSESSMENT_RESULT = "assessment.result", "形成考核结果"
    ASSESSMENT_PUBLISH = "assessment.publish", "公布考核结果"
    ASSESSMENT_CONSEQUENCE = "assessment.consequence", "考核结果运用"
    ASSESSMENT_CONFIRM = "assessment.confirm", "确认结果运用"
    ASSESSMENT_DISMISSAL = "assessment.dismissal", "考核不称职解聘"
    ASSESSMENT_HISTORY_IMPORT = "assessment.history.import", "导入往年考核结果"
    # growth
    TRAINING_COURSE_CREATE = "training.course_create", "新建培训课程"
    TRAINING_SESSION_CREATE = "training.session_create", "新建培训班次"
    TRAINING_ATTEND = "training.attend", "登记培训签到"
    TRAINING_ATTEND_REMOVE = "training.attend_remove", "删除培训签到"
    MENTORING_CREATE = "mentoring.create", "建立导师帮带"
    MENTORING_END = "mentoring.end", "结束导师帮带"
    EXCHANGE_RECORD = "exchange.record", "登记跟岗学习"
    ROTATION_RECORD = "rotation.record", "登记全岗通轮岗"
    CERTIFICATE_RECORD = "certificate.record", "登记职业资格证书"
    HONOUR_RECORD = "honour.record", "登记表彰荣誉"
    RESERVE_ADD = "reserve.add", "加入后备人选"
    RESERVE_REMOVE = "reserve.remove", "移出后备人选"
    GRID_CREATE = "grid.create", "新建网格"
    GRID_UPDATE = "grid.update", "修改网格"
    ADMISSION_PROPOSE = "admission.propose", "提出社区准入事项"
    ADMISSION_APPROVE = "admission.approve", "批准社区准入事项"
    ADMISSION_REJECT = "admission.reject", "不批准社区准入事项"
    ADMISSION_REMOVE = "admission.remove", "取消社区准入事项"


class UnknownAuditAction(ValueError):
    pass


def audit_action(value: str) -> AuditAction:
    """The member for a stored or composed name; refuses names not listed above."""
    try:
        return AuditAction(value)
    except ValueError as exc:
        raise UnknownAuditAction(UNKNOWN_ACTION.format(action=value)) from exc


def action_label(value: str) -> str:
    """The Chinese label of a stored name; a name no longer listed shows as itself."""
    try:
        return str(AuditAction(value).label)
    except ValueError:
        return value


# Which action a worker edit of each event kind records (workers.services.worker_update).
WORKER_EVENT_ACTIONS: dict[str, AuditAction] = {
    "edit": AuditAction.WORKER_EDIT,
    "certificate": AuditAction.WORKER_CERTIFICATE,
    "post_change": AuditAction.WORKER_POST_CHANGE,
    "placement": AuditAction.WORKER_PLACEMENT,
    "conversion": AuditAction.WORKER_CONVERSION,
    "education": AuditAction.WORKER_EDUCATION,
}

# Which action committing a staged batch of each kind records (common.imports.import_commit).
IMPORT_ACTIONS: dict[str, AuditAction] = {
    "roster": AuditAction.IMPORT_ROSTER,
    "units": AuditAction.IMPORT_UNITS,
    "applications": AuditAction.IMPORT_APPLICATIONS,
    "training_attendance": AuditAction.IMPORT_TRAINING_ATTENDANCE,
    "assessment": AuditAction.IMPORT_ASSESSMENT,
    "roster_update": AuditAction.IMPORT_ROSTER_UPDATE,
}

# Which action deciding a leave request records (pay.leave_services).
LEAVE_DECISION_ACTIONS: dict[str, AuditAction] = {
    "approved": AuditAction.PAY_LEAVE_APPROVED,
    "rejected": AuditAction.PAY_LEAVE_REJECTED,
}

PLACEMENT_ACTIONS: dict[str, AuditAction] = {
    "exchange": AuditAction.EXCHANGE_RECORD,
    "rotation": AuditAction.ROTATION_RECORD,
}

SCORE_ACTIONS: dict[str, AuditAction] = {
    "enter": AuditAction.ASSESSMENT_SCORE_ENTER,
    "import": AuditAction.ASSESSMENT_SCORE_IMPORT,
}
