"""Row ids are positive 64-bit integers (BIGINT): the range any id must be in before it reaches a query."""
from __future__ import annotations

MAX_ID = 2**63 - 1


def is_id(value: object) -> bool:
    """An int (not a bool) in 1..MAX_ID: larger ones overflow the database's integer instead of finding nothing."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def parse_id(text: str) -> int | None:
    """A decimal id in ASCII digits (no sign, no other script's digits), or None."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if is_id(value) else None
