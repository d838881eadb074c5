"""T-MENTOR: mentor pairs and the coverage of the groups the policy names."""

from __future__ import annotations

import io
from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from shequ.common.scope import ScopeError
from shequ.growth.training import services
from shequ.growth.training.coverage import mentoring_coverage
from shequ.growth.training.models import MentorPair
from shequ.workers.models import EventKind, WorkerEvent
from tests.factories import make_worker
from tests.growth.training_setup import bind_policy

ON = date(2026, 11, 1)


@pytest.fixture
def people(world):
    bind_policy(world)
    young = make_worker(world.community_a1, name="小王书记", post="主管", birth_date=date(1995, 6, 1))
    old = make_worker(world.community_a2, name="老张书记", post="主管", birth_date=date(1975, 6, 1))
    weak = make_worker(world.community_b1, name="老李书记", post="主管", birth_date=date(1970, 6, 1))
    # The assessment area records the tier in the event's data; the latest one counts.
    WorkerEvent.objects.create(worker=weak, kind=EventKind.ASSESSMENT, effective=date(2024, 12, 31), unit=weak.unit,
                               data={"after": {"tier": "称职"}})
    WorkerEvent.objects.create(worker=weak, kind=EventKind.ASSESSMENT, effective=date(2025, 12, 31), unit=weak.unit,
                               data={"after": {"tier": "基本称职"}})
    new = make_worker(world.community_a1, name="新同事", post="助理", hired_on=date(2026, 3, 1),
                      community_work_start=date(2026, 3, 1))
    return {"young": young, "old": old, "weak": weak, "new": new}


def _groups(cov):
    return {g["group"]: g for g in cov.groups}


def test_the_policy_groups_are_found_young_weak_and_new_T_MENTOR(world, people):
    cov = mentoring_coverage(user=world.city_admin, root=None, on=ON)
    g = _groups(cov)
    assert (g["young_secretary"]["targets"], g["weak_secretary"]["targets"], g["new_worker"]["targets"]) == (1, 1, 1)
    assert set(cov.unpaired["name"]) == {"小王书记", "老李书记", "新同事"}
    assert "老张书记" not in set(cov.targets["name"])


def test_a_mentor_pair_covers_its_mentee_until_it_ends_T_MENTOR(world, people):
    pair = services.mentor_pair_create(mentee=people["young"], mentor=people["old"],
                                       group="young_secretary", start=date(2026, 5, 1), actor=world.street_a_hr)
    services.mentor_pair_create(mentee=people["new"], mentor_name="街道副主任赵某", group="new_worker",
                                start=date(2026, 3, 1), actor=world.street_a_hr)
    g = _groups(mentoring_coverage(user=world.city_admin, root=None, on=ON))
    assert g["young_secretary"]["paired"] == 1 and g["young_secretary"]["share"] == 1.0
    assert g["new_worker"]["paired"] == 1
    services.mentor_pair_end(pair=pair, end=date(2026, 10, 1), actor=world.street_a_hr)
    cov = mentoring_coverage(user=world.city_admin, root=None, on=ON)
    assert "小王书记" in set(cov.unpaired["name"])
    assert WorkerEvent.objects.filter(kind=EventKind.MENTORING, worker=people["young"]).count() == 2


def test_the_groups_follow_the_policy_values_T_MENTOR(world, people):
    """Someone aged 31 counts as young under young_max_age = 35; the same age limit lives in
    the policy, so a policy with no age limit finds no young secretaries."""
    from shequ.policy.services import policy_bind, policy_version_store
    from tests.growth.training_setup import POLICY

    text = POLICY.format(secretary_years=1, deadline_years=5).replace("young_max_age = 35\n", "")
    version = policy_version_store(text=text.replace('version = "1.0.0"', 'version = "1.0.1"'), actor=world.city_admin)
    policy_bind(unit=world.city, version=version, since=date(2026, 6, 1), actor=world.city_admin)
    g = _groups(mentoring_coverage(user=world.city_admin, root=None, on=ON))
    assert g["young_secretary"]["targets"] == 0
    assert _groups(mentoring_coverage(user=world.city_admin, root=None, on=date(2026, 5, 1)))["young_secretary"]["targets"] == 1


def test_a_second_open_pair_and_self_mentoring_are_refused_T_MENTOR(world, people):
    services.mentor_pair_create(mentee=people["new"], mentor_name="赵某", start=date(2026, 3, 1), actor=world.street_a_hr)
    with pytest.raises(services.TrainingError) as err:
        services.mentor_pair_create(mentee=people["new"], mentor_name="钱某", start=date(2026, 4, 1), actor=world.street_a_hr)
    assert str(err.value) == services.ALREADY_PAIRED.format(name="新同事", mentor="赵某", start=date(2026, 3, 1))
    with pytest.raises(services.TrainingError) as err:
        services.mentor_pair_create(mentee=people["young"], mentor=people["young"], start=date(2026, 4, 1),
                                    actor=world.street_a_hr)
    assert str(err.value) == services.MENTOR_IS_MENTEE
    assert MentorPair.objects.count() == 1


def test_street_b_cannot_pair_street_a_people_or_see_their_pairs_T_MENTOR(world, people, client_for):
    with pytest.raises(ScopeError):
        services.mentor_pair_create(mentee=people["young"], mentor_name="x", start=date(2026, 4, 1), actor=world.street_b_hr)
    with pytest.raises(ScopeError):
        services.mentor_pair_create(mentee=people["weak"], mentor=people["old"], start=date(2026, 4, 1),
                                    actor=world.street_b_hr)
    pair = services.mentor_pair_create(mentee=people["young"], mentor_name="赵某", start=date(2026, 4, 1),
                                       actor=world.street_a_hr)
    b = client_for(world.street_b_hr)
    assert "小王书记" not in b.get("/growth/training/mentoring/").content.decode()
    assert all(p["id"] != pair.pk for p in b.get("/api/v1/growth/training/mentoring/pairs").json())
    r = b.post("/growth/training/mentoring/", {"action": "end", "pair": pair.pk, "end": "2026-10-01"})
    assert r.status_code == 404
    r = b.post("/api/v1/growth/training/mentoring/pairs", {"mentee_id": people["young"].pk, "mentor_name": "x",
               "start": "2026-04-01"}, content_type="application/json")
    assert r.status_code == 404
    cov = b.get("/api/v1/growth/training/mentoring/coverage?on=2026-11-01").json()
    assert {u["name"] for u in cov["unpaired"]} == {"老李书记"}
    book = CalamineWorkbook.from_filelike(io.BytesIO(b.get("/growth/training/mentoring.xlsx?on=2026-11-01").content))
    assert {r[1] for r in book.get_sheet_by_name("未结对名单").to_python()[3:]} == {"老李书记"}
    MentorPair.objects.get(pk=pair.pk, end__isnull=True)


def test_the_mentoring_page_pairs_someone_and_the_unpaired_list_shrinks_T_MENTOR(world, people, client_for):
    a = client_for(world.street_a_hr)
    r = a.post("/growth/training/mentoring/", {"action": "create", "mentee": people["young"].pk, "mentor": "",
                                               "mentor_name": "街道书记", "group": "young_secretary", "start": "2026-04-01"})
    assert r.status_code == 302
    page = a.get("/growth/training/mentoring/?on=2026-11-01").content.decode()
    unpaired_table = page.split('id="unpaired"')[1].split("</table>")[0]
    assert "小王书记" not in unpaired_table and "新同事" in unpaired_table
