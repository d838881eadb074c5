"""Pages of the annual assessment. Thin: scope by selectors, writes by services."""

from __future__ import annotations

from datetime import date

import polars as pl
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts.decorators import NO_CAPABILITY, requires
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.assessment import tables
from shequ.assessment.compute import evaluate
from shequ.assessment.confirmations import (
    confirm_consequences,
    dismissal_consequences,
    publish_consequences,
)
from shequ.assessment.imports import KIND, make_commit, make_validate
from shequ.assessment.models import CampaignStatus, Score
from shequ.assessment.selectors import (
    breach_list,
    campaign_get,
    campaign_list,
    campaign_units,
    consequence_list,
    proposed_dismissals,
)
from shequ.assessment.services import (
    AssessmentError,
    ScoreEntry,
    breach_record,
    breach_remove,
    campaign_create,
    campaign_submit_confirm,
    campaign_submit_publish,
    dismissal_decide,
    publish_blockers,
    score_adjust,
    scores_save,
)
from shequ.common.confirm import confirm_first
from shequ.common.excel import TemplateColumn, scope_line, template_xlsx, xlsx_bytes, xlsx_response
from shequ.common.imports import ImportRefused, import_commit, import_discard, import_stage
from shequ.common.models import ImportBatch
from shequ.common.params import a_date, a_year, an_optional_id
from shequ.common.pii import disclose_id
from shequ.common.scope import get_in_scope_or_404, scoped
from shequ.errors import ShequError
from shequ.jobs.models import JobStatus
from shequ.jobs.web import announce, pending_job
from shequ.org.models import Unit
from shequ.rules import vocab
from shequ.sheets import READABLE, READABLE_TEXT
from shequ.workers.models import Worker

NO_FILE = "请选择要上传的 " + READABLE_TEXT + " 文件"


def _caps(request: AuthedRequest) -> dict[str, bool]:
    u = request.user
    return {"can_change": has_capability(u, "assess.change"), "can_confirm": has_capability(u, "assess.confirm")}


