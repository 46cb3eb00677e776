"""The `{code, message, data}` envelope every response uses, rendered with exact decimals (85.50)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import simplejson
from flask import Response


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def iso(value: datetime | None) -> str | None:
    """UTC with a Z, to the second: 2025-01-15T10:00:00Z."""
    if value is None:
        return None
    return value.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def dumps(payload: Any) -> bytes:
    # simplejson writes Decimal as a JSON number with its exact digits; the stdlib would need floats.
    return simplejson.dumps(payload, use_decimal=True, ensure_ascii=False, separators=(",", ":"),
                            default=_default).encode()


def loads(raw: bytes) -> Any:
    """JSON with numbers that have a fraction parsed as Decimal, never float."""
    return simplejson.loads(raw, use_decimal=True)


def envelope(code: int, message: str, data: Any, status: int = 200,
             headers: dict[str, str] | None = None) -> Response:
    body = dumps({"code": code, "message": message, "data": data})
    return Response(body, status=status, headers=headers, mimetype="application/json")
