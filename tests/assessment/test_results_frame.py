"""assessment.selectors.results_frame: the results of a scope for a year, the one read pay
uses for last year's tier (A-FILE)."""

from __future__ import annotations

from typing import Any

from shequ.assessment.models import Result
from shequ.assessment.selectors import results_frame
from tests.factories import make_worker


def test_it_gives_the_years_results_of_the_scope_and_no_other_street(world: Any) -> None:
    Result.objects.create(worker=world.worker_a1, year=2025, tier="优秀", unit=world.community_a1)
    Result.objects.create(worker=world.worker_a1, year=2024, tier="称职", unit=world.community_a1)
    Result.objects.create(worker=world.worker_b1, year=2025, tier="基本称职", unit=world.community_b1)
    assert results_frame(scope=world.street_a, year=2025).rows() == [(world.worker_a1.pk, "优秀")]
    assert results_frame(scope=world.street_b, year=2025).rows() == [(world.worker_b1.pk, "基本称职")]
    assert results_frame(scope=world.street_a, year=2023).is_empty()


def test_it_counts_a_worker_now_in_the_scope_though_assessed_elsewhere(world: Any) -> None:
    moved = make_worker(world.community_a2, name="调入者")
    Result.objects.create(worker=moved, year=2025, tier="称职", unit=world.community_b1)
    assert results_frame(scope=world.street_a, year=2025).rows() == [(moved.pk, "称职")]
    assert results_frame(scope=world.street_b, year=2025).rows() == [(moved.pk, "称职")]
