"""Chinese for the API's own refusals: Ninja's request validation, auth and throttling."""

from __future__ import annotations

import re
from typing import Any

from shequ.errors import Invalid

NOT_FOUND = "未找到：对象不存在或不在您的管辖范围内"
INVALID_REQUEST = "请求不合法"
HTTP_MESSAGES = {
    401: "未登录或接口令牌无效",
    403: "无权进行此操作",
    405: "不支持该请求方法",
    429: "请求过于频繁，请稍后再试",
}
HTTP_CODES = {401: "unauthenticated", 403: "forbidden", 405: "method_not_allowed", 429: "throttled"}

# pydantic's error types, each with the sentence a caller reads; {field} is the field's name.
MESSAGES = {
    "missing": "缺少字段“{field}”",
    "int_parsing": "“{field}”应为整数",
    "int_type": "“{field}”应为整数",
    "int_from_float": "“{field}”应为整数",
    "float_parsing": "“{field}”应为数字",
    "float_type": "“{field}”应为数字",
    "decimal_parsing": "“{field}”应为数字",
    "decimal_type": "“{field}”应为数字",
    "decimal_max_digits": "“{field}”位数过多",
    "decimal_max_places": "“{field}”小数位数过多",
    "decimal_whole_digits": "“{field}”整数位数过多",
    "bool_parsing": "“{field}”应为 true 或 false",
    "bool_type": "“{field}”应为 true 或 false",
    "date_parsing": "“{field}”不是有效日期（应为 年-月-日）",
    "date_from_datetime_parsing": "“{field}”不是有效日期（应为 年-月-日）",
    "date_type": "“{field}”不是有效日期（应为 年-月-日）",
    "datetime_parsing": "“{field}”不是有效时间",
    "string_type": "“{field}”应为文字",
    "string_too_short": "“{field}”不能为空或过短",
    "string_too_long": "“{field}”过长",
    "list_type": "“{field}”应为列表",
    "dict_type": "“{field}”应为对象",
    "model_type": "“{field}”应为对象",
    "model_attributes_type": "“{field}”应为对象",
    "greater_than": "“{field}”应大于 {gt}",
    "greater_than_equal": "“{field}”应不小于 {ge}",
    "less_than": "“{field}”应小于 {lt}",
    "less_than_equal": "“{field}”应不大于 {le}",
    "literal_error": "“{field}”只能是 {expected}",
    "enum": "“{field}”只能是 {expected}",
    "json_invalid": "请求体不是有效的 JSON",
    "too_short": "“{field}”条目过少",
    "too_long": "“{field}”条目过多",
    "uuid_parsing": "“{field}”格式不正确",
}
OTHER = "“{field}”取值不合法"
# Where the value came from, as Ninja names it in an error's location.
SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in SOURCES:
        parts = parts[1:]
        # A body parameter is named once more before its fields: ("body", "data", "year").
        if loc[0] == "body" and len(parts) > 1:
            parts = parts[1:]
    return ".".join(parts) or "请求体"


def validation_problem(error: dict[str, Any]) -> dict[str, str | None]:
    field = field_name(error.get("loc") or ())
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    if "expected" in ctx:  # pydantic writes "'a', 'b' or 'c'": list the choices the Chinese way
        ctx["expected"] = "、".join(re.findall(r"'([^']*)'", ctx["expected"])) or ctx["expected"]
    template = MESSAGES.get(str(error.get("type", "")), OTHER)
    try:
        message = template.format(field=field, **ctx)
    except (KeyError, IndexError):  # a context key the template needs is absent
        message = OTHER.format(field=field)
    return {"field": field, "message": message}


def invalid_from_django(exc: Any) -> Invalid:
    """A model's full_clean() refusal (django.core.exceptions.ValidationError) as an Invalid:
    Django's own zh-hans messages, each prefixed with the field it concerns."""
    if hasattr(exc, "error_dict"):
        parts = [(name, msg) for name, msgs in exc.message_dict.items() for msg in msgs]
        text = "；".join(msg if name == "__all__" else f"“{name}”{msg}" for name, msg in parts)
        first = next((name for name, _ in parts if name != "__all__"), None)
        return Invalid(text or INVALID_REQUEST, field=first)
    return Invalid("；".join(exc.messages) or INVALID_REQUEST)
