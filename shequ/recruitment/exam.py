"""E-EXAM on the Django side. Eligibility (age, education, residence), preference points
and the weighted total come from the engine (`shequ.rules.exam_rank`, one call for any
number of applicants). Added here, until the engine has them: the certificate condition
(`min_certificate`), the score range check, and a strict order for hiring (the engine's
rank lets ties share a place; a hire needs one order, so ties go to the higher written
score, then to the earlier application)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl

from shequ.errors import Invalid
from shequ.rules import Policy, exam_rank
from shequ.rules.schema import ExamParams
from shequ.rules.vocab import CERTIFICATE_RANK, CERTIFICATES, EDUCATION

CERTIFICATE_TOO_LOW = "职业资格“{certificate}”低于政策要求的“{min_certificate}”"
UNKNOWN_EDUCATION = "不认识的学历“{education}”"
UNKNOWN_CERTIFICATE = "不认识的职业资格“{certificate}”"
SCORE_OUT_OF_RANGE = "{what}“{value}”超出范围：应在 0 到 {max} 之间"

TWO = Decimal("0.01")


@dataclass(frozen=True)
class Applicant:
    birth_date: date
    education: str
    certificate: str
    veteran: bool
    residence_local: bool


@dataclass(frozen=True)
class Checked:
    reasons: list[str]
    points: Decimal


def check_applicants(policy: Policy, applicants: Sequence[Applicant], on: date) -> list[Checked]:
    """Eligibility with every reason, and preference points, for many applicants at once."""
    if not applicants:
        return []
    for a in applicants:
        if a.education not in EDUCATION:
            raise ScoreError(UNKNOWN_EDUCATION.format(education=a.education))
        if a.certificate not in CERTIFICATES:
            raise ScoreError(UNKNOWN_CERTIFICATE.format(certificate=a.certificate))
    frame = pl.DataFrame({
        "birth_date": [a.birth_date for a in applicants], "education": [a.education for a in applicants],
        "certificate": [a.certificate for a in applicants], "veteran": [a.veteran for a in applicants],
        "local_resident": [a.residence_local for a in applicants],
        "written": [0.0] * len(applicants), "interview": [0.0] * len(applicants),
    }, schema_overrides={"birth_date": pl.Date})
    out = exam_rank(policy, frame, on)
    minimum = policy.params(on).exam.min_certificate
    result = []
    for a, reasons, points in zip(applicants, out["reasons"].to_list(), out["preference_points"].to_list(), strict=True):
        reasons = list(reasons)
        if minimum is not None and CERTIFICATE_RANK[a.certificate] < CERTIFICATE_RANK[minimum]:
            reasons.append(CERTIFICATE_TOO_LOW.format(certificate=a.certificate, min_certificate=minimum))
        result.append(Checked(reasons=reasons, points=Decimal(str(points)).quantize(TWO)))
    return result


def total_score(policy: Policy, on: date, *, written: Decimal | None, interview: Decimal | None,
                certificate: str, veteran: bool) -> Decimal | None:
    """The engine's weighted written + interview plus preference points; None until both are in."""
    if written is None or interview is None:
        return None
    frame = pl.DataFrame({"birth_date": [on], "education": [EDUCATION[-1]], "certificate": [certificate],
                          "veteran": [veteran], "written": [float(written)], "interview": [float(interview)]},
                         schema_overrides={"birth_date": pl.Date})
    value: Any = exam_rank(policy, frame, on)["total_score"][0]
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


class ScoreError(Invalid):
    pass


def check_score(exam: ExamParams, what: str, value: Decimal | float | int | None) -> Decimal | None:
    if value is None:
        return None
    d = Decimal(str(value))
    if d < 0 or d > Decimal(str(exam.score_max)):
        raise ScoreError(SCORE_OUT_OF_RANGE.format(what=what, value=value, max=_num(exam.score_max)))
    return d.quantize(TWO, rounding=ROUND_HALF_UP)


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
