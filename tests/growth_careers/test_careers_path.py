"""C-PATH and G-TR: promotion between post categories under the policy's conditions,
direct conversion on election into the 两委, selection into 事业编 or street leadership."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.common.scope import ScopeError
from shequ.growth.careers import services
from shequ.rules import load_policy
from shequ.workers.models import EventKind, WorkerEvent
from tests.factories import make_worker

ON = date(2025, 7, 1)


def _assessed(worker, year: int, tier: str) -> None:
    WorkerEvent.objects.create(worker=worker, kind=EventKind.ASSESSMENT, effective=date(year, 12, 31),
                               unit=worker.unit, data={"year": year, "tier": tier})


def _five(world, **kw):
    fields = {"name": "王五岗", "post": "五岗", "grade": 4, "education": "大专",
              "community_work_start": date(2019, 3, 1), "hired_on": date(2019, 3, 1)}
    fields.update(kw)
    return make_worker(world.community_a1, **fields)


def test_a_wugang_worker_meeting_every_condition_is_promoted_to_sigang_c_path(world, five_posts):
    w = _five(world)
    _assessed(w, 2023, "合格")  # aliases count: 合格 reads as 称职
    _assessed(w, 2024, "优秀")
    event = services.career_promote(worker=w, to_post="四岗", effective=ON, actor=world.street_a_hr)
    w.refresh_from_db()
    # Placement for 四岗: 3 + floor(6 years / 2) = 6, above the grade held (4).
    assert (w.post, w.grade) == ("四岗", 6)
    assert event.kind == EventKind.POST_CHANGE
    assert event.data["before"] == {"post": "五岗", "grade": 4}
    assert event.policy_version.startswith("careers-test@1.0.0")


def test_every_unmet_condition_is_named_and_nothing_changes_c_path(world, five_posts):
    w = _five(world, education="高中", hired_on=date(2023, 9, 1), community_work_start=date(2023, 9, 1))
    _assessed(w, 2024, "基本合格")
    with pytest.raises(services.CareersError) as err:
        services.career_promote(worker=w, to_post="四岗", effective=ON, actor=world.street_a_hr)
    reasons = "；".join([
        services.COND_YEARS_IN_POST.format(need=3, have=1),
        services.COND_EDUCATION.format(need="大专", have="高中"),
        services.COND_TIER.format(years=2, need="称职", have="2023年无结果、2024年基本称职"),
    ])
    assert str(err.value) == services.PROMOTION_UNMET.format(name="王五岗", from_post="五岗", to_post="四岗", reasons=reasons)
    w.refresh_from_db()
    assert w.post == "五岗" and not w.events.filter(kind=EventKind.POST_CHANGE).exists()


def test_years_in_post_count_from_the_event_that_gave_the_post_c_path(world, five_posts):
    w = _five(world, hired_on=date(2015, 1, 1), community_work_start=date(2015, 1, 1))
    WorkerEvent.objects.create(worker=w, kind=EventKind.POST_CHANGE, effective=date(2023, 1, 1), unit=w.unit,
                               data={"before": {"post": "四岗"}, "after": {"post": "五岗"}})
    _assessed(w, 2023, "称职")
    _assessed(w, 2024, "称职")
    with pytest.raises(services.CareersError) as err:
        services.career_promote(worker=w, to_post="四岗", effective=ON, actor=world.street_a_hr)
    assert services.COND_YEARS_IN_POST.format(need=3, have=2) in str(err.value)


def test_a_promotion_the_policy_does_not_provide_is_refused_c_path(world, five_posts):
    w = _five(world)
    with pytest.raises(services.CareersError) as err:
        services.career_promote(worker=w, to_post="三岗", effective=ON, actor=world.street_a_hr)
    assert str(err.value).startswith("适用政策（careers-test@1.0.0")
    assert "没有从“五岗”晋升到“三岗”的规定" in str(err.value)


def test_the_shipped_tongren_preset_carries_the_wugang_to_sigang_rule_c_path():
    p = load_policy("tongren")
    (rule,) = p.params(ON).careers.promotions
    assert (rule.from_post, rule.to_post) == ("五岗", "四岗")
    assert p.params(ON).careers.election["两委专职成员"] == "三岗"


def test_an_elected_sigang_worker_converts_directly_to_the_matching_post_g_tr(world, five_posts):
    w = _five(world, post="四岗", grade=10, name="李四岗")
    event = services.career_elect(worker=w, office="两委专职成员", effective=ON, actor=world.street_a_hr)
    w.refresh_from_db()
    # 三岗 placement 5 + 3 = 8 is below the grade held: the grade is kept.
    assert (w.post, w.grade, w.category) == ("三岗", 10, "两委成员")
    assert event.kind == EventKind.CONVERSION and "直接套转为三岗" in event.cause


def test_an_office_without_a_conversion_rule_is_refused_g_tr(world, five_posts):
    w = _five(world)
    with pytest.raises(services.CareersError) as err:
        services.career_elect(worker=w, office="监委会主任", effective=ON, actor=world.street_a_hr)
    assert "可选：一肩挑、书记或主任、两委专职成员" in str(err.value)


def test_baohe_maps_the_elected_deputy_to_fuzhuguan_g_tr(world):
    w = make_worker(world.community_a1, name="包河人", post="助理", grade=3)
    services.career_elect(worker=w, office="两委副职", effective=ON, actor=world.street_a_hr)
    w.refresh_from_db()
    assert w.post == "副主管"


def test_selection_into_shiyebian_is_a_career_event_and_may_end_the_post_c_path(world, five_posts):
    w = _five(world)
    e = services.career_select(worker=w, path="事业编", organisation="槐阳街道便民服务中心", effective=ON,
                               actor=world.street_a_hr, leaves=True)
    w.refresh_from_db()
    assert e.kind == EventKind.CAREER and e.data["path"] == "事业编"
    assert w.status == "left" and w.exit_reason == services.EXIT_SELECTED
    assert list(w.events.values_list("kind", flat=True)[:2]) == [EventKind.EXIT, EventKind.CAREER]


def test_street_leadership_without_leaving_is_recorded_only_c_path(world, five_posts):
    w = _five(world)
    services.career_select(worker=w, path="街道领导班子", organisation="", effective=ON, actor=world.street_a_hr)
    w.refresh_from_db()
    assert w.status == "active"
    with pytest.raises(services.CareersError) as err:
        services.career_select(worker=w, path="省长", organisation="", effective=ON, actor=world.street_a_hr)
    assert str(err.value) == services.CAREER_UNKNOWN_PATH.format(path="省长", choices="事业编、公务员、街道领导班子、区管后备干部")


def test_it_refuses_a_street_admin_from_another_street_c_path(world, five_posts):
    w = _five(world)
    with pytest.raises(ScopeError):
        services.career_promote(worker=w, to_post="四岗", effective=ON, actor=world.street_b_hr)
    with pytest.raises(ScopeError):
        services.career_elect(worker=w, office="一肩挑", effective=ON, actor=world.street_b_hr)
    with pytest.raises(ScopeError):
        services.career_select(worker=w, path="事业编", organisation="", effective=ON, actor=world.street_b_hr)


def _baixiang(world):
    from shequ.policy.services import policy_bind, policy_version_from_preset

    version = policy_version_from_preset(preset="baixiang", actor=world.city_admin)
    policy_bind(unit=world.city, version=version, since=date(2021, 3, 1), actor=world.city_admin)
    return version


def test_baixiang_selects_a_secretary_rated_excellent_into_shiyebian_keeping_the_post_c_path(world):
    """C-PATH (002): "考核优秀社区党组织书记纳入事业编制管理" — the rule is the preset's [careers] selections."""
    rule = load_policy("baixiang").params(ON).careers.selections[0]
    assert (rule.path, rule.from_posts, rule.min_tier, rule.leaves) == ("事业编", ["正职"], "优秀", False)
    _baixiang(world)
    secretary = make_worker(world.community_a1, name="柏书记", post="正职", grade=8)
    _assessed(secretary, 2024, "优秀")
    event = services.career_select(worker=secretary, path="事业编", organisation="柏乡县", effective=ON,
                                   actor=world.street_a_hr)
    secretary.refresh_from_db()
    assert event.kind == EventKind.CAREER and event.policy_version.startswith("baixiang@")
    assert secretary.status != "left" and secretary.post == "正职"


