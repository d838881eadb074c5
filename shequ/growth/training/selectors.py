"""Reads for training, mentoring, placements and certificates; every one filtered by the
caller's org scope."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from shequ.common.scope import get_in_scope_or_404, scope_path, scoped
from shequ.growth.training.models import Attendance, Course, MentorPair, Placement, TrainingSession
from shequ.org.models import STAFFED_TYPES, Unit
from shequ.workers.models import Certificate, Status, Worker

if TYPE_CHECKING:
    from shequ.accounts.models import User


def visible_q(user: User, field: str = "unit") -> Q:
    """Rows of the user's subtree plus rows owned by the units above it."""
    path = scope_path(user)
    if path is None:
        return Q(pk__in=[])
    if path == "":
        return Q()
    ancestors = cast(Unit, user.unit).ancestor_ids()  # a non-empty scope path is the user's unit's
    return Q(**{f"{field}__path__startswith": path}) | Q(**{f"{field}_id__in": ancestors})


def course_list(*, user: User, own: bool = False) -> QuerySet[Course]:
    """Courses visible to the user; `own`: only those the user may run sessions of."""
    qs = scoped(Course.objects.all(), user) if own else Course.objects.filter(visible_q(user))
    return qs.select_related("unit").order_by("unit__path", "name")


def course_get(*, user: User, pk: int, for_change: bool = False) -> Course:
    if for_change:
        return get_in_scope_or_404(Course.objects.select_related("unit"), user, pk=pk)
    try:
        return course_list(user=user).get(pk=pk)
    except Course.DoesNotExist as exc:
        raise Http404("未找到") from exc


def session_list(*, user: User, level: str = "", year: int | None = None) -> QuerySet[TrainingSession]:
    qs = TrainingSession.objects.filter(visible_q(user)).select_related("course", "unit")
    if level:
        qs = qs.filter(course__level=level)
    if year:
        qs = qs.filter(start__year=year)
    # Attendance counts only of the caller's own people: another street's numbers stay hidden.
    own = Q(attendances__unit__path__startswith=scope_path(user) or "")
    return qs.annotate(attendees=Count("attendances", filter=own)).order_by("-start", "-id")


def session_get(*, user: User, pk: int, for_change: bool = False) -> TrainingSession:
    if for_change:
        return get_in_scope_or_404(TrainingSession.objects.select_related("course", "unit"), user, pk=pk)
    try:
        return TrainingSession.objects.filter(visible_q(user)).select_related("course", "unit").get(pk=pk)
    except TrainingSession.DoesNotExist as exc:
        raise Http404("未找到") from exc


def attendance_list(*, user: User, session: TrainingSession | None = None, worker: Worker | None = None) -> QuerySet[Attendance]:
    qs = scoped(Attendance.objects.select_related("worker", "unit", "session", "session__course"), user)
    if session is not None:
        qs = qs.filter(session=session)
    if worker is not None:
        qs = qs.filter(worker=worker)
    return qs.order_by("-attended_on", "unit__path", "worker__name")


def attendance_get(*, user: User, pk: int) -> Attendance:
    return get_in_scope_or_404(Attendance.objects.select_related("session", "session__course", "unit"), user, pk=pk)


def hours_by_worker(*, user: User, root: Unit | None, start: date, end: date) -> list[dict[str, Any]]:
    """Person-times (人次) and hours per worker in [start, end], one aggregate query."""
    qs = scoped(Attendance.objects.all(), user).filter(attended_on__gte=start, attended_on__lte=end)
    if root is not None:
        qs = qs.filter(unit__path__startswith=root.path)
    return cast(list[dict[str, Any]], list(
        qs.values("worker_id", "worker__name", "worker__id_number", "unit__name", "unit__path")
        .annotate(
            times=Count("id"), hours=Sum("hours"),
            city=Count("id", filter=Q(level="市级")), county=Count("id", filter=Q(level="县级")),
            street=Count("id", filter=Q(level="街道")),
        )
        .order_by("unit__path", "worker__name")
    ))


def unit_choices(*, user: User) -> QuerySet[Unit]:
    return scoped(Unit.objects.all(), user, unit_field="").order_by("path")


def staffed_unit_choices(*, user: User) -> QuerySet[Unit]:
    return unit_choices(user=user).filter(unit_type__in=STAFFED_TYPES)


def root_unit(*, user: User, unit_id: int | None) -> Unit | None:
    if unit_id:
        return get_in_scope_or_404(Unit.objects.all(), user, unit_field="", pk=unit_id)
    return getattr(user, "unit", None)


CHOICES_CAP = 3000


def worker_choices(*, user: User, root: Unit | None = None) -> QuerySet[Worker]:
    """People offered in the pages' pickers: current workers under `root`, capped so a
    city-wide page stays usable (choose a unit to narrow it; bulk work goes by import)."""
    qs = scoped(Worker.objects.exclude(status=Status.LEFT).select_related("unit"), user)
    if root is not None:
        qs = qs.filter(unit__path__startswith=root.path)
    return qs.order_by("unit__path", "name")[:CHOICES_CAP]


def worker_in_scope(*, user: User, pk: int) -> Worker:
    return get_in_scope_or_404(Worker.objects.select_related("unit"), user, pk=pk)


def workers_in_scope(*, user: User, pks: list[int]) -> list[Worker]:
    """Many workers in one query; any id outside the scope looks missing (404)."""
    found = scoped(Worker.objects.select_related("unit"), user).in_bulk(set(pks))
    if len(found) != len(set(pks)):
        raise Http404("未找到")
    return [found[pk] for pk in pks]


def mentor_pair_list(*, user: User, open_only: bool = False) -> QuerySet[MentorPair]:
    qs = scoped(MentorPair.objects.select_related("mentor", "mentee", "unit"), user)
    if open_only:
        qs = qs.filter(end__isnull=True)
    return qs.order_by("unit__path", "-start")


def mentor_pair_get(*, user: User, pk: int) -> MentorPair:
    return get_in_scope_or_404(MentorPair.objects.select_related("mentee", "unit"), user, pk=pk)


def placement_list(*, user: User, kind: str) -> QuerySet[Placement]:
    return scoped(Placement.objects.select_related("worker", "unit"), user).filter(kind=kind).order_by("-start", "-id")


def certificate_list(*, user: User) -> QuerySet[Certificate]:
    return scoped(Certificate.objects.select_related("worker", "worker__unit"), user, unit_field="worker__unit").order_by(
        "-obtained_on", "-id"
    )


def worker_hours_by_year(*, user: User, worker: Worker) -> list[dict[str, Any]]:
    """Sessions attended (人次) and hours per year of one worker, by level, oldest first."""
    qs = scoped(Attendance.objects.filter(worker=worker), user)
    return cast(list[dict[str, Any]], list(
        qs.values("attended_on__year")
        .annotate(
            times=Count("id"), total_hours=Sum("hours"),
            city_hours=Sum("hours", filter=Q(level="市级")), county_hours=Sum("hours", filter=Q(level="县级")),
            street_hours=Sum("hours", filter=Q(level="街道")),
        )
        .order_by("attended_on__year")
    ))
