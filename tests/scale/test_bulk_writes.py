"""common.bulk: COPY on PostgreSQL behaves like bulk_create (pks set, auto_now filled,
JSON kept, constraints enforced, all or nothing inside the caller's transaction)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from shequ.common.bulk import objects_insert
from shequ.workers.models import EventKind, Worker, WorkerEvent
from tests.factories import id_number, make_unit

pytestmark = pytest.mark.django_db


def _worker(unit, birth: date) -> Worker:
    return Worker(
        name="测试", id_number=id_number(birth), sex="女", birth_date=birth, unit=unit, category="专职社区工作者",
        post="助理", education="本科", community_work_start=date(2020, 1, 1), extra={"籍贯": "贵州"},
    )


def test_inserted_objects_get_their_primary_keys_timestamps_and_json() -> None:
    unit = make_unit("测试社区", "城市社区")
    workers = [_worker(unit, date(1990, 1, d)) for d in range(1, 6)]
    with transaction.atomic():
        objects_insert(workers)
    assert all(w.pk for w in workers)
    fresh = {w.pk: w for w in Worker.objects.filter(pk__in=[w.pk for w in workers])}
    assert set(fresh) == {w.pk for w in workers}
    for w in workers:
        assert fresh[w.pk].id_number == w.id_number
        assert fresh[w.pk].extra == {"籍贯": "贵州"}
        assert fresh[w.pk].created_at is not None
    events = [WorkerEvent(worker=w, kind=EventKind.IMPORT, effective=date(2026, 1, 1), unit=unit,
                          data={"after": {"grade": 3}}) for w in workers]
    with transaction.atomic():
        objects_insert(events)
    assert WorkerEvent.objects.get(pk=events[0].pk).data == {"after": {"grade": 3}}


def test_a_duplicate_id_number_raises_integrity_error_and_writes_nothing() -> None:
    unit = make_unit("测试社区", "城市社区")
    a = _worker(unit, date(1991, 2, 3))
    b = _worker(unit, date(1992, 2, 3))
    b.id_number = a.id_number
    with pytest.raises(IntegrityError), transaction.atomic():
        objects_insert([a, b])
    assert Worker.objects.count() == 0