@pytest.mark.parametrize("post,tier,unmet", [
    ("正职", "称职", "近 1 年考核均为优秀及以上（2024年称职）"),
    ("正职", None, "近 1 年考核均为优秀及以上（2024年无结果）"),
    ("一般", "优秀", "岗位为正职（现为一般）"),
])
def test_baixiang_refuses_shiyebian_to_anyone_but_an_excellent_secretary_c_path(world, post, tier, unmet):
    label = _baixiang(world).label
    w = make_worker(world.community_a1, name="候选", post=post, grade=8)
    if tier:
        _assessed(w, 2024, tier)
    before = WorkerEvent.objects.filter(kind=EventKind.CAREER).count()
    with pytest.raises(services.CareersError) as err:
        services.career_select(worker=w, path="事业编", organisation="", effective=ON, actor=world.street_a_hr)
    assert str(err.value) == services.SELECTION_UNMET.format(name="候选", policy=label, path="事业编", unmet=unmet)
    assert WorkerEvent.objects.filter(kind=EventKind.CAREER).count() == before


def test_a_path_the_policy_sets_no_rule_for_stays_open_c_path(world):
    _baixiang(world)
    w = make_worker(world.community_a1, name="一般干事", post="一般", grade=3)
    assert services.career_select(worker=w, path="街道领导班子", organisation="", effective=ON,
                                  actor=world.street_a_hr).kind == EventKind.CAREER
