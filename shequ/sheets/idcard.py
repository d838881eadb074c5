"""Resident ID numbers (GB 11643-1999): check digit, birth date, sex. Pure Python."""

from __future__ import annotations

from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

BAD_LENGTH = "身份证号应为 18 位（实际 {n} 位）"
BAD_CHARS = "身份证号前 17 位应为数字，末位为数字或 X"
BAD_CHECK = "身份证号校验码错误（末位应为 {expected}）"
BAD_BIRTH = "身份证号中的出生日期 {raw} 不是有效日期"
FUTURE_BIRTH = "身份证号中的出生日期 {birth} 晚于今天"


def check_digit(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse_id_number(raw: str, *, today: date | None = None) -> tuple[date, str]:
    """(birth date, '男' or '女') of a valid number; ValueError with a Chinese reason otherwise."""
    s = (raw or "").strip().upper()
    if len(s) != 18:
        raise ValueError(BAD_LENGTH.format(n=len(s)))
    if not s[:17].isdigit() or not (s[17].isdigit() or s[17] == "X"):
        raise ValueError(BAD_CHARS)
    expected = check_digit(s[:17])
    if s[17] != expected:
        raise ValueError(BAD_CHECK.format(expected=expected))
    try:
        birth = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError as exc:
        raise ValueError(BAD_BIRTH.format(raw=s[6:14])) from exc
    if birth > (today or date.today()):
        raise ValueError(FUTURE_BIRTH.format(birth=birth))
    return birth, ("男" if int(s[16]) % 2 == 1 else "女")
