"""The policy sections the careers area reads: [careers] (C-PATH, G-TR) and [grids]
(ORG-4). Bad values are refused at load time with the file's place named."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.rules import PolicyError, load_policy, load_policy_text

HEAD = """
[policy]
id = "t"
name = "t"
source = "t"
version = "1"
extends = "base"
since = 2020-01-01

[posts."甲"]
assumed = true
grade_min = 1
grade_max = 5
[posts."乙"]
assumed = true
grade_min = 3
grade_max = 9
"""


def test_promotion_rules_and_election_are_read_from_the_policy_c_path():
    p = load_policy_text(HEAD + """
[careers]
source = "004"
promotions = [{ from_post = "甲", to_post = "乙", min_years_in_post = 2, min_tier = "称职" }]
election = { "委员" = "乙" }
""")
    c = p.params(date(2024, 1, 1)).careers
    assert (c.promotions[0].to_post, c.promotions[0].min_years_in_post, c.election) == ("乙", 2, {"委员": "乙"})


@pytest.mark.parametrize("body,place", [
    ('promotions = [{ from_post = "甲", to_post = "丙" }]', "careers.promotions"),
    ('election = { "委员" = "丙" }', "careers.election"),
    ('promotions = [{ from_post = "甲", to_post = "乙", min_tier = "很好" }]', "careers.promotions"),
])
def test_a_promotion_to_an_unknown_post_or_tier_is_refused_at_load_c_path(body, place):
    with pytest.raises(PolicyError) as err:
        load_policy_text(HEAD + f'\n[careers]\nsource = "x"\n{body}\n')
    assert err.value.place is not None and err.value.place.startswith(place)


def test_every_preset_has_the_300_to_500_grid_standard_org_4():
    for preset in ("baohe", "hunchun", "dalian", "baixiang", "tongren"):
        g = load_policy(preset).params(date(2024, 1, 1)).grids
        assert (g.households_min, g.households_max) == (300, 500), preset


def test_a_grid_range_upside_down_is_refused_org_4():
    with pytest.raises(PolicyError) as err:
        load_policy_text(HEAD + '\n[grids]\nsource = "x"\nhouseholds_min = 600\nhouseholds_max = 500\n')
    assert "网格户数范围不合法" in str(err.value)


@pytest.mark.parametrize("body", [
    'selections = [{ path = "事业编", from_posts = ["丙"] }]',
    'selections = [{ path = "省长", from_posts = ["甲"] }]',
    'selections = [{ path = "事业编", from_posts = ["甲"], min_tier = "很好" }]',
])
def test_a_selection_from_an_unknown_post_path_or_tier_is_refused_at_load_c_path(body):
    with pytest.raises(PolicyError) as err:
        load_policy_text(HEAD + f'\n[careers]\nsource = "x"\n{body}\n')
    assert "careers" in str(err.value)
