"""Training pages: sessions and attendance, compliance, hours, mentoring, exchange and
rotation, certificates. Views parse, call one service or selector, render."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from shequ.accounts.decorators import NO_CAPABILITY, requires
from shequ.accounts.roles import has_capability
from shequ.accounts.types import AuthedRequest
from shequ.common.params import (
    YEAR_MAX,
    YEAR_MIN,
    a_date,
    a_decimal,
    a_year,
    an_id,
    an_int,
    an_optional_id,
)
from shequ.common.scope import ScopeError
from shequ.errors import Invalid, ShequError
from shequ.growth.training import exports, selectors, services
from shequ.growth.training.certification import certification_due, certification_share
from shequ.growth.training.compliance import OVERDUE, training_compliance
from shequ.growth.training.coverage import mentoring_coverage, rotation_coverage
from shequ.growth.training.models import LEVEL_ORDER, MentorGroup, PlacementKind
from shequ.workers.models import CertificateLevel


def _filters(request: AuthedRequest) -> tuple[date, Any, str]:
    """(as-of date, root unit, query string) from ?on=&unit= ; bad dates fall back to today."""
    today = timezone.localdate()
    try:
        on = a_date(request.GET.get("on"), label="日期", field="on", default=today)
    except Invalid as exc:
        messages.error(request, exc.message)
        on = today
    unit_id = request.GET.get("unit")
    root = selectors.root_unit(user=request.user, unit_id=an_optional_id(unit_id, label="单位", field="unit"))
    query = f"on={on:%Y-%m-%d}" + (f"&unit={root.pk}" if unit_id and root else "")
    return on, root, query


def _write(request: AuthedRequest, fn: Any, success: str) -> bool:
    """Run a service; show its Chinese error instead of failing. True when it worked."""
    try:
        fn()
    except ScopeError as exc:
        messages.error(request, exc.message)
        return False
    except (ShequError, ValidationError) as exc:
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else exc.message
        messages.error(request, f"未保存：{text}")
        return False
    messages.success(request, success)
    return True


def _base(request: AuthedRequest, **extra: Any) -> dict[str, Any]:
    return {"can_change": has_capability(request.user, "growth.change"), "levels": LEVEL_ORDER, **extra}


# ---------------------------------------------------------------- sessions and attendance (T-LEVEL)
@requires("growth.view")
def sessions_view(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        if not has_capability(request.user, "growth.change"):
            raise PermissionDenied(NO_CAPABILITY)
        post = request.POST

        def create_course() -> None:
            unit = selectors.root_unit(user=request.user, unit_id=an_optional_id(post.get("unit"), label="单位", field="unit"))
            services.course_create(name=post.get("name", ""), level=post.get("level", ""), unit=unit,
                                   hours=a_decimal(post.get("hours"), label="学时", field="hours", lo=Decimal(0)) or Decimal(0), description=post.get("description", ""),
                                   actor=request.user)

        def create_session() -> None:
            course = selectors.course_get(user=request.user, pk=an_id(post.get("course"), label="课程", field="course"), for_change=True)
            start = a_date(post.get("start"), label="开始日期")
            services.session_create(course=course, start=start, end=a_date(post.get("end"), label="结束日期", default=start),
                                    place=post.get("place", ""), hours=a_decimal(post.get("hours"), label="学时", field="hours", lo=Decimal(0)), actor=request.user)

        if post.get("action") == "course":
            _write(request, create_course, "已新增课程")
        else:
            _write(request, create_session, "已新增培训班次")
        return redirect("growth:training:sessions")
    level = request.GET.get("level", "")
    year = request.GET.get("year", "")
    sessions = selectors.session_list(user=request.user, level=level, year=an_int(year, label="年度", field="year", lo=YEAR_MIN, hi=YEAR_MAX, required=False))
    courses = selectors.course_list(user=request.user)
    own_courses = selectors.course_list(user=request.user, own=True)
    return render(request, "growth/training/sessions.html", _base(
        request, page_title="培训班次", sessions=sessions[:300], courses=courses, own_courses=own_courses,
        units=selectors.unit_choices(user=request.user), level=level, year=year,
    ))


@requires("growth.view")
def session_view(request: AuthedRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, pk=pk)
    if request.method == "POST":
        if not has_capability(request.user, "growth.change"):
            raise PermissionDenied(NO_CAPABILITY)
        if request.POST.get("action") == "remove":
            def remove() -> None:
                attendance = selectors.attendance_get(user=request.user, pk=an_id(request.POST.get("attendance"), label="参训记录", field="attendance"))
                services.attendance_remove(attendance=attendance, actor=request.user, cause=request.POST.get("cause", ""))

            _write(request, remove, "已撤销该培训记录")
            return redirect("growth:training:session", pk=pk)
        ids = [an_id(x, label="社区工作者", field="workers") for x in request.POST.getlist("workers") if x.strip()]

        def record() -> None:
            workers = selectors.workers_in_scope(user=request.user, pks=ids)
            hours = a_decimal(request.POST.get("hours"), label="学时", field="hours", lo=Decimal(0))
            services.attendance_record(session=session, actor=request.user,
                                       lines=[services.AttendanceLine(worker=w, hours=hours) for w in workers])

        _write(request, record, f"已登记 {len(ids)} 人参训")
        return redirect("growth:training:session", pk=pk)
    attendances = selectors.attendance_list(user=request.user, session=session)
    taken = set(attendances.values_list("worker_id", flat=True))
    _, root, _ = _filters(request)
    candidates = [w for w in selectors.worker_choices(user=request.user, root=root) if w.pk not in taken]
    return render(request, "growth/training/session.html", _base(
        request, page_title=str(session), session=session, attendances=attendances, candidates=candidates,
        units=selectors.unit_choices(user=request.user), root=root,
    ))


# ---------------------------------------------------------------- compliance (T-LEVEL)
@requires("growth.view")
def compliance_view(request: AuthedRequest) -> HttpResponse:
    on, root, query = _filters(request)
    result = training_compliance(user=request.user, root=root, on=on)
    overdue = result.overdue.to_dicts()
    by_unit = result.by_unit.to_dicts()
    return render(request, "growth/training/compliance.html", _base(
        request, page_title="培训达标情况", on=on, root=root, query=query, overdue=overdue, by_unit=by_unit,
        units=selectors.unit_choices(user=request.user),
        total=result.workers.height, required=sum(r["required"] for r in by_unit), overdue_n=len(overdue),
        status_overdue=OVERDUE,
    ))


@requires("growth.view")
def compliance_export_view(request: AuthedRequest) -> HttpResponse:
    on, root, _ = _filters(request)
    return exports.compliance_export(user=request.user, root=root, on=on)


@requires("growth.view")
def hours_view(request: AuthedRequest) -> HttpResponse:
    on, root, query = _filters(request)
    year = a_year(request.GET.get("year"), default=on.year)
    rows = selectors.hours_by_worker(user=request.user, root=root, start=date(year, 1, 1), end=date(year, 12, 31))
    return render(request, "growth/training/hours.html", _base(
        request, page_title=f"{year}年培训学时", rows=rows, year=year, root=root, on=on, query=query,
        units=selectors.unit_choices(user=request.user),
        total_times=sum(r["times"] for r in rows), total_hours=sum((r["hours"] or 0) for r in rows),
    ))


@requires("growth.view")
def hours_export_view(request: AuthedRequest) -> HttpResponse:
    on, root, _ = _filters(request)
    year = a_year(request.GET.get("year"), default=on.year)
    return exports.hours_export(user=request.user, root=root, year=year)


# ---------------------------------------------------------------- mentoring (T-MENTOR)
@requires("growth.view")
def mentoring_view(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        if not has_capability(request.user, "growth.change"):
            raise PermissionDenied(NO_CAPABILITY)
        post = request.POST
        if post.get("action") == "end":
            def end() -> None:
                pair = selectors.mentor_pair_get(user=request.user, pk=an_id(post.get("pair"), label="带教关系", field="pair"))
                services.mentor_pair_end(pair=pair, end=a_date(post.get("end"), label="结束日期"), actor=request.user)

            _write(request, end, "已结束帮带关系")
        else:
            def create() -> None:
                mentee = selectors.worker_in_scope(user=request.user, pk=an_id(post.get("mentee"), label="被带教人", field="mentee"))
                mentor_id = post.get("mentor") or ""
                mentor = selectors.worker_in_scope(user=request.user, pk=an_id(mentor_id, label="带教人", field="mentor")) if mentor_id.strip() else None
                services.mentor_pair_create(mentee=mentee, mentor=mentor, mentor_name=post.get("mentor_name", ""),
                                            group=post.get("group") or MentorGroup.OTHER,
                                            start=a_date(post.get("start"), label="开始日期"), note=post.get("note", ""),
                                            actor=request.user)

            _write(request, create, "已建立帮带关系")
        return redirect(reverse("growth:training:mentoring") + "?" + request.GET.urlencode())
    on, root, query = _filters(request)
    cov = mentoring_coverage(user=request.user, root=root, on=on)
    return render(request, "growth/training/mentoring.html", _base(
        request, page_title="导师帮带", on=on, root=root, query=query, groups=cov.groups,
        unpaired=cov.unpaired.to_dicts(), pairs=selectors.mentor_pair_list(user=request.user)[:300],
        workers=selectors.worker_choices(user=request.user, root=root), group_choices=MentorGroup.choices,
        units=selectors.unit_choices(user=request.user),
    ))


@requires("growth.view")
def mentoring_export_view(request: AuthedRequest) -> HttpResponse:
    on, root, _ = _filters(request)
    return exports.mentoring_export(user=request.user, root=root, on=on)


# ---------------------------------------------------------------- exchange and rotation (T-EXCH, T-ALL)
@requires("growth.view")
def placements_view(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        if not has_capability(request.user, "growth.change"):
            raise PermissionDenied(NO_CAPABILITY)
        post = request.POST

        def record() -> None:
            worker = selectors.worker_in_scope(user=request.user, pk=an_id(post.get("worker"), label="社区工作者", field="worker"))
            start = a_date(post.get("start"), label="开始日期")
            services.placement_record(kind=post.get("kind", ""), worker=worker, place=post.get("place", ""),
                                      post_served=post.get("post_served", ""), start=start,
                                      end=a_date(post.get("end"), label="结束日期"), note=post.get("note", ""),
                                      actor=request.user)

        _write(request, record, "已登记")
        return redirect("growth:training:placements")
    on, root, query = _filters(request)
    coverage = rotation_coverage(user=request.user, root=root, on=on).to_dicts()
    return render(request, "growth/training/placements.html", _base(
        request, page_title="跟岗学习与全岗通", on=on, root=root, query=query, coverage=coverage,
        exchanges=selectors.placement_list(user=request.user, kind=PlacementKind.EXCHANGE)[:200],
        rotations=selectors.placement_list(user=request.user, kind=PlacementKind.ROTATION)[:200],
        workers=selectors.worker_choices(user=request.user, root=root), kinds=PlacementKind.choices,
        units=selectors.unit_choices(user=request.user),
    ))


@requires("growth.view")
def placements_export_view(request: AuthedRequest) -> HttpResponse:
    on, root, _ = _filters(request)
    return exports.rotation_export(user=request.user, root=root, on=on)


# ---------------------------------------------------------------- certificates (T-CERT)
@requires("growth.view")
def certificates_view(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        if not has_capability(request.user, "growth.change"):
            raise PermissionDenied(NO_CAPABILITY)
        post = request.POST

        def record() -> None:
            worker = selectors.worker_in_scope(user=request.user, pk=an_id(post.get("worker"), label="社区工作者", field="worker"))
            services.certificate_record(worker=worker, level=post.get("level", ""),
                                        obtained_on=a_date(post.get("obtained_on"), label="取得日期"),
                                        number=post.get("number", ""), actor=request.user, today=timezone.localdate())

        _write(request, record, "已登记职业资格证书")
        return redirect("growth:training:certificates")
    on, root, query = _filters(request)
    share = certification_share(user=request.user, root=root, on=on).to_dicts()
    due = certification_due(user=request.user, root=root, on=on).workers.to_dicts()
    return render(request, "growth/training/certificates.html", _base(
        request, page_title="职业资格与持证", on=on, root=root, query=query, share=share, due=due,
        certified=sum(r["certified"] for r in share), headcount=sum(r["headcount"] for r in share),
        certificates=selectors.certificate_list(user=request.user)[:200],
        workers=selectors.worker_choices(user=request.user, root=root),
        cert_levels=[c for c, _ in CertificateLevel.choices if c != CertificateLevel.NONE],
        units=selectors.unit_choices(user=request.user),
    ))


@requires("growth.view")
def certificates_export_view(request: AuthedRequest) -> HttpResponse:
    on, root, _ = _filters(request)
    return exports.certification_export(user=request.user, root=root, on=on)
