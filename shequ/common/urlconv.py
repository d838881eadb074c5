"""A page's <id:pk>: a row id the database can hold, so /workers/18446744073709551616/ is a 404."""

from __future__ import annotations

from shequ.common.params import MAX_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        pk = int(value)
        if not 1 <= pk <= MAX_ID:
            # Django's contract for a converter: ValueError means "this URL does not match".
            raise ValueError(value)
        return pk

    def to_url(self, value: int) -> str:
        return str(value)
