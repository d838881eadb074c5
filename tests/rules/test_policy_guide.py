"""The guide matches the language (issue 17.5): every name a formula may read, every
function, every section and every key of a dated section is documented."""

from pathlib import Path

import pytest

from shequ.rules.formula import FUNCTIONS
from shequ.rules.policy import KNOWN_TOP, PAY_INPUTS, PLACE_INPUTS, QUOTA_INPUTS, input_types
from shequ.rules.schema import DATED_SECTIONS

GUIDE = (Path(__file__).resolve().parents[2] / "docs" / "policy-guide.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(QUOTA_INPUTS | PLACE_INPUTS | PAY_INPUTS))
def test_every_input_a_formula_may_read_is_in_the_guides_table_of_names(name: str) -> None:
    assert f"| `{name}`" in GUIDE or f"、`{name}` |" in GUIDE, name


def test_every_input_the_engine_accepts_has_a_type_for_the_checker() -> None:
    assert set(QUOTA_INPUTS | PLACE_INPUTS | PAY_INPUTS) <= set(input_types([]))


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_of_the_language_is_documented(name: str) -> None:
    assert f"`{'if' if name == 'IF' else name}(" in GUIDE, name


@pytest.mark.parametrize("section", sorted(KNOWN_TOP))
def test_every_section_of_a_policy_file_is_documented(section: str) -> None:
    assert f"[{section}" in GUIDE, section


@pytest.mark.parametrize("section,key", [(s, k) for s, m in DATED_SECTIONS.items() for k in m.model_fields])
def test_every_key_of_a_dated_section_is_documented(section: str, key: str) -> None:
    assert f"`{key}`" in GUIDE, f"[{section}] {key}"
