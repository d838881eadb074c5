"""ID numbers (GB 11643): check digit, birth date and sex."""

import datetime as dt

import pytest

from shequ.sheets.idcard import (
    ID_BIRTH,
    ID_CHARS,
    ID_CHECK,
    ID_LENGTH,
    make_id_number,
    parse_id_number,
)


def test_it_reads_birth_date_and_sex_from_a_valid_number():
    assert parse_id_number("11010519491231002X") == (dt.date(1949, 12, 31), "女")
    assert parse_id_number("11010519491231002x") == (dt.date(1949, 12, 31), "女")


def test_it_rejects_a_wrong_check_digit_saying_which_is_right():
    with pytest.raises(ValueError) as exc:
        parse_id_number("110105194912310021")
    assert str(exc.value) == ID_CHECK.format(want="X", got="1")


@pytest.mark.parametrize("value,message", [
    ("1101051949123100", ID_LENGTH.format(n=16)),
    ("11010519491231002Y", ID_CHARS),
    ("110105194902300021", ID_BIRTH.format(text="19490230")),
])
def test_it_rejects_malformed_numbers(value, message):
    with pytest.raises(ValueError) as exc:
        parse_id_number(value)
    assert str(exc.value) == message


def test_made_numbers_round_trip():
    for sex in ("男", "女"):
        n = make_id_number("222404", dt.date(1990, 2, 28), 17, sex)
        assert parse_id_number(n) == (dt.date(1990, 2, 28), sex)
