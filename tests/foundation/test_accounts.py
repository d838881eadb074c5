"""Login, logout, password change, throttling, argon2, admin for superusers only."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from shequ.accounts.forms import BAD_LOGIN
from shequ.accounts.throttle import lockout_message

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/workers/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_logs_in_and_out(world, client):
    response = client.post("/accounts/login/", {"username": "street_a_hr", "password": "Shequ-test-2026"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_it_says_plainly_when_the_password_is_wrong(world, client):
    page = client.post("/accounts/login/", {"username": "street_a_hr", "password": "nope"}).content.decode()
    assert BAD_LOGIN in page


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_it_locks_out_after_repeated_failures_even_with_the_right_password(world, client):
    for _ in range(3):
        client.post("/accounts/login/", {"username": "street_a_hr", "password": "nope"})
    page = client.post("/accounts/login/", {"username": "street_a_hr", "password": "Shequ-test-2026"}).content.decode()
    assert lockout_message() in page
    assert client.get("/").status_code == 302


def test_it_changes_the_password(world, client_for):
    c = client_for(world.street_a_hr)
    response = c.post("/accounts/password/", {
        "old_password": "Shequ-test-2026", "new_password1": "Another-pass-2027", "new_password2": "Another-pass-2027"})
    assert response.status_code == 302
    world.street_a_hr.refresh_from_db()
    assert world.street_a_hr.check_password("Another-pass-2027")


def test_it_hashes_passwords_with_argon2_outside_tests():
    assert "Argon2PasswordHasher" in [h.rsplit(".", 1)[1] for h in settings.PASSWORD_HASHERS][:2]


def test_it_keeps_django_admin_for_superusers_only(world, client_for, django_user_model):
    world.city_admin.is_staff = True
    world.city_admin.save()
    assert client_for(world.city_admin).get("/admin/").status_code == 302
    root = django_user_model.objects.create_superuser("root", password="Root-pass-2026")
    assert client_for(root).get("/admin/").status_code == 200


def test_it_shows_every_lifecycle_area_in_the_navigation(world, client_for):
    page = client_for(world.city_admin).get("/").content.decode()
    for label in ["组织", "花名册", "员额", "招聘", "岗位薪酬", "考核", "培训", "统计"]:
        assert f">{label}</a>" in page


def test_the_home_page_counts_workers_by_child_unit(world, client_for):
    page = client_for(world.street_a_hr).get("/").content.decode()
    assert "迎宾社区" in page and "东门社区" not in page
