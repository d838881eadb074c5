"""ID numbers: GB 11643 check digit; birth date and sex derived and cross-checked."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.workers.idnumbers import (
    BIRTH_MISMATCH,
    SEX_MISMATCH,
    IdNumberError,
    check_id_against,
    parse_id,
)
from tests.factories import id_number


def test_it_derives_birth_date_and_sex_from_a_valid_number():
    assert parse_id("11010519491231002X") == (date(1949, 12, 31), "女")
    assert parse_id(id_number(date(1988, 7, 9), sex="男")) == (date(1988, 7, 9), "男")


def test_it_rejects_a_wrong_check_digit():
    good = id_number(date(1990, 1, 1))
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(IdNumberError) as err:
        parse_id(bad)
    assert "校验" in str(err.value)


@pytest.mark.parametrize("raw", ["", "12345", "1101051949123100XX", "110105194913310021"])
def test_it_rejects_malformed_numbers(raw):
    with pytest.raises(IdNumberError):
        parse_id(raw)


def test_it_refuses_a_sex_that_disagrees_with_the_number():
    number = id_number(date(1990, 1, 1), sex="女")
    with pytest.raises(IdNumberError) as err:
        check_id_against(number, sex="男", birth_date=None)
    assert str(err.value) == SEX_MISMATCH.format(given="男", derived="女")


def test_it_refuses_a_birth_date_that_disagrees_with_the_number():
    number = id_number(date(1990, 1, 1))
    with pytest.raises(IdNumberError) as err:
        check_id_against(number, sex=None, birth_date=date(1990, 1, 2))
    assert str(err.value) == BIRTH_MISMATCH.format(given=date(1990, 1, 2), derived=date(1990, 1, 1))
