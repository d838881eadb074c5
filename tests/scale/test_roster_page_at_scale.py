"""The roster page's filter lists, changed for speed at 300,000 workers (docs/benchmarks.md),
still show only the caller's subtree and keep the chosen unit selected."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_unit_filter_lists_only_units_in_scope_and_marks_the_chosen_one(world, client_for) -> None:
    page = client_for(world.street_b_hr).get("/workers/", {"unit": world.community_b1.pk}).content.decode()
    assert f'<option value="{world.community_b1.pk}" selected>东门社区</option>' in page
    assert "迎宾社区" not in page and "槐阳街道" not in page


def test_unit_names_in_the_filter_are_escaped(world, client_for) -> None:
    world.community_a1.name = "迎宾<b>社区"
    world.community_a1.save(update_fields=["name"])
    page = client_for(world.street_a_hr).get("/workers/").content.decode()
    assert "迎宾&lt;b&gt;社区" in page and "迎宾<b>社区" not in page


def test_the_post_filter_offers_the_posts_of_the_policy_in_force(world, client_for) -> None:
    from django.utils import timezone

    from shequ.policy.selectors import policy_for

    policy, _ = policy_for(unit=world.street_a, on=timezone.localdate())
    page = client_for(world.street_a_hr).get("/workers/").content.decode()
    for name in policy.post_names():
        assert f"<option >{name}</option>" in page or f"<option>{name}</option>" in page
