"""Pages of the entry area (选): exam plans → applications → scores → ranking and 公示 →
hire; dispatch conversion; 套改 batches. Views parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts.decorators import requires
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.common.confirm import confirm_first
from shequ.common.excel import xlsx_response
from shequ.common.imports import import_stage
from shequ.common.params import a_date, a_decimal, an_id, an_int
from shequ.common.scope import get_in_scope_or_404
from shequ.errors import Invalid, ShequError
from shequ.jobs.web import announce, pending_job
from shequ.org.models import STREET_TYPES, Unit, UnitType
from shequ.org.selectors import unit_list
from shequ.policy.selectors import policy_for
from shequ.recruitment import exports
from shequ.recruitment.confirmations import hire_consequences, withdraw_consequences
from shequ.recruitment.conversion import (
    conversion_batch_create,
    conversion_batch_submit_confirm,
    conversion_candidates,
    conversion_line_contract,
    conversion_line_edit,
    dispatch_convert,
)
from shequ.recruitment.imports import HEADERS as IMPORT_HEADERS
from shequ.recruitment.imports import template_xlsx, validate_for_plan
from shequ.recruitment.models import AppStatus, PlanStatus
from shequ.recruitment.publicity import default_hire_day, plan_publicity
from shequ.recruitment.selectors import (
    application_get,
    application_list,
    batch_get,
    batch_lines,
    batch_list,
    batch_report,
    dispatch_list,
    line_get,
    plan_get,
    plan_list,
    plan_posts,
    plan_ranking,
    unit_vacancies,
)
from shequ.recruitment.services import (
    ApplicantData,
    application_create,
    application_hire,
    application_scores_set,
    application_withdraw,
    plan_announce,
    plan_close,
    plan_create,
    plan_post_set,
    plan_publish,
)
from shequ.sheets import READABLE, READABLE_TEXT
from shequ.workers.models import Worker

REQUIRED = "请填写“{field}”"
NO_FILE = "请选择要上传的 " + READABLE_TEXT + " 文件"

SCOPE_TYPES = (UnitType.CITY, UnitType.COUNTY, *STREET_TYPES)


class FormError(Invalid):
    pass


def _text(post: Any, name: str, label: str) -> str:
    value = (post.get(name) or "").strip()
    if not value:
        raise FormError(REQUIRED.format(field=label))
    return value


def _fail(request: AuthedRequest, exc: Exception) -> None:
    messages.error(request, f"未保存：{exc}")


# ---- plans -------------------------------------------------------------------------------

@requires("recruit.view")
def index_view(request: AuthedRequest) -> HttpResponse:
    return render(request, "recruitment/index.html", {
        "page_title": "招聘与转岗", "plans": plan_list(user=request.user),
        "scopes": unit_list(user=request.user, types=SCOPE_TYPES).order_by("path"),
        "can_change": has_capability(request.user, "recruit.change"),
    })


@requires("recruit.view")
def plans_export_view(request: AuthedRequest) -> HttpResponse:
    on = timezone.localdate()
    scope = request.user.unit.name if request.user.unit else "全部"
    content = exports.plans_xlsx(plan_list(user=request.user), scope_name=scope, on=on)
    return xlsx_response(f"招聘计划-{scope}-{on:%Y%m%d}.xlsx", content)


@requires("recruit.change")
@require_POST
def plan_create_view(request: AuthedRequest) -> HttpResponse:
    try:
        scope = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=request.POST.get("scope") or 0)
        plan = plan_create(scope=scope, title=_text(request.POST, "title", "计划名称"), actor=request.user,
                           on=timezone.localdate())
    except ShequError as exc:
        _fail(request, exc)
        return redirect("recruitment:index")
    messages.success(request, f"已创建招聘计划“{plan.title}”，请添加招聘岗位")
    return redirect("recruitment:plan", pk=plan.pk)


def _plan_context(request: AuthedRequest, plan: Any) -> dict[str, Any]:
    on = timezone.localdate()
    policy, _ = policy_for(unit=plan.scope, on=on)
    apps = list(application_list(user=request.user, plan=plan))
    return {
        "page_title": plan.title, "plan": plan, "posts": plan_posts(plan=plan),
        "vacancies": unit_vacancies(user=request.user, scope=plan.scope, on=on) if plan.status == PlanStatus.DRAFT else [],
        "post_names": policy.post_names(), "exam": policy.params(on).exam, "apps": apps,
        "counts": {s: sum(a.status == s for a in apps) for s in AppStatus},
        "educations": ["初中及以下", "高中", "中专", "大专", "本科", "硕士研究生", "博士研究生"],
        "certificates": ["无", "助理社会工作师", "社会工作师", "高级社会工作师"],
        "can_change": has_capability(request.user, "recruit.change"), "today": on,
        "entered": {k: request.GET.get(k, "") for k in ("unit", "post", "places")},
    }


@requires("recruit.view")
def plan_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    return render(request, "recruitment/plan.html", _plan_context(request, plan))


@requires("recruit.change")
@require_POST
def plan_post_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    try:
        unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=request.POST.get("unit") or 0)
        places = an_int(request.POST.get("places"), label="招聘人数", field="places")
        pp = plan_post_set(plan=plan, unit=unit, post=request.POST.get("post", ""), places=places,
                           actor=request.user, on=timezone.localdate())
        messages.success(request, f"已设置 {pp} 招聘 {pp.places} 人")
    except ShequError as exc:
        _fail(request, exc)
        # Keep what was entered so the user corrects one field, not three.
        keep = urlencode({k: request.POST.get(k, "") for k in ("unit", "post", "places")})
        return redirect(reverse("recruitment:plan", args=[plan.pk]) + f"?{keep}#add-post")
    return redirect("recruitment:plan", pk=plan.pk)


@requires("recruit.change")
@require_POST
def plan_announce_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    p = request.POST
    try:
        plan_announce(
            plan=plan, text=_text(p, "announcement", "公告内容"), announced_on=a_date(p.get("announced_on"), label="公告日期", field="announced_on"),
            apply_from=a_date(p.get("apply_from"), label="报名开始", field="apply_from"), apply_until=a_date(p.get("apply_until"), label="报名截止", field="apply_until"),
            exam_on=a_date(p.get("exam_on"), label="考试日期", field="exam_on", required=False), actor=request.user,
        )
        messages.success(request, "招聘公告已发布，可以报名")
    except ShequError as exc:
        _fail(request, exc)
    return redirect("recruitment:plan", pk=plan.pk)


@requires("recruit.change")
@require_POST
def application_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    p = request.POST
    try:
        pp = next((x for x in plan_posts(plan=plan) if str(x.pk) == p.get("plan_post")), None)
        if pp is None:
            raise FormError(REQUIRED.format(field="报考岗位"))
        app = application_create(plan=plan, plan_post=pp, actor=request.user, data=ApplicantData(
            name=_text(p, "name", "姓名"), id_number=_text(p, "id_number", "身份证号"), education=_text(p, "education", "学历"),
            certificate=p.get("certificate") or "无", residence_local=p.get("residence_local") == "1",
            veteran=p.get("veteran") == "1", phone=p.get("phone", "").strip()))
        if app.status == AppStatus.REJECTED:
            messages.warning(request, f"{app.name} 已登记，资格审查未通过：{app.rejection_reason}")
        else:
            messages.success(request, f"{app.name} 已登记，资格审查通过")
    except ShequError as exc:
        _fail(request, exc)
    return redirect(reverse("recruitment:plan", args=[plan.pk]) + "#applications")


@requires("recruit.view")
def applications_export_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    on = timezone.localdate()
    content = exports.applications_xlsx(plan, application_list(user=request.user, plan=plan), on=on)
    return xlsx_response(f"报名及资格审查-{plan.title}-{on:%Y%m%d}.xlsx", content)


@requires("recruit.change")
def applications_import_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or not (upload.name or "").lower().endswith(READABLE):
            messages.error(request, NO_FILE)
        elif plan.status != PlanStatus.ANNOUNCED:
            messages.error(request, "计划尚未发布公告或已结束，不能报名")
        else:
            batch = import_stage(
                kind="applications", filename=upload.name or "", content=upload.read(), unit=plan.scope, actor=request.user,
                validate=lambda content, filename, unit, actor: validate_for_plan(plan, content, filename),
            )
            return redirect("import_preview", pk=batch.pk)
    return render(request, "recruitment/import.html", {"plan": plan, "headers": IMPORT_HEADERS, "page_title": "导入报名表"})


@requires("recruit.view")
def applications_template_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    return xlsx_response(f"报名表模板-{plan.title}.xlsx", template_xlsx(plan))


@requires("recruit.change")
def applications_reimport_view(request: AuthedRequest) -> HttpResponse:
    """The shared import preview's "upload again" link: back to the plan of the last upload."""
    from shequ.common.models import ImportBatch

    last = ImportBatch.objects.filter(kind="applications", actor=request.user).order_by("-pk").first()
    plan_id = (last.summary or {}).get("plan_id") if last else None
    if plan_id and plan_list(user=request.user).filter(pk=plan_id).exists():
        return redirect("recruitment:applications_import", pk=plan_id)
    return redirect("recruitment:index")


