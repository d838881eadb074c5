"""Messages name the policy by its name, never by a path on the server (issue 17.2)."""

import datetime as dt

import polars as pl
import pytest

from shequ.rules import PolicyError, load_policy, quota
from shequ.rules.loader import PRESETS_DIR


def test_a_quota_before_the_policys_start_names_the_policy_not_the_servers_path() -> None:
    p = load_policy("hunchun")
    units = pl.DataFrame({"unit_type": ["城市社区"], "households": [4100], "population": [9800]})
    with pytest.raises(PolicyError) as exc:
        quota(p, units, dt.date(1999, 1, 1))
    message = str(exc.value)
    assert f"政策「{p.name}」" in message and "1999-01-01 时没有生效的取值" in message
    assert str(PRESETS_DIR) not in message and "/" not in message


def test_a_preset_that_fails_to_load_is_named_by_its_file_name_only() -> None:
    with pytest.raises(PolicyError) as exc:
        load_policy("no-such-preset")
    assert "no-such-preset" in str(exc.value) and str(PRESETS_DIR) not in str(exc.value)
    p = load_policy("baohe")
    assert all(str(PRESETS_DIR) not in s.name for s in p.sources)
