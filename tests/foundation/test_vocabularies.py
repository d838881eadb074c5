"""The database's choices and the engine's vocabularies are one list: a sheet value the
engine accepts must be storable, and the other way round."""

from __future__ import annotations

from shequ.org.models import UnitClass, UnitType
from shequ.rules import vocab
from shequ.workers.models import Category, CertificateLevel, Education, Sex


def test_the_database_choices_equal_the_engine_vocabularies():
    assert tuple(Education.values) == vocab.EDUCATION
    assert tuple(CertificateLevel.values) == vocab.CERTIFICATES
    assert tuple(Category.values) == vocab.CATEGORIES
    assert tuple(UnitType.values) == vocab.UNIT_TYPES
    assert tuple(UnitClass.values) == vocab.UNIT_CLASSES
    assert tuple(Sex.values) == vocab.SEXES
