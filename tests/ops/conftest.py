"""Operations tests reuse the pay helpers (bind a preset, run a month)."""

from tests.pay.conftest import bind, lock, run_month  # noqa: F401
