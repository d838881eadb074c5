"""Build an action's input model from a page's form: the same model the API endpoint receives,
so both doors validate alike; its refusals become an Invalid naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic

from shequ.common.api_errors import validation_problem
from shequ.errors import Invalid

M = TypeVar("M", bound=pydantic.BaseModel)


def from_form(model: type[M], data: Mapping[str, Any], *, labels: Mapping[str, str] | None = None,
              keep_blank: bool = False) -> M:
    """`data` is a form's cleaned_data; blank values are left to the model's defaults unless
    `keep_blank` (an edit form, where a cleared field is a change). `labels` turns field
    names into the form's Chinese labels in the message."""
    try:
        return model.model_validate(dict(data) if keep_blank else {k: v for k, v in data.items() if v not in ("", None)})
    except pydantic.ValidationError as exc:
        problem = validation_problem(dict(exc.errors()[0]))
        field = problem["field"] or ""
        message = problem["message"] or ""
        if labels and field in labels:
            message = message.replace(f"“{field}”", f"“{labels[field]}”")
        raise Invalid(message, field=field or None) from None
