"""Turn request input into schema objects; a failure is a 2000 whose message names the field."""
from __future__ import annotations

import enum
import re
import types
import typing
from typing import Any

from flask import request
from pydantic import BaseModel, ValidationError

from skyriff_domain.errors import InvalidRequest, one_of

from .envelope import loads

_REASONS = {
    "missing": lambda c: "必填",
    "string_type": lambda c: "需为字符串",
    "int_type": lambda c: "需为整数",
    "int_parsing": lambda c: "需为整数",
    "int_from_float": lambda c: "需为整数",
    "int_parsing_size": lambda c: "数值过大",
    "bool_type": lambda c: "需为布尔值",
    "bool_parsing": lambda c: "需为布尔值",
    "float_type": lambda c: "需为数字",
    "float_parsing": lambda c: "需为数字",
    "decimal_type": lambda c: "需为数字",
    "decimal_parsing": lambda c: "需为数字",
    "decimal_max_places": lambda c: f"最多{c.get('decimal_places')}位小数",
    "decimal_max_digits": lambda c: f"最多{c.get('max_digits')}位数字",
    "list_type": lambda c: "需为数组",
    "too_short": lambda c: f"至少{c.get('min_length')}项",
    "too_long": lambda c: f"不能超过{c.get('max_length')}项",
    "string_pattern_mismatch": lambda c: "格式不正确",
    "string_too_short": lambda c: f"至少{c.get('min_length')}个字符",
    "string_too_long": lambda c: f"不能超过{c.get('max_length')}个字符",
    "greater_than_equal": lambda c: f"不能小于{c.get('ge')}",
    "less_than_equal": lambda c: f"不能大于{c.get('le')}",
    "greater_than": lambda c: f"需大于{c.get('gt')}",
    "less_than": lambda c: f"需小于{c.get('lt')}",
    "model_type": lambda c: "需为JSON对象",
    "model_attributes_type": lambda c: "需为JSON对象",
    "dict_type": lambda c: "需为JSON对象",
    "value_error": lambda c: str(c.get("error", "无效")),
}
FALLBACK = "格式不正确"  # a check without its own wording above: still Chinese, never pydantic's English


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
        raise InvalidRequest(field, reason(model, error)) from None


def reason(model: type[BaseModel], error: dict) -> str:
    """One pydantic error in the API's words: Chinese, values listed as `one_of` lists them, and a value of
    the wrong type named by the type it should have ("10" for 10, 15 or 25 → 需为整数)."""
    if error["type"] in ("literal_error", "enum"):
        allowed = allowed_values(model, error["loc"])
        if allowed is None:
            return one_of(_parse_expected(str((error.get("ctx") or {}).get("expected", ""))))
        value = error.get("input")
        if all(isinstance(a, int) and not isinstance(a, bool) for a in allowed) and (
                isinstance(value, bool) or not isinstance(value, int)):
            return "需为整数"
        if all(isinstance(a, str) for a in allowed) and not isinstance(value, str):
            return "需为字符串"
        return one_of(allowed)
    return _REASONS.get(error["type"], lambda c: FALLBACK)(error.get("ctx") or {})


def allowed_values(model: type[BaseModel], loc: tuple) -> tuple | None:
    """What the Literal or Enum field at `loc` accepts, read from the model's annotations; None if not found."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap_model(annotation)
        if isinstance(part, int):
            args = [a for a in typing.get_args(annotation)]
            annotation = args[0] if args else None
            continue
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)) or part not in annotation.model_fields:
            return None
        annotation = annotation.model_fields[part].annotation
    return _choices(annotation)


def _unwrap_model(annotation: Any) -> Any:
    """A BaseModel inside Optional[...] (a nested body), else the annotation as it is."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        return models[0] if models else annotation
    return annotation


def _choices(annotation: Any) -> tuple | None:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return typing.get_args(annotation)
    if origin is typing.Annotated:
        return _choices(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        found = [c for c in (_choices(a) for a in typing.get_args(annotation) if a is not type(None)) if c]
        return tuple(v for c in found for v in c) if found else None
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return tuple(member.value for member in annotation)
    return None


def _parse_expected(expected: str) -> list[str]:
    """pydantic's "'a', 'b' or 'c'" as ["a", "b", "c"] (only where the annotation could not be read)."""
    return [part.strip().strip("'\"") for part in re.split(r", | or ", expected) if part.strip()]


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
