"""The Shequ rules engine: locality policies as data, evaluated over whole populations.

Pure Python + Polars; it never imports Django (an import-linter contract and a test check it).
See docs/adr/0002-engine-api.md for the contract other modules code against.
"""

from shequ.rules.errors import PolicyError
from shequ.rules.evaluate import can_hire, pay, pay_summary, place, place_and_pay, quota, quota_use
from shequ.rules.policy import Policy, ResolvedParams, load_policy, load_policy_text
from shequ.rules.schema import Post

__all__ = [
    "Policy", "PolicyError", "Post", "ResolvedParams", "load_policy", "load_policy_text",
    "quota", "quota_use", "can_hire", "place", "pay", "place_and_pay", "pay_summary",
]

from shequ.rules.assess import assess, excellent_share  # noqa: E402
from shequ.rules.explain import explain, explain_rows  # noqa: E402

__all__ += ["assess", "excellent_share", "explain", "explain_rows"]
from shequ.rules.entry import (  # noqa: E402
    conversion_eligible,
    dispatch_conversion,
    exam_rank,
    post_change,
    retirement,
)

__all__ += ["conversion_eligible", "dispatch_conversion", "exam_rank", "post_change", "retirement"]
from shequ.rules.growth import certification_due, training_due  # noqa: E402

__all__ += ["certification_due", "training_due"]
from shequ.rules.minimums import unit_minimums  # noqa: E402

__all__ += ["unit_minimums"]
