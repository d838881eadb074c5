"""schemathesis against the served OpenAPI document (issue 20 point 2): every operation, with
generated valid and invalid inputs, as the city's administrator: zero server errors, zero
responses that break their documented schema. Bounded: a few examples per operation.

Runs with `make api-fuzz` (SHEQU_API_FUZZ=1); the plain test run skips it to stay fast.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from shequ.accounts.models import ApiToken, hash_token

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(os.environ.get("SHEQU_API_FUZZ") != "1", reason="make api-fuzz runs schemathesis"),
]

EXAMPLES = int(os.environ.get("SHEQU_API_FUZZ_EXAMPLES", "3"))
TALLY: Counter[str] = Counter()
OPERATIONS: set[str] = set()
REPORT = Path(os.environ.get("SHEQU_API_FUZZ_REPORT", "var/api-fuzz.txt"))


@pytest.fixture
def token(world: Any) -> str:
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(user=world.city_admin, name="fuzz", key_hash=hash_token(raw), prefix=raw[:8])
    return raw


def _schema() -> Any:
    # Loaded at collection (Django is set up by then; the document needs no database).
    # schemathesis' from_fixture does not run under pytest 9, so the app is the WSGI one.
    from django.core.wsgi import get_wsgi_application
    from django.test.utils import override_settings

    with override_settings(ALLOWED_HOSTS=["*"]):
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


schema = _schema()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_response_matches_its_schema(case: Any, token: str, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    OPERATIONS.add(f"{case.operation.method.upper()} {case.operation.path}")
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    TALLY["requests"] += 1
    if response.status_code >= 500:
        TALLY["server_errors"] += 1
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


def test_zz_report_the_figures() -> None:
    """Write the run's figures (operations, requests, server errors) for the CI log and the note."""
    line = (f"schemathesis: {len(OPERATIONS)} operations, {TALLY['requests']} requests, "
            f"{TALLY['server_errors']} server errors")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(line + "\n", encoding="utf-8")
    print("\n" + line)
    assert OPERATIONS and TALLY["server_errors"] == 0
