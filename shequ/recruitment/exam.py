"""E-EXAM arithmetic with no database: eligibility, preference points, weighted totals,
ranking. Every number comes from the policy's [exam] section in force."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from shequ.rules.schema import ExamParams
from shequ.rules.vocab import CERTIFICATE_RANK, EDUCATION_RANK

TOO_OLD = "年龄 {age} 岁，超过政策规定的 {max_age} 岁"
EDUCATION_TOO_LOW = "学历“{education}”低于政策要求的“{min_education}”"
NOT_RESIDENT = "政策要求本地户籍或居住，本人不符合"
CERTIFICATE_TOO_LOW = "职业资格“{certificate}”低于政策要求的“{min_certificate}”"
UNKNOWN_EDUCATION = "不认识的学历“{education}”"
UNKNOWN_CERTIFICATE = "不认识的职业资格“{certificate}”"
SCORE_OUT_OF_RANGE = "{what}“{value}”超出范围：应在 0 到 {max} 之间"

TWO = Decimal("0.01")


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def eligibility_reasons(
    exam: ExamParams, *, birth_date: date, education: str, certificate: str, residence_local: bool, on: date
) -> list[str]:
    """Every reason the applicant fails the policy's conditions; empty when eligible."""
    reasons: list[str] = []
    age = age_on(birth_date, on)
    if exam.max_age is not None and age > exam.max_age:
        reasons.append(TOO_OLD.format(age=age, max_age=exam.max_age))
    if education not in EDUCATION_RANK:
        reasons.append(UNKNOWN_EDUCATION.format(education=education))
    elif exam.min_education is not None and EDUCATION_RANK[education] < EDUCATION_RANK[exam.min_education]:
        reasons.append(EDUCATION_TOO_LOW.format(education=education, min_education=exam.min_education))
    if exam.residence_required and not residence_local:
        reasons.append(NOT_RESIDENT)
    if certificate not in CERTIFICATE_RANK:
        reasons.append(UNKNOWN_CERTIFICATE.format(certificate=certificate))
    elif exam.min_certificate is not None and CERTIFICATE_RANK[certificate] < CERTIFICATE_RANK[exam.min_certificate]:
        reasons.append(CERTIFICATE_TOO_LOW.format(certificate=certificate, min_certificate=exam.min_certificate))
    return reasons


def preference_points(exam: ExamParams, *, certificate: str, veteran: bool) -> Decimal:
    """Points for certificate holders and veterans (E-EXAM preference), both from the policy."""
    points = Decimal(0)
    if certificate != "无":
        points += Decimal(str(exam.certificate_points))
    if veteran:
        points += Decimal(str(exam.veteran_points))
    return points.quantize(TWO)


class ScoreError(ValueError):
    pass


def check_score(exam: ExamParams, what: str, value: Decimal | float | int | None) -> Decimal | None:
    if value is None:
        return None
    d = Decimal(str(value))
    if d < 0 or d > Decimal(str(exam.score_max)):
        raise ScoreError(SCORE_OUT_OF_RANGE.format(what=what, value=value, max=_num(exam.score_max)))
    return d.quantize(TWO, rounding=ROUND_HALF_UP)


def total_score(exam: ExamParams, *, written: Decimal | None, interview: Decimal | None, bonus: Decimal) -> Decimal | None:
    """Weighted written + interview, plus preference points; None until both are in."""
    if written is None or interview is None:
        return None
    t = written * Decimal(str(exam.written_weight)) + interview * Decimal(str(exam.interview_weight)) + bonus
    return t.quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Ranked:
    key: int
    rank: int
    within_places: bool


def rank(candidates: Sequence[tuple[int, Decimal, Decimal]], places: int) -> list[Ranked]:
    """candidates: (key, total, written). Higher total first; ties by written score, then
    by key (entry order) so the order is stable. The first `places` are within the cut."""
    ordered = sorted(candidates, key=lambda c: (-c[1], -c[2], c[0]))
    return [Ranked(key=c[0], rank=i + 1, within_places=i < places) for i, c in enumerate(ordered)]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
