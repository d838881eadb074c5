"""Mainland resident ID numbers (GB 11643-1999): check digit, birth date and sex."""

from __future__ import annotations

import datetime as dt
import re

ID_LENGTH = "身份证号应为 18 位，实际 {n} 位"
ID_CHARS = "身份证号前 17 位应为数字，第 18 位为数字或 X"
ID_BIRTH = "身份证号中的出生日期 {text} 不是有效日期"
ID_CHECK = "身份证号校验码不符：应为 {want}，实际为 {got}"
TO_TEXT = "请把该列的单元格格式设为“文本”，重新输入完整的 18 位号码后再导入"
ID_AS_NUMBER = "身份证号「{text}」被存成了数字（科学计数法），后几位已经丢失：" + TO_TEXT
ID_DIGITS_LOST = ("身份证号「{text}」末尾变成了 0、校验码不符：Excel 把它当作数字保存，只保留前 15 位有效数字，"
                  "后几位已经丢失：" + TO_TEXT)
ID_OLD_15 = "身份证号「{text}」只有 15 位：可能是旧版 15 位身份证号，或被 Excel 当作数字截短了；请填写 18 位号码，" + TO_TEXT

# What Excel shows, and saves to CSV, for a long number: 1.10105E+17 or 1.10105199003071E+17.
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+?[0-9]{1,2}")

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    if len(first17) != 17:
        raise ValueError(ID_LENGTH.format(n=len(first17) + 1))
    # map() rather than a generator: imports check 100,000 numbers at a time.
    return _CHECK[sum(map(int.__mul__, map(int, first17), _WEIGHTS)) % 11]


def parse_id_number(s: str) -> tuple[dt.date, str]:
    """Return (birth date, sex "男"/"女") or raise ValueError with a Chinese message."""
    s = (s or "").strip().upper()
    if _SCIENTIFIC.fullmatch(s):
        raise ValueError(ID_AS_NUMBER.format(text=s))
    if len(s) == 15 and s.isdigit():
        raise ValueError(ID_OLD_15.format(text=s))
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
        if s.endswith("000"):  # 15 significant digits kept, the rest zeroed
            raise ValueError(ID_DIGITS_LOST.format(text=s))
        raise ValueError(ID_CHECK.format(want=want, got=s[17]))
    sex = "男" if int(s[16]) % 2 == 1 else "女"
    return birth, sex


def make_id_number(area: str, birth: dt.date, seq: int, sex: str) -> str:
    """Build a valid ID number (for tests and synthetic data): 6-digit area, birth date,
    a 3-digit sequence whose parity gives the sex, and the check digit."""
    seq = seq % 500 * 2 + (1 if sex == "男" else 0)
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def id_number_problem(s: str) -> str | None:
    """Why a text is not a valid ID number (stored as a number, digits lost, bad check
    digit...), or None: for imports that look people up by ID number, so that a number
    Excel mangled is reported as such rather than as "not found"."""
    try:
        parse_id_number(s)
    except ValueError as exc:
        return str(exc)
    return None
