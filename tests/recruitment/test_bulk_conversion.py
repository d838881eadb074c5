"""E-CONV: bulk conversion (套改) of existing 两委 members: provisional placement by the
engine in one call, review with reasons, confirmation in one batch, a report by post and grade."""

from __future__ import annotations

import io
from datetime import date

import polars as pl
import pytest
import python_calamine

from shequ.common.models import AuditEntry
from shequ.policy.selectors import policy_for
from shequ.recruitment import conversion as conv
from shequ.recruitment.conversion import (
    ALREADY_IN_BATCH,
    BATCH_CONFIRMED,
    BELOW_STANDARD,
    GRADE_OUT_OF_RANGE,
    NOT_COMMITTEE,
    NOT_COMMUNITY_WORK,
    REASON_REQUIRED,
    ConversionError,
    conversion_batch_confirm,
    conversion_batch_create,
    conversion_candidates,
    conversion_line_edit,
)
from shequ.recruitment.models import BatchStatus
from shequ.recruitment.selectors import batch_report
from shequ.rules import entry, place
from shequ.workers.models import EventKind, Worker
from tests.factories import make_worker
from tests.recruitment.helpers import counts

ON = date(2026, 1, 1)
POSTS = [("主管", "本科", date(2005, 1, 1)), ("副主管", "大专", date(2012, 6, 1)), ("主办", "本科", date(2018, 1, 1)),
         ("主办", "大专", date(2019, 1, 1)), ("助理", "本科", date(2022, 1, 1))]


def _committee(world):
    people = [make_worker(world.community_a1 if i < 3 else world.community_a2, name=f"两委{i}", category="两委成员",
                          post=post, education=edu, community_work_start=start)
              for i, (post, edu, start) in enumerate(POSTS)]
    return people


def test_the_engine_places_the_whole_batch_in_one_call_e_conv(world, policy_label, monkeypatch):
    people = _committee(world)
    calls = []
    real = conv.place
    monkeypatch.setattr(conv, "place", lambda policy, frame, on: calls.append(frame.height) or real(policy, frame, on))  # type: ignore[func-returns-value]
    batch = conversion_batch_create(scope=world.street_a, title="第一批", effective=ON, workers=people, actor=world.street_a_hr)
    assert calls == [5]
    policy, _ = policy_for(unit=world.street_a, on=ON)
    expected = place(policy, pl.DataFrame({"post": [p for p, _, _ in POSTS], "education": [e for _, e, _ in POSTS],
                                           "community_work_start": [s for _, _, s in POSTS], "certificate": ["无"] * 5}), ON)
    lines = {ln.worker_id: ln for ln in batch.lines.all()}
    assert [lines[w.pk].proposed_grade for w in people] == expected["grade"].to_list()
    assert [lines[w.pk].years for w in people] == expected["years"].to_list()
    assert all(lines[w.pk].explanation for w in people)
    assert batch.status == BatchStatus.PROVISIONAL
    # nothing on the roster changes until confirmation
    assert all(w.grade is None for w in Worker.objects.filter(category="两委成员"))


def test_only_committee_members_in_community_work_enter_a_batch_e_conv_e_two(world, policy_label):
    people = _committee(world)
    office = make_worker(world.street_a_office, name="机关两委", category="两委成员", post="主办")
    before = counts()
    with pytest.raises(ConversionError) as err:
        conversion_batch_create(scope=world.street_a, title="批", effective=ON, workers=[*people, office, world.worker_a1],
                                actor=world.street_a_hr)
    assert str(err.value) == "；".join([
        NOT_COMMITTEE.format(name="刘少萌", categories="两委成员"),
        NOT_COMMUNITY_WORK.format(name="机关两委", unit="槐阳街道机关", unit_type="街道机关", reason=entry.NOT_IN_COMMUNITY)])
    assert counts() == before


def test_two_always_applies_only_where_the_policy_says_so_e_two(world, bind_policy):
    bind_policy(two_always="false")
    office = make_worker(world.street_a_office, name="机关两委", category="两委成员", post="主办", education="高中")
    batch = conversion_batch_create(scope=world.street_a, title="批", effective=ON, workers=[office], actor=world.street_a_hr)
    assert batch.lines.count() == 1


def test_nobody_below_the_standard_enters_a_batch_e_two(world, policy_label):
    low = make_worker(world.community_a1, name="高中两委", category="两委成员", post="主办", education="高中")
    with pytest.raises(ConversionError) as err:
        conversion_batch_create(scope=world.street_a, title="批", effective=ON, workers=[low], actor=world.street_a_hr)
    assert str(err.value) == BELOW_STANDARD.format(name="高中两委", education="高中", min_education="大专",
                                                   reason=entry.BELOW_STANDARD)


def test_review_edits_need_a_reason_and_stay_within_the_post_range_e_conv(world, policy_label):
    people = _committee(world)
    batch = conversion_batch_create(scope=world.street_a, title="批", effective=ON, workers=people, actor=world.street_a_hr)
    line = batch.lines.get(worker=people[4])
    with pytest.raises(ConversionError) as err:
        conversion_line_edit(line=line, post="助理", grade=5, reason=" ", actor=world.street_a_hr)
    assert str(err.value) == REASON_REQUIRED
    with pytest.raises(ConversionError) as err:
        conversion_line_edit(line=line, post="助理", grade=13, reason="破格", actor=world.street_a_hr)
    assert str(err.value) == GRADE_OUT_OF_RANGE.format(grade=13, post="助理", lo=1, hi=12)
    line = conversion_line_edit(line=line, post="主办", grade=6, reason="实际担任两委委员", actor=world.street_a_hr)
    assert (line.final_post, line.final_grade, line.edited) == ("主办", 6, True)
    assert AuditEntry.objects.filter(action="recruit.conversion.edit", summary="实际担任两委委员").count() == 1


