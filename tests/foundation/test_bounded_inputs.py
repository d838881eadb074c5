"""Every integer input is bounded at the edge (issue 20 point 2, issue 11 point 3): a year or an
id too large for the database is a Chinese 400/404/422 naming the field, never a 500; the API's
own refusals (missing field, out of scope, no token) are Chinese too."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shequ.accounts.models import ApiToken, hash_token
from shequ.common import params
from shequ.common.api_errors import NOT_FOUND
from shequ.errors import Invalid

HUGE_ID = "18446744073709551616"
HUGE_YEARS = ["2147483648", "99999999999"]


def _token(user: Any) -> dict[str, str]:
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(user=user, name="集成", key_hash=hash_token(raw), prefix=raw[:8])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("raw", HUGE_YEARS)
def test_a_year_beyond_2100_is_refused_naming_the_field(raw):
    with pytest.raises(Invalid) as err:
        params.a_year(raw)
    assert str(err.value) == params.INT_RANGE.format(label="年度", lo=1900, hi=2100, value=raw)
    assert err.value.field == "year"


def test_an_id_beyond_a_bigint_is_refused_and_the_largest_one_is_taken():
    assert params.an_id(str(2**63 - 1), label="编号") == 2**63 - 1
    with pytest.raises(Invalid):
        params.an_id(HUGE_ID, label="编号")
    with pytest.raises(Invalid):
        params.an_id("0", label="编号")
    with pytest.raises(Invalid):
        params.an_id("١٢", label="编号")  # Arabic-Indic digits pass int() but are no id


def test_a_date_outside_1900_to_2100_or_malformed_is_refused_in_chinese():
    assert params.a_date("2026-03-01", label="生效日期") == date(2026, 3, 1)
    assert params.a_date("", label="生效日期", default=date(2026, 1, 1)) == date(2026, 1, 1)
    with pytest.raises(Invalid) as err:
        params.a_date("9999-01-01", label="生效日期", field="effective")
    assert "生效日期" in str(err.value) and err.value.field == "effective"
    with pytest.raises(Invalid) as err:
        params.a_date("2026/13/01", label="生效日期")
    assert str(err.value) == params.BAD_DATE.format(label="生效日期", value="2026/13/01")
    assert params.as_of("明天", today=date(2026, 5, 1)) == date(2026, 5, 1)


def test_an_amount_that_is_not_finite_is_refused():
    with pytest.raises(Invalid):
        params.a_decimal("NaN", label="学时")
    with pytest.raises(Invalid):
        params.a_decimal("1e30", label="学时")
    assert params.a_decimal("12.5", label="学时") == Decimal("12.5")


@pytest.mark.django_db
@pytest.mark.parametrize("raw", HUGE_YEARS)
def test_the_api_refuses_a_huge_year_with_a_chinese_422(world, client, raw):
    r = client.get(f"/api/v1/growth/training/hours?year={raw}", **_token(world.city_admin))
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["field"] == "year" and body["message"] == "“year”应不大于 2100"


@pytest.mark.django_db
def test_the_api_refuses_a_huge_id_in_a_path_or_a_body_with_a_chinese_422(world, client):
    auth = _token(world.city_admin)
    r = client.get(f"/api/v1/workers/{HUGE_ID}", **auth)
    assert r.status_code == 422 and r.json()["field"] == "worker_id" and _is_chinese(r.json()["message"])
    r = client.post(f"/api/v1/workers/{world.worker_a1.pk}/transfer", content_type="application/json",
                    data={"to_unit": int(HUGE_ID), "effective": "2026-02-01", "cause": "工作需要"}, **auth)
    assert r.status_code == 422 and r.json()["field"] == "to_unit"
    r = client.post("/api/v1/assessment/campaigns", content_type="application/json",
                    data={"unit": world.street_a.pk, "year": 99999999999, "name": "x"}, **auth)
    assert r.status_code == 422 and r.json()["field"] == "year"


@pytest.mark.django_db
def test_a_missing_field_is_named_in_chinese(world, client):
    r = client.post(f"/api/v1/workers/{world.worker_a1.pk}/transfer", content_type="application/json",
                    data={"effective": "2026-02-01", "cause": "工作需要"}, **_token(world.city_admin))
    assert r.status_code == 422
    assert r.json()["message"] == "缺少字段“to_unit”" and r.json()["field"] == "to_unit"
    assert "Field required" not in r.content.decode()


@pytest.mark.django_db
def test_a_worker_of_another_street_is_a_chinese_404_through_the_api(world, client):
    r = client.get(f"/api/v1/workers/{world.worker_a1.pk}", **_token(world.street_b_hr))
    assert r.status_code == 404
    assert r.json()["message"] == NOT_FOUND and r.json()["code"] == "not_found"


@pytest.mark.django_db
def test_a_request_without_a_token_is_refused_in_chinese(world, client):
    r = client.get("/api/v1/workers/")
    assert r.status_code == 401 and _is_chinese(r.json()["message"]) and "Unauthorized" not in r.content.decode()


@pytest.mark.django_db
def test_a_page_with_a_huge_id_in_its_address_is_a_404(world, client_for):
    c = client_for(world.city_admin)
    assert c.get(f"/workers/{HUGE_ID}/").status_code == 404
    assert c.get(f"/workers/{2**63}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("raw", HUGE_YEARS)
def test_a_page_with_a_huge_year_answers_a_chinese_400(world, client_for, raw):
    r = client_for(world.city_admin).get(f"/growth/training/hours/?year={raw}")
    assert r.status_code == 400
    assert params.INT_RANGE.format(label="年度", lo=1900, hi=2100, value=raw) in r.content.decode()


@pytest.mark.django_db
def test_a_page_form_naming_a_huge_unit_id_is_a_404_not_a_500(world, client_for):
    r = client_for(world.city_admin).post("/recruitment/plans/new/", {"scope": HUGE_ID, "title": "计划"})
    assert r.status_code == 404


@pytest.mark.django_db
def test_a_model_refusal_from_full_clean_is_a_chinese_400_naming_the_field(world, client):
    """Found by schemathesis: a blank plan title reached full_clean() and gave a 500."""
    r = client.post("/api/v1/recruitment/plans", content_type="application/json",
                    data={"scope": world.street_a.pk, "title": ""}, **_token(world.city_admin))
    assert r.status_code == 400, r.content
    assert r.json()["field"] == "title" and r.json()["message"].startswith("“title”") and _is_chinese(r.json()["message"])


def test_a_wrong_choice_lists_the_choices_in_chinese_without_english_or():
    from shequ.common.api_errors import validation_problem

    problem = validation_problem({"type": "enum", "loc": ("body", "body", "reason"),
                                  "ctx": {"expected": "'辞职', '解聘' or '退休'"}})
    assert problem == {"field": "reason", "message": "“reason”只能是 辞职、解聘、退休"}