@requires("recruit.change")
@require_POST
def scores_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Scores of one applicant; with htmx the row is swapped in place."""
    app = application_get(user=request.user, pk=pk)
    error = ""
    try:
        application_scores_set(application=app, written=a_decimal(request.POST.get("written"), label="笔试成绩", field="written"),
                               interview=a_decimal(request.POST.get("interview"), label="面试成绩", field="interview"), actor=request.user)
    except ShequError as exc:
        error = f"未保存：{exc}"
        app.refresh_from_db()
    if request.headers.get("HX-Request"):
        entered = {k: request.POST.get(k, "") for k in ("written", "interview")} if error else None
        return render(request, "recruitment/_application_row.html",
                      {"a": app, "error": error, "entered": entered, "plan": app.plan, "can_change": True})
    if error:
        messages.error(request, error)
    return redirect(reverse("recruitment:plan", args=[app.plan_id]) + "#applications")


# ---- ranking, 公示, hire -------------------------------------------------------------------

@requires("recruit.view")
def ranking_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    return render(request, "recruitment/ranking.html", {
        "page_title": f"{plan.title} · 排名与录用", "plan": plan, "ranking": plan_ranking(user=request.user, plan=plan),
        "can_change": has_capability(request.user, "recruit.change"), "today": timezone.localdate(),
        "publicity": plan_publicity(plan=plan), "hire_day": default_hire_day(plan=plan, today=timezone.localdate()),
    })


@requires("recruit.view")
def ranking_export_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    on = timezone.localdate()
    content = exports.ranking_xlsx(plan, plan_ranking(user=request.user, plan=plan), on=on)
    return xlsx_response(f"公示名单-{plan.title}-{on:%Y%m%d}.xlsx", content)


@requires("recruit.change")
@require_POST
def publish_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    try:
        plan_publish(plan=plan, on=a_date(request.POST.get("published_on"), label="公示日期", field="published_on"), actor=request.user)
        messages.success(request, "成绩与拟录用名单已公示")
    except ShequError as exc:
        _fail(request, exc)
    return redirect("recruitment:ranking", pk=plan.pk)


@requires("recruit.change")
@require_POST
def close_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    try:
        plan_close(plan=plan, actor=request.user)
        messages.success(request, "招聘计划已结束，未录满的名额不再占用空编")
    except ShequError as exc:
        _fail(request, exc)
    return redirect("recruitment:ranking", pk=plan.pk)


@requires("recruit.change")
@require_POST
@confirm_first(hire_consequences)
def hire_view(request: AuthedRequest, pk: int) -> HttpResponse:
    app = application_get(user=request.user, pk=pk)
    try:
        worker = application_hire(application=app, effective=a_date(request.POST.get("effective"), label="录用日期", field="effective"),
                                  actor=request.user)
        until = f"，试用期至 {worker.probation_until:%Y-%m-%d}" if worker.probation_until else ""
        messages.success(request, f"已录用 {worker.name}：{worker.post} {worker.grade} 级{until}")
    except ShequError as exc:
        _fail(request, exc)
    return redirect("recruitment:ranking", pk=app.plan_id)


@requires("recruit.change")
@require_POST
@confirm_first(withdraw_consequences)
def withdraw_view(request: AuthedRequest, pk: int) -> HttpResponse:
    app = application_get(user=request.user, pk=pk)
    try:
        nxt = application_withdraw(application=app, reason=_text(request.POST, "reason", "放弃原因"),
                                   effective=a_date(request.POST.get("effective"), label="日期", field="effective", default=timezone.localdate()), actor=request.user)
        messages.success(request, f"{app.name} 已放弃" + (f"，由 {nxt.name} 递补" if nxt else "，无人递补"))
    except ShequError as exc:
        _fail(request, exc)
    return redirect("recruitment:ranking", pk=app.plan_id)


# ---- dispatch conversion (E-DISP, E-TWO) --------------------------------------------------

@requires("recruit.view")
def dispatch_view(request: AuthedRequest) -> HttpResponse:
    on = timezone.localdate()
    return render(request, "recruitment/dispatch.html", {
        "page_title": "劳务派遣人员转岗", "checks": dispatch_list(user=request.user, scope=cast(Unit, request.user.unit), on=on),
        "on": on, "can_change": has_capability(request.user, "recruit.change"),
    })


@requires("recruit.view")
def dispatch_export_view(request: AuthedRequest) -> HttpResponse:
    on = timezone.localdate()
    scope = cast(Unit, request.user.unit)
    content = exports.dispatch_xlsx(dispatch_list(user=request.user, scope=scope, on=on), scope_name=scope.name, on=on)
    return xlsx_response(f"劳务派遣转岗-{scope.name}-{on:%Y%m%d}.xlsx", content)


@requires("recruit.change")
@require_POST
def dispatch_convert_view(request: AuthedRequest, worker_pk: int) -> HttpResponse:
    worker = get_in_scope_or_404(Worker.objects.select_related("unit"), request.user, pk=worker_pk)
    try:
        dispatch_convert(worker=worker, effective=a_date(request.POST.get("effective"), label="转岗日期", field="effective"), actor=request.user)
        worker.refresh_from_db()
        messages.success(request, f"{worker.name} 已转为专职社区工作者：{worker.post} {worker.grade} 级")
    except ShequError as exc:
        _fail(request, exc)
    return redirect("recruitment:dispatch")


# ---- 套改 (E-CONV) --------------------------------------------------------------------------

@requires("recruit.view")
def conversions_view(request: AuthedRequest) -> HttpResponse:
    scope = request.user.unit
    if request.GET.get("scope"):
        scope = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=request.GET["scope"])
    return render(request, "recruitment/conversions.html", {
        "page_title": "两委成员套改", "batches": batch_list(user=request.user), "scope": scope,
        "scopes": unit_list(user=request.user, types=SCOPE_TYPES).order_by("path"),
        "candidates": conversion_candidates(user=request.user, scope=scope) if scope else [],
        "can_change": has_capability(request.user, "recruit.change"), "today": timezone.localdate(),
    })


@requires("recruit.view")
def conversions_export_view(request: AuthedRequest) -> HttpResponse:
    on = timezone.localdate()
    scope = request.user.unit.name if request.user.unit else "全部"
    content = exports.batches_xlsx(batch_list(user=request.user), scope_name=scope, on=on)
    return xlsx_response(f"套改批次-{scope}-{on:%Y%m%d}.xlsx", content)


@requires("recruit.change")
@require_POST
def conversion_create_view(request: AuthedRequest) -> HttpResponse:
    p = request.POST
    try:
        scope = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=p.get("scope") or 0)
        ids = [an_id(x, label="社区工作者", field="workers") for x in p.getlist("workers") if x.strip()]
        workers = list(conversion_candidates(user=request.user, scope=scope).filter(pk__in=ids))
        batch = conversion_batch_create(scope=scope, title=_text(p, "title", "批次名称"),
                                        effective=a_date(p.get("effective"), label="套改生效日期", field="effective"), workers=workers, actor=request.user)
    except ShequError as exc:
        _fail(request, exc)
        return redirect("recruitment:conversions")
    messages.success(request, f"已拟定 {batch.lines.count()} 人的岗位和等级，请复核")
    return redirect("recruitment:conversion", pk=batch.pk)


def _batch_context(request: AuthedRequest, batch: Any) -> dict[str, Any]:
    policy, _ = policy_for(unit=batch.scope, on=batch.effective)
    lines = batch_lines(user=request.user, batch=batch)
    return {"batch": batch, "lines": lines, "report": batch_report(lines=lines, post_order=policy.post_names()),
            "post_names": policy.post_names(), "policy": policy}


@requires("recruit.view")
def conversion_view(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = batch_get(user=request.user, pk=pk)
    return render(request, "recruitment/conversion.html", {
        **_batch_context(request, batch), "page_title": batch.title,
        "can_change": has_capability(request.user, "recruit.change"),
        "job": pending_job(f"conversion.confirm:{batch.pk}"),
    })


@requires("recruit.view")
def conversion_export_view(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = batch_get(user=request.user, pk=pk)
    ctx = _batch_context(request, batch)
    on = timezone.localdate()
    return xlsx_response(f"套改-{batch.title}-{on:%Y%m%d}.xlsx", exports.batch_xlsx(batch, ctx["lines"], ctx["report"], on=on))


@requires("recruit.change")
@require_POST
def conversion_line_view(request: AuthedRequest, pk: int) -> HttpResponse:
    line = line_get(user=request.user, pk=pk)
    try:
        grade = an_int(request.POST.get("grade"), label="等级", field="grade")
        conversion_line_edit(line=line, post=request.POST.get("post", ""), grade=grade,
                             reason=request.POST.get("reason", ""), actor=request.user)
        messages.success(request, f"已调整 {line.worker.name}")
    except ShequError as exc:
        _fail(request, exc)
    return redirect(reverse("recruitment:conversion", args=[line.batch_id]) + f"#line-{line.pk}")


@requires("recruit.change")
@require_POST
def conversion_contract_view(request: AuthedRequest, pk: int) -> HttpResponse:
    line = line_get(user=request.user, pk=pk)
    try:
        line = conversion_line_contract(line=line, voluntary=request.POST.get("voluntary") == "1", actor=request.user)
        messages.success(request, f"{line.worker.name} 自愿签订劳动合同：{'是' if line.voluntary_contract else '否'}")
    except ShequError as exc:
        _fail(request, exc)
    return redirect(reverse("recruitment:conversion", args=[line.batch_id]) + f"#line-{line.pk}")


@requires("recruit.change")
@require_POST
def conversion_confirm_view(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = batch_get(user=request.user, pk=pk)
    try:
        announce(request, conversion_batch_submit_confirm(batch=batch, actor=request.user))
    except ShequError as exc:
        _fail(request, exc)
    return redirect("recruitment:conversion", pk=batch.pk)