def test_confirmation_writes_every_person_events_and_audit_rows_in_one_batch_e_conv(world, policy_label, django_assert_max_num_queries):
    people = _committee(world)
    batch = conversion_batch_create(scope=world.street_a, title="第一批", effective=ON, workers=people, actor=world.street_a_hr)
    line = batch.lines.get(worker=people[4])
    conversion_line_edit(line=line, post="主办", grade=6, reason="实际担任两委委员", actor=world.street_a_hr)
    finals = {ln.worker_id: (ln.final_post, ln.final_grade) for ln in batch.lines.all()}
    with django_assert_max_num_queries(20):  # bulk writes: the count does not grow with the batch
        n = conversion_batch_confirm(batch=batch, actor=world.street_a_hr)
    assert n == 5
    for w in Worker.objects.filter(pk__in=[p.pk for p in people]):
        assert (w.post, w.grade) == finals[w.pk]
        event = w.events.get(kind=EventKind.CONVERSION)
        assert event.data["after"] == {"post": w.post, "grade": w.grade}
        assert event.policy_version == policy_label
    assert "调整：实际担任两委委员" in Worker.objects.get(pk=people[4].pk).events.get(kind=EventKind.CONVERSION).cause
    assert AuditEntry.objects.filter(action="worker.conversion").count() == 5
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CONFIRMED
    with pytest.raises(ConversionError) as err:
        conversion_batch_confirm(batch=batch, actor=world.street_a_hr)
    assert str(err.value) == BATCH_CONFIRMED
    with pytest.raises(ConversionError):
        conversion_line_edit(line=line, post="主办", grade=7, reason="再改", actor=world.street_a_hr)


def test_a_person_is_in_one_batch_only_e_conv(world, policy_label):
    people = _committee(world)
    conversion_batch_create(scope=world.street_a, title="第一批", effective=ON, workers=people[:2], actor=world.street_a_hr)
    assert list(conversion_candidates(user=world.street_a_hr, scope=world.street_a)) == people[2:]
    with pytest.raises(ConversionError) as err:
        conversion_batch_create(scope=world.street_a, title="第二批", effective=ON, workers=people[1:3], actor=world.street_a_hr)
    assert str(err.value) == ALREADY_IN_BATCH.format(name="两委1", batch="第一批")


def test_the_report_counts_people_by_post_and_grade_and_exports_e_conv(world, policy_label, client_for):
    people = _committee(world)
    batch = conversion_batch_create(scope=world.street_a, title="第一批", effective=ON, workers=people, actor=world.street_a_hr)
    report = batch_report(lines=batch.lines.all(), post_order=["主管", "副主管", "主办", "助理"])
    assert report.total == 5
    assert report.posts == ["主管", "副主管", "主办", "助理"]
    assert sum(report.row("主办")) == 2
    assert sum(report.grade_totals()) == 5
    resp = client_for(world.street_a_hr).get(f"/recruitment/conversions/{batch.pk}/export.xlsx")
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(resp.content))
    names = book.sheet_names
    assert names == ["套改人员", "按岗位和等级统计"]
    lines = book.get_sheet_by_index(0).to_python()
    assert "范围：槐阳街道" in lines[1][0] and "共 5 人" in lines[2][0]
    assert sorted(r[0] for r in lines[4:]) == sorted(p.name for p in people)
    stats = book.get_sheet_by_index(1).to_python()
    assert stats[-1][0] == "合计" and stats[-1][-1] == 5.0
    assert [r[0] for r in stats[1:-1]] == ["主管", "副主管", "主办", "助理"]


def test_committee_members_may_sign_a_labour_contract_voluntarily_e_contract(world, policy_label):
    from shequ.recruitment.conversion import conversion_line_contract
    from shequ.workers.models import Contract, ContractKind

    people = _committee(world)
    old = Contract.objects.create(worker=people[0], kind="labour", employer="旧单位", start=date(2015, 1, 1))
    batch = conversion_batch_create(scope=world.street_a, title="第一批", effective=ON, workers=people, actor=world.street_a_hr)
    for w in people[:2]:
        conversion_line_contract(line=batch.lines.get(worker=w), voluntary=True, actor=world.street_a_hr)
    conversion_batch_confirm(batch=batch, actor=world.street_a_hr)
    signed = Contract.objects.filter(kind=ContractKind.VOLUNTARY, ended_on__isnull=True)
    assert sorted(c.worker_id for c in signed) == sorted(w.pk for w in people[:2])
    assert {c.employer for c in signed} == {"槐阳街道"}
    old.refresh_from_db()
    assert old.ended_on == ON
    assert not Contract.objects.filter(worker__in=people[2:]).exists()  # signing is voluntary, never automatic
    assert Worker.objects.get(pk=people[1].pk).events.filter(kind=EventKind.CONTRACT).count() == 1
