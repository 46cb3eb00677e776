"""Turn request input into schema objects; a failure is a 2000 whose message names the field."""
from __future__ import annotations

from typing import Any

from flask import request
from pydantic import BaseModel, ValidationError

from skyriff_domain.errors import InvalidRequest

from .envelope import loads

_REASONS = {
    "missing": lambda c: "必填",
    "string_type": lambda c: "需为字符串",
    "int_type": lambda c: "需为整数",
    "int_parsing": lambda c: "需为整数",
    "bool_type": lambda c: "需为布尔值",
    "decimal_type": lambda c: "需为数字",
    "decimal_parsing": lambda c: "需为数字",
    "string_pattern_mismatch": lambda c: "格式不正确",
    "string_too_short": lambda c: f"至少{c.get('min_length')}个字符",
    "string_too_long": lambda c: f"不能超过{c.get('max_length')}个字符",
    "greater_than_equal": lambda c: f"不能小于{c.get('ge')}",
    "less_than_equal": lambda c: f"不能大于{c.get('le')}",
    "greater_than": lambda c: f"需大于{c.get('gt')}",
    "literal_error": lambda c: f"取值需为 {c.get('expected')}",
    "enum": lambda c: f"取值需为 {c.get('expected')}",
    "model_type": lambda c: "需为JSON对象",
    "dict_type": lambda c: "需为JSON对象",
    "value_error": lambda c: str(c.get("error", "无效")),
}


def validate(model: type[BaseModel], data: Any) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        unknown = [".".join(str(part) for part in e["loc"]) for e in errors if e["type"] == "extra_forbidden"]
        if unknown:  # all of them at once: a client fixing one misspelling should not meet the next one after
            order = list(data) if isinstance(data, dict) else []
            unknown.sort(key=lambda name: order.index(name) if name in order else len(order))
            raise InvalidRequest(unknown[0], f"未知字段：{', '.join(unknown)}") from None
        error = errors[0]
        field = ".".join(str(part) for part in error["loc"]) or "body"
        reason = _REASONS.get(error["type"], lambda c: error["msg"])(error.get("ctx") or {})
        raise InvalidRequest(field, reason) from None


def is_json(mimetype: str) -> bool:
    """application/json or any `+json` type (application/merge-patch+json, …)."""
    return mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))


def json_body(model: type[BaseModel]) -> BaseModel:
    """The body as JSON; empty means {}. A body must say it is JSON: a browser sends text/plain and form
    posts across origins without asking first, so accepting them would let any web page act for a
    logged-in user."""
    raw = request.get_data(cache=True)
    if (raw.strip() or request.mimetype) and not is_json(request.mimetype):
        raise InvalidRequest("Content-Type", "需为 application/json")
    if not raw.strip():
        data: Any = {}
    else:
        try:
            data = loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise InvalidRequest("body", "不是合法的JSON") from None
        except RecursionError:  # nested deeper than the parser's recursion limit (about 1000 levels)
            raise InvalidRequest("body", "JSON嵌套层数过多") from None
    if not isinstance(data, dict):
        raise InvalidRequest("body", "需为JSON对象")
    return validate(model, data)


def query_args(model: type[BaseModel]) -> BaseModel:
    return validate(model, request.args.to_dict(flat=True))
