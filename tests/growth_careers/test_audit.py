"""Every careers write leaves its audit row with the actor, in the same transaction."""

from __future__ import annotations

from datetime import date

from shequ.common.models import AuditEntry
from shequ.growth.careers import services
from tests.factories import id_number, make_user, make_worker

ON = date(2025, 7, 1)


def test_each_careers_write_is_audited_with_its_actor(world, five_posts):
    hr, admin = world.street_a_hr, world.city_admin
    c = services.reserve_add(data=services.ReserveData(community=world.community_a1, added_on=ON, name="甲",
                                                       id_number=id_number(), education="本科"), actor=hr)
    services.reserve_remove(candidate=c, on=ON, reason="调整", actor=hr)
    w = make_worker(world.community_a1, name="乙", post="四岗", grade=5)
    services.career_elect(worker=w, office="两委专职成员", effective=ON, actor=hr)
    services.honour_record(worker=w, kind="劳动模范", level="县级", title="县劳模", awarded_on=ON, actor=hr)
    services.career_select(worker=w, path="街道领导班子", organisation="", effective=ON, actor=hr)
    m = make_worker(world.community_a1, name="丙", post="五岗", grade=2)
    services.career_move(worker=m, to_unit=world.community_b1, effective=ON, actor=admin)
    services.career_exit(worker=m, reason="辞职", on=ON, actor=admin)
    services.grid_create(community=world.community_a1, name="一格", households=400, party_org="一格党支部", leader=None,
                         on=ON, actor=hr)
    item = services.admission_item_propose(unit=world.street_a, title="事项", category="类", actor=hr)
    services.admission_item_decide(item=item, approve=True, actor=admin)
    services.admission_item_remove(item=item, on=ON, actor=make_user("c2", "bureau_admin", world.city))
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"reserve.add", "reserve.remove", "worker.conversion", "honour.record", "worker.career", "worker.transfer",
            "worker.exit", "grid.create", "admission.propose", "admission.approve", "admission.remove"} <= actions
    assert not AuditEntry.objects.filter(action__in=["reserve.add", "grid.create", "honour.record"], actor__isnull=True).exists()
