"""Mainland resident ID numbers (GB 11643-1999): check digit, birth date and sex."""

from __future__ import annotations

import datetime as dt

ID_LENGTH = "身份证号应为 18 位，实际 {n} 位"
ID_CHARS = "身份证号前 17 位应为数字，第 18 位为数字或 X"
ID_BIRTH = "身份证号中的出生日期 {text} 不是有效日期"
ID_CHECK = "身份证号校验码不符：应为 {want}，实际为 {got}"

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def parse_id_number(s: str) -> tuple[dt.date, str]:
    """Return (birth date, sex "男"/"女") or raise ValueError with a Chinese message."""
    s = (s or "").strip().upper()
    if len(s) != 18:
        raise ValueError(ID_LENGTH.format(n=len(s)))
    if not (s[:17].isdigit() and (s[17].isdigit() or s[17] == "X")):
        raise ValueError(ID_CHARS)
    try:
        birth = dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        raise ValueError(ID_BIRTH.format(text=s[6:14])) from None
    want = check_digit(s[:17])
    if s[17] != want:
        raise ValueError(ID_CHECK.format(want=want, got=s[17]))
    sex = "男" if int(s[16]) % 2 == 1 else "女"
    return birth, sex


def make_id_number(area: str, birth: dt.date, seq: int, sex: str) -> str:
    """Build a valid ID number (for tests and synthetic data): 6-digit area, birth date,
    a 3-digit sequence whose parity gives the sex, and the check digit."""
    seq = seq % 500 * 2 + (1 if sex == "男" else 0)
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)
