"""Vacancies per unit (vacancy = approved quota − filled), the bound of every plan, hire
and conversion. Read from the quota ledger (app `quota`, Q-USE): approved quota in force,
filled = in post on the date, dispatch workers (劳务派遣) not counted — they hold no quota
place, which is why converting one (E-DISP) must fit within quota."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from shequ.org.models import Unit
from shequ.quota.selectors import Vacancy, unit_vacancies

__all__ = ["NO_APPROVED_QUOTA", "Vacancy", "vacancies", "vacancy_of"]

# A unit with no approved quota has no number to be within (the ledger shows it 未核定).
NO_APPROVED_QUOTA = "“{unit}”尚未核定员额，不能在员额内招聘或转岗"


def vacancies(*, units: Iterable[Unit], on: date) -> dict[int, Vacancy]:
    return unit_vacancies(units=list(units), on=on)


def vacancy_of(*, unit: Unit, on: date) -> Vacancy:
    return vacancies(units=[unit], on=on)[unit.pk]