@requires("assess.view")
def index_view(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        if not has_capability(request.user, "assess.change"):
            raise PermissionDenied(NO_CAPABILITY)
        unit: Unit = get_in_scope_or_404(Unit.objects.all(), request.user, unit_field="", pk=request.POST.get("unit") or 0)
        try:
            c = campaign_create(unit=unit, year=a_year(request.POST.get("year")), actor=request.user,
                                name=request.POST.get("name", ""))
        except ShequError as exc:
            messages.error(request, str(exc))
            return redirect("assessment:index")
        messages.success(request, f"已创建：{c.name}")
        return redirect("assessment:detail", pk=c.pk)
    campaigns = campaign_list(user=request.user)
    status = request.GET.get("status", "")
    if status in CampaignStatus.values:
        campaigns = campaigns.filter(status=status)
    return render(request, "assessment/index.html", {
        "page_title": "年度考核", "campaigns": campaigns, "status": status, "statuses": CampaignStatus.choices,
        "units": campaign_units(user=request.user), "this_year": timezone.localdate().year - 1, **_caps(request),
    })


@requires("assess.view")
def detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The tier list with the cap check, the negative list and what still blocks publishing."""
    campaign = campaign_get(user=request.user, pk=pk)
    ev = evaluate(campaign)
    dist = ev.scored.group_by("tier").len().to_dicts()
    counts = {d["tier"]: d["len"] for d in dist}
    unit_filter = request.GET.get("unit", "")
    frame = ev.frame.filter(pl.col("unit_name") == unit_filter) if unit_filter else ev.frame
    adjusted = {s.worker_id: s for s in Score.objects.filter(campaign=campaign).exclude(tier_adjusted="")}
    rows = frame.to_dicts()
    for r in rows:
        s = adjusted.get(r["worker_id"])
        r["adjusted"] = f"{s.tier_adjusted}（{s.adjust_reason}）" if s else ""
    return render(request, "assessment/detail.html", {
        "page_title": campaign.name, "c": campaign, "ev": ev, "rows": rows, "counts": counts,
        "total": ev.frame.height, "missing_n": ev.missing.height,
        "tier_counts": [(t, counts.get(t, 0)) for t in ("优秀", "称职", "基本称职", "不称职")],
        "tiers": ["优秀", "称职", "基本称职", "不称职"], "blockers": publish_blockers(ev) if campaign.status == CampaignStatus.DRAFT else [],
        "units": sorted(set(ev.frame["unit_name"].to_list())), "unit_filter": unit_filter,
        "breaches": breach_list(campaign=campaign), "exports": tables.EXPORTS, **_caps(request),
        "job": pending_job(f"assessment.publish:{campaign.pk}"),
    })


@requires("assess.change")
def scores_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Scores typed by hand, one unit at a time; saved all or nothing."""
    campaign = campaign_get(user=request.user, pk=pk)
    ev = evaluate(campaign)
    units = sorted(set(ev.frame["unit_name"].to_list()))
    unit_filter = request.GET.get("unit") or (units[0] if units else "")
    workers = ev.frame.filter(pl.col("unit_name") == unit_filter).select("worker_id", "name", "post").to_dicts()
    existing = {s.worker_id: s for s in Score.objects.filter(campaign=campaign, worker_id__in=[w["worker_id"] for w in workers])}
    if request.method == "POST":
        entries = []
        for w in workers:
            p = f"w{w['worker_id']}-"
            ind = {n: request.POST.get(p + f"i{i}", "") for i, n in enumerate(ev.indicators)}
            score, tier = request.POST.get(p + "score", ""), request.POST.get(p + "tier", "")
            if any(v.strip() for v in ind.values()) or score.strip() or tier.strip():
                entries.append(ScoreEntry(worker_id=w["worker_id"], indicators=ind, score=score, tier=tier))
        try:
            n = scores_save(campaign=campaign, entries=entries, actor=request.user)
        except AssessmentError as exc:
            messages.error(request, f"未保存，请改正：{exc}")
        else:
            messages.success(request, f"已保存 {n} 人的评分")
            return redirect(f"{request.path}?unit={unit_filter}")
    for w in workers:
        s = existing.get(w["worker_id"])
        w["values"] = [(f"i{i}", (s.indicators.get(n, "") if s else "")) for i, n in enumerate(ev.indicators)]
        w["score"] = s.score if s and s.score is not None else ""
        w["tier"] = s.tier_given if s else ""
    return render(request, "assessment/scores.html", {
        "page_title": f"{campaign.name} · 录入评分", "c": campaign, "ev": ev, "workers": workers, "units": units,
        "unit_filter": unit_filter, "tiers": ["优秀", "称职", "基本称职", "不称职"],
        "editable": campaign.status == CampaignStatus.DRAFT,
        "weights": list(ev.policy.params(date(campaign.year, 12, 31)).assessment.indicator_weights.items()),
    })


@requires("assess.change")
def import_view(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = campaign_get(user=request.user, pk=pk)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or not (upload.name or "").lower().endswith(READABLE):
            messages.error(request, NO_FILE)
            return redirect("assessment:import", pk=pk)
        batch = import_stage(kind=KIND, filename=upload.name or "", content=upload.read(), unit=campaign.unit,
                             actor=request.user, validate=make_validate(campaign))
        return redirect("assessment:import_batch", pk=pk, batch=batch.pk)
    return render(request, "assessment/import.html", {"page_title": f"{campaign.name} · 导入考核结果", "c": campaign})


@requires("assess.change")
def import_batch_view(request: AuthedRequest, pk: int, batch: int) -> HttpResponse:
    campaign = campaign_get(user=request.user, pk=pk)
    b = get_object_or_404(scoped(ImportBatch.objects.all(), request.user), pk=batch, kind=KIND, actor=request.user)
    if b.summary.get("campaign_id") not in (None, campaign.pk):
        raise Http404("未找到")
    if request.method == "POST":
        if "discard" in request.POST:
            try:
                import_discard(batch=b, actor=request.user)
            except ImportRefused as exc:
                messages.error(request, str(exc))
                return redirect("assessment:import_batch", pk=pk, batch=b.pk)
            return redirect("assessment:detail", pk=pk)
        try:
            b = import_commit(batch=b, actor=request.user, commit=make_commit(campaign))
        except ShequError as exc:
            messages.error(request, f"导入失败，未做任何更改：{exc}")
            return redirect("assessment:import_batch", pk=pk, batch=b.pk)
        messages.success(request, f"已导入本年度评分 {b.summary.get('scores', 0)} 条、往年结果 {b.summary.get('history', 0)} 条")
        return redirect("assessment:detail", pk=pk)
    return render(request, "assessment/import_batch.html", {
        "page_title": f"{campaign.name} · 导入预览", "c": campaign, "b": b, "preview": b.rows[:200],
    })


@requires("assess.change")
def template_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The campaign's workers (name, ID number, unit, post) with the policy's indicator
    columns, 得分 and a 考核等次 dropdown to fill in; the import ignores 所属单位 and 岗位."""
    campaign = campaign_get(user=request.user, pk=pk)
    ev = evaluate(campaign)
    columns = [
        TemplateColumn("身份证号", "本次考核的人员，请勿改动", kind="id", required=True),
        TemplateColumn("姓名", "仅供核对"),
        TemplateColumn("所属单位", "仅供核对"),
        TemplateColumn("岗位", "仅供核对"),
        TemplateColumn("年度", "留空即本次考核年度；填往年年度则作为往年考核结果导入", kind="int", example=campaign.year),
        *[TemplateColumn(name, "政策规定的考核指标得分", kind="number") for name in ev.indicators],
        TemplateColumn("得分", "量化积分；填了全部指标时可留空，按政策权重计算", kind="number"),
        TemplateColumn("考核等次", "合格、基本合格、不合格分别按称职、基本称职、不称职读入", kind="choice",
                       choices=vocab.TIERS, example="称职"),
    ]
    # Pre-filled with the campaign's people so the sheet can come back matched: full numbers, audited.
    rows = [[disclose_id(e["id_number"]), e["name"], e["unit_name"], e["post"], campaign.year] for e in
            ev.frame.select("id_number", "name", "unit_name", "post").to_dicts()]
    content = template_xlsx(sheet="考核结果", columns=columns, rows=rows, scope_name=campaign.unit.name,
                            notes=[f"已列出“{campaign.name}”的全部 {len(rows)} 名人员，请逐人填写得分或考核等次。"],
                            example=False)
    return xlsx_response(f"考核结果模板-{campaign.unit.name}-{campaign.year}.xlsx", content)


@require_POST
@requires("assess.change")
def adjust_view(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = campaign_get(user=request.user, pk=pk)
    worker: Worker = get_in_scope_or_404(Worker.objects.all(), request.user, pk=request.POST.get("worker") or 0)
    try:
        score_adjust(campaign=campaign, worker=worker, tier=request.POST.get("tier", ""), reason=request.POST.get("reason", ""), actor=request.user)
    except AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已调整 {worker.name} 的等次")
    return redirect("assessment:detail", pk=pk)


@requires("assess.change")
def breaches_view(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = campaign_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                b = get_object_or_404(breach_list(campaign=campaign), pk=an_optional_id(request.POST["remove"], label="违纪记录") or 0)
                breach_remove(breach=b, actor=request.user)
                messages.success(request, "已删除")
            else:
                worker: Worker = get_in_scope_or_404(Worker.objects.all(), request.user, id_number=(request.POST.get("id_number") or "").strip().upper())
                breach_record(campaign=campaign, worker=worker, reason=request.POST.get("reason", ""), actor=request.user)
                messages.success(request, f"已登记 {worker.name} 的负面清单情形")
        except AssessmentError as exc:
            messages.error(request, str(exc))
        return redirect("assessment:breaches", pk=pk)
    ev = evaluate(campaign)
    return render(request, "assessment/breaches.html", {
        "page_title": f"{campaign.name} · 负面清单", "c": campaign, "breaches": breach_list(campaign=campaign),
        "negative_items": ev.negative_items, "negative_dismiss": ev.negative_dismiss, "editable": campaign.status == CampaignStatus.DRAFT,
    })


@require_POST
@requires("assess.change")
@confirm_first(publish_consequences)
def publish_view(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = campaign_get(user=request.user, pk=pk)
    try:
        job = campaign_submit_publish(campaign=campaign, actor=request.user)
    except AssessmentError as exc:
        messages.error(request, f"未公布：{exc}")
    else:
        if job.status == JobStatus.FAILED:
            messages.error(request, f"未公布：{job.error}")
        else:
            announce(request, job)
    return redirect("assessment:detail", pk=pk)


@requires("assess.view")
def preview_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Who moves from what to what, and the monthly cost change by unit, before confirming."""
    campaign = campaign_get(user=request.user, pk=pk)
    on = date(campaign.year + 1, 1, 1)
    if campaign.status == CampaignStatus.CONFIRMED:
        done = tables.consequences_table(campaign)
        return render(request, "assessment/preview.html", {
            "page_title": f"{campaign.name} · 结果运用", "c": campaign, "done": done, "on": on, **_caps(request),
        })
    ev = evaluate(campaign)
    return render(request, "assessment/preview.html", {
        "page_title": f"{campaign.name} · 结果运用预览", "c": campaign, "ev": ev, "on": on,
        "job": pending_job(f"assessment.confirm:{campaign.pk}"),
        "moves": tables.moves_table(ev), "cost": tables.cost_table(ev, on),
        "promote": tables.action_table(ev, "优先晋升", "优先晋升名单"),
        "warn": tables.action_table(ev, "约谈提醒", "约谈提醒名单"),
        "dismiss": tables.action_table(ev, "解聘", "拟解聘名单（须二次确认）"), **_caps(request),
    })


@require_POST
@requires("assess.confirm")
@confirm_first(confirm_consequences)
def confirm_view(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = campaign_get(user=request.user, pk=pk)
    try:
        on = a_date(request.POST.get("effective"), label="生效日期", field="effective", default=date(campaign.year + 1, 1, 1))
        job = campaign_submit_confirm(campaign=campaign, actor=request.user, effective=on)
    except ShequError as exc:
        messages.error(request, f"未确认：{exc}")
        return redirect("assessment:preview", pk=pk)
    if job.status == JobStatus.FAILED:
        messages.error(request, f"未确认：{job.error}")
        return redirect("assessment:preview", pk=pk)
    announce(request, job)
    return redirect(job.result_url or f"/assessment/{pk}/preview/")


@requires("assess.confirm")
@confirm_first(dismissal_consequences)
def dismissals_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """C-EXIT: the second confirmation, one proposal at a time."""
    campaign = campaign_get(user=request.user, pk=pk)
    if request.method == "POST":
        c = get_object_or_404(proposed_dismissals(campaign=campaign), pk=an_optional_id(request.POST.get("consequence"), label="解聘建议") or 0)
        try:
            on = a_date(request.POST.get("on"), label="解聘日期", field="on", default=timezone.localdate())
            dismissal_decide(consequence=c, confirm=request.POST.get("decision") == "confirm", actor=request.user,
                             on=on, note=request.POST.get("note", ""))
        except ShequError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已处理 {c.worker.name} 的解聘建议")
        return redirect("assessment:dismissals", pk=pk)
    return render(request, "assessment/dismissals.html", {
        "page_title": f"{campaign.name} · 解聘二次确认", "c": campaign, "today": timezone.localdate(),
        "proposed": proposed_dismissals(campaign=campaign),
        "decided": consequence_list(campaign=campaign, action="解聘").exclude(status="proposed"),
    })


@requires("assess.view")
def export_view(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    campaign = campaign_get(user=request.user, pk=pk)
    if kind not in tables.EXPORTS:
        raise Http404("未找到")
    ev = evaluate(campaign)
    table = tables.export_table(kind, campaign, ev, date(campaign.year + 1, 1, 1))
    today = timezone.localdate()
    title = scope_line(scope_name=campaign.unit.name, on=today, what=f"{campaign.year}年度社区工作者考核 · {table.title}")
    title.append(f"考核年度：{campaign.year}    政策版本：{ev.label}")
    content = xlsx_bytes(sheet=table.title[:31], headers=table.headers, rows=table.rows, title_lines=title)
    return xlsx_response(f"{table.title}-{campaign.unit.name}-{campaign.year}.xlsx", content)


