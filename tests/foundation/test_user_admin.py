"""Users managed in the app: an administrator creates, changes, disables and resets users
only inside their own subtree, never grants more rights than they hold, and every change
is audited (ORG-1 for the subtree rule)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from shequ.accounts import services
from shequ.accounts.models import User
from shequ.accounts.services import api_token_create
from shequ.common.models import AuditEntry

GOOD = "Huaiyang-2026-春"


def test_a_bureau_admin_creates_a_user_in_their_subtree_who_must_change_the_password_and_it_is_audited(world: Any) -> None:
    user = services.user_create(actor=world.city_admin, username="a1_hr2", display_name="迎宾社区干事", role="secretary",
                                unit=world.community_a1, password=GOOD)
    assert user.unit == world.community_a1 and user.role == "secretary" and user.must_change_password
    assert user.check_password(GOOD)
    entry = AuditEntry.objects.get(action="user.create", target_id=str(user.pk))
    assert entry.actor == world.city_admin and entry.after["unit"] == "迎宾社区"
    assert GOOD not in str(entry.after) and "password" not in entry.after


def test_org_1_a_street_administrator_cannot_create_a_user_beside_or_above_their_street(world: Any) -> None:
    for unit in (world.street_b, world.district, world.city):
        with pytest.raises(PermissionError, match=f"不能把用户设在“{unit.name}”：只能设在您所在单位“槐阳街道”"):
            services.user_create(actor=world.street_a_hr, username=f"x{unit.pk}", display_name="", role="secretary",
                                 unit=unit, password=GOOD)
    assert not User.objects.filter(username__startswith="x").exists()


def test_no_administrator_can_grant_a_role_with_rights_they_do_not_have(world: Any) -> None:
    for role, label in (("bureau_admin", "民政局管理员"), ("finance", "财务")):
        with pytest.raises(PermissionError, match=f"不能授予“{label}”"):
            services.user_create(actor=world.street_a_hr, username="up", display_name="", role=role,
                                 unit=world.community_a1, password=GOOD)
    # Equal rights may be given: a street HR can add another street HR under them.
    assert services.user_create(actor=world.street_a_hr, username="peer", display_name="", role="street_hr",
                                unit=world.street_a_office, password=GOOD).role == "street_hr"
    target = User.objects.get(username="peer")
    with pytest.raises(PermissionError, match="不能授予“民政局管理员”"):
        services.user_update(actor=world.street_a_hr, user=target, role="bureau_admin", unit=world.street_a,
                             display_name="")
    assert User.objects.get(pk=target.pk).role == "street_hr"


def test_org_1_a_street_administrator_cannot_touch_users_of_another_street_or_with_more_rights(world: Any) -> None:
    for action in (
        lambda: services.user_set_active(actor=world.street_a_hr, user=world.street_b_hr, active=False),
        lambda: services.user_reset_password(actor=world.street_a_hr, user=world.street_b_hr, password=GOOD),
        lambda: services.user_update(actor=world.street_a_hr, user=world.street_b_hr, role="secretary",
                                     unit=world.street_a, display_name=""),
        # The city's finance user is above the street, and has a right street HR lacks.
        lambda: services.user_set_active(actor=world.street_a_hr, user=world.finance, active=False),
    ):
        with pytest.raises(PermissionError, match="无权管理用户"):
            action()
    assert User.objects.get(pk=world.street_b_hr.pk).is_active and User.objects.get(pk=world.finance.pk).is_active


def test_an_administrator_cannot_disable_themselves_or_change_their_own_role(world: Any) -> None:
    with pytest.raises(ValueError, match="不能停用自己的账号"):
        services.user_set_active(actor=world.city_admin, user=world.city_admin, active=False)
    with pytest.raises(ValueError, match="不能修改角色或单位自己的账号"):
        services.user_update(actor=world.street_a_hr, user=world.street_a_hr, role="secretary", unit=world.street_a,
                             display_name="")


def test_a_short_or_common_password_is_refused_in_chinese(world: Any) -> None:
    for password in ("abc", "password123", "12345678901"):
        with pytest.raises(ValueError, match="密码不符合要求") as err:
            services.user_create(actor=world.city_admin, username="weak", display_name="", role="secretary",
                                 unit=world.community_a1, password=password)
        assert not any(word in str(err.value) for word in ("password is", "too short", "common"))
    assert not User.objects.filter(username="weak").exists()


def test_a_disabled_user_cannot_sign_in_nor_use_their_api_token_and_can_be_enabled_again(world: Any) -> None:
    _, raw = api_token_create(user=world.secretary_a1, name="对接")
    world.secretary_a1.set_password(GOOD)
    world.secretary_a1.save()
    assert Client().get("/api/v1/workers/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    services.user_set_active(actor=world.street_a_hr, user=world.secretary_a1, active=False)
    assert AuditEntry.objects.filter(action="user.disable", target_id=str(world.secretary_a1.pk)).exists()
    login = Client().post("/accounts/login/", {"username": "secretary_a1", "password": GOOD})
    assert login.status_code == 200 and "用户名或密码不正确" in login.content.decode()
    assert Client().get("/api/v1/workers/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    services.user_set_active(actor=world.street_a_hr, user=world.secretary_a1, active=True)
    assert Client().post("/accounts/login/", {"username": "secretary_a1", "password": GOOD}).status_code == 302


def test_after_a_password_reset_the_user_must_change_it_before_any_other_page(world: Any) -> None:
    services.user_reset_password(actor=world.street_a_hr, user=world.secretary_a1, password=GOOD)
    client = Client()
    assert client.post("/accounts/login/", {"username": "secretary_a1", "password": GOOD}).status_code == 302
    forced = client.get("/workers/")
    assert forced.status_code == 302 and forced["Location"] == "/accounts/password/"
    assert "管理员为您设置了密码" in client.get("/accounts/password/").content.decode()
    new = "Yingbin-2026-秋天"
    client.post("/accounts/password/", {"old_password": GOOD, "new_password1": new, "new_password2": new})
    assert not User.objects.get(pk=world.secretary_a1.pk).must_change_password
    assert client.get("/workers/").status_code == 200


def test_the_users_page_lists_only_the_subtree_and_creates_through_the_form(world: Any, client_for: Any) -> None:
    """ORG-1: street A's HR sees street A's users, never street B's."""
    client = client_for(world.street_a_hr)
    page = client.get("/accounts/users/").content.decode()
    assert "secretary_a1" in page and "street_a_hr" in page and "street_b_hr" not in page and "city_admin" not in page
    assert 'value="bureau_admin"' not in page and 'value="finance"' not in page
    client.post("/accounts/users/", {"username": "newbie", "display_name": "新人", "role": "secretary",
                                     "unit": world.community_a2.pk, "password": GOOD})
    assert User.objects.get(username="newbie").unit == world.community_a2
    assert client.get(f"/accounts/users/{world.street_b_hr.pk}/").status_code == 404
    refused = client.post("/accounts/users/", {"username": "far", "role": "secretary", "unit": world.community_b1.pk,
                                               "password": GOOD}, follow=True)
    assert "未创建用户：不能把用户设在“东门社区”" in refused.content.decode()
    assert client_for(world.secretary_a1).get("/accounts/users/").status_code == 403


def test_the_user_page_disables_and_resets_within_scope(world: Any, client_for: Any) -> None:
    client = client_for(world.street_a_hr)
    url = f"/accounts/users/{world.secretary_a1.pk}/"
    client.post(url, {"action": "disable"})
    assert not User.objects.get(pk=world.secretary_a1.pk).is_active
    client.post(url, {"action": "reset", "password": GOOD})
    assert User.objects.get(pk=world.secretary_a1.pk).must_change_password
    assert set(AuditEntry.objects.filter(target_id=str(world.secretary_a1.pk)).values_list("action", flat=True)) >= {
        "user.disable", "user.password_reset"}
