"""Opaque keyset cursors: the client passes back what the server gave; no OFFSET anywhere."""
from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any

from skyriff_domain.errors import InvalidRequest

DEFAULT_LIMIT, MAX_LIMIT = 20, 100


def encode_cursor(*values: Any) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str | None, *types: type) -> tuple | None:
    """The values a cursor holds, checked against the expected types; a forged cursor is a 2000."""
    if cursor is None or cursor == "":
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidRequest("cursor", "无效的分页游标") from None
    if (not isinstance(values, list) or len(values) != len(types)
            or not all(type(v) is t for v, t in zip(values, types))):
        raise InvalidRequest("cursor", "无效的分页游标")
    if any((isinstance(v, int) and not 0 <= v < 2**63) or (isinstance(v, float) and not math.isfinite(v))
           for v in values):
        raise InvalidRequest("cursor", "无效的分页游标")
    return tuple(values)


def page(items: list, has_more: bool, next_cursor: str | None) -> dict:
    return {"items": items, "next_cursor": next_cursor if has_more else None, "has_more": has_more}
