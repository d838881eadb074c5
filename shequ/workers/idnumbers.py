"""ID numbers on the Django side: the GB 11643 check itself lives in shequ.sheets.idcard
(pure, shared with the file command line); this adds the cross-checks with entered values."""

from __future__ import annotations

from datetime import date

from shequ.errors import Invalid
from shequ.sheets.idcard import parse_id_number

SEX_MISMATCH = "性别“{given}”与身份证号不符（身份证号为{derived}性）"
BIRTH_MISMATCH = "出生日期 {given} 与身份证号不符（身份证号为 {derived}）"


class IdNumberError(Invalid):
    pass


def parse_id(id_number: str) -> tuple[date, str]:
    """Birth date and sex ('男'/'女') from a valid 18-character ID number."""
    try:
        birth, sex = parse_id_number(id_number)
    except ValueError as exc:
        raise IdNumberError(str(exc)) from exc
    return birth, {"M": "男", "F": "女", "男": "男", "女": "女", "male": "男", "female": "女"}[sex]


def check_id_against(id_number: str, *, sex: str | None, birth_date: date | None) -> None:
    derived_birth, derived_sex = parse_id(id_number)
    if sex and sex != derived_sex:
        raise IdNumberError(SEX_MISMATCH.format(given=sex, derived=derived_sex))
    if birth_date and birth_date != derived_birth:
        raise IdNumberError(BIRTH_MISMATCH.format(given=birth_date, derived=derived_birth))
